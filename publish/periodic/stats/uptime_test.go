package stats

import (
	"math"
	"slices"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)

// at is t0 plus h hours.
func at(h float64) time.Time { return t0.Add(time.Duration(h * float64(time.Hour))) }

// iv is the interval [t0+a h, t0+b h).
func iv(a, b float64) Interval { return Interval{Start: at(a), End: at(b)} }

func TestUptimeLongestMerge(t *testing.T) {
	from, to := at(0), at(10) // a 10-hour window: each hour down is 0.1
	open := Interval{Start: at(8)}
	tests := []struct {
		name    string
		outages []Interval
		merged  []Interval
		uptime  float64
		longest Interval // zero: none
	}{
		{"none", nil, nil, 1, Interval{}},
		{"one", []Interval{iv(2, 3)}, []Interval{iv(2, 3)}, 0.9, iv(2, 3)},
		{"overlapping", []Interval{iv(1, 3), iv(2, 4)}, []Interval{iv(1, 4)}, 0.7, iv(1, 4)},
		{"contained", []Interval{iv(1, 5), iv(2, 3)}, []Interval{iv(1, 5)}, 0.6, iv(1, 5)},
		{"identical", []Interval{iv(1, 2), iv(1, 2)}, []Interval{iv(1, 2)}, 0.9, iv(1, 2)},
		{"adjacent merge into one", []Interval{iv(1, 2), iv(2, 3)}, []Interval{iv(1, 3)}, 0.8, iv(1, 3)},
		{"separate, unsorted", []Interval{iv(6, 9), iv(1, 2)}, []Interval{iv(1, 2), iv(6, 9)}, 0.6, iv(6, 9)},
		{"clipped at both ends; equal length: the earliest", []Interval{iv(9, 12), iv(-2, 1)}, []Interval{iv(0, 1), iv(9, 10)}, 0.8, iv(0, 1)},
		{"clipping decides the longest", []Interval{iv(-5, 1), iv(4, 6)}, []Interval{iv(0, 1), iv(4, 6)}, 0.7, iv(4, 6)},
		{"outside the window", []Interval{iv(-5, -1), iv(-1, 0), iv(10, 12)}, nil, 1, Interval{}},
		{"open outage runs to the end", []Interval{open}, []Interval{iv(8, 10)}, 0.8, iv(8, 10)},
		{"inverted and empty ignored", []Interval{iv(3, 2), iv(4, 4)}, nil, 1, Interval{}},
		{"whole window", []Interval{iv(-1, 11)}, []Interval{iv(0, 10)}, 0, iv(0, 10)},
		{"whole window in pieces", []Interval{iv(5, 10), iv(0, 5)}, []Interval{iv(0, 10)}, 0, iv(0, 10)},
		{"a minute", []Interval{{Start: at(1), End: at(1).Add(time.Minute)}}, []Interval{{Start: at(1), End: at(1).Add(time.Minute)}}, 1 - 1.0/600, Interval{Start: at(1), End: at(1).Add(time.Minute)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := slices.Clone(tt.outages)
			if got := Merge(tt.outages, from, to); !slices.Equal(got, tt.merged) {
				t.Errorf("Merge = %v, want %v", got, tt.merged)
			}
			if got := Uptime(tt.outages, from, to); !same(got, tt.uptime) {
				t.Errorf("Uptime = %v, want %v", got, tt.uptime)
			}
			got, ok := Longest(tt.outages, from, to)
			if wantOK := tt.longest != (Interval{}); ok != wantOK || got != tt.longest {
				t.Errorf("Longest = %v, %v; want %v, %v", got, ok, tt.longest, wantOK)
			}
			if !slices.Equal(tt.outages, before) {
				t.Errorf("outages changed: %v, was %v", tt.outages, before)
			}
		})
	}
}

func TestUptimeEmptyWindow(t *testing.T) {
	outages := []Interval{iv(0, 1)}
	for _, w := range []Interval{iv(5, 5), iv(5, 4)} {
		if got := Uptime(outages, w.Start, w.End); !math.IsNaN(got) {
			t.Errorf("Uptime over %v = %v, want NaN", w, got)
		}
		if got, ok := Longest(outages, w.Start, w.End); ok {
			t.Errorf("Longest over %v = %v, true; want false", w, got)
		}
		if got := Merge(outages, w.Start, w.End); got != nil {
			t.Errorf("Merge over %v = %v, want nil", w, got)
		}
	}
}

func TestIntervalDuration(t *testing.T) {
	tests := []struct {
		name string
		iv   Interval
		want time.Duration
	}{
		{"forward", iv(1, 3), 2 * time.Hour},
		{"empty", iv(1, 1), 0},
		{"inverted", iv(3, 1), 0},
		{"zero", Interval{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.iv.Duration(); got != tt.want {
				t.Errorf("Duration = %v, want %v", got, tt.want)
			}
		})
	}
}
