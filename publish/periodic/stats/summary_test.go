package stats

import (
	"math"
	"slices"
	"testing"
	"time"
)

// same is == for floats, with NaN equal to NaN and a tolerance for
// rounding.
func same(got, want float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	if math.IsInf(want, 0) {
		return got == want
	}
	return math.Abs(got-want) <= 1e-12*math.Max(1, math.Abs(want))
}

func TestPercentile(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name string
		xs   []float64
		p    float64
		want float64
	}{
		{"empty", nil, 50, nan},
		{"empty slice", []float64{}, 0, nan},
		{"only NaNs", []float64{nan, nan}, 50, nan},
		{"one value p0", []float64{7}, 0, 7},
		{"one value p50", []float64{7}, 50, 7},
		{"one value p95", []float64{7}, 95, 7},
		{"one value p100", []float64{7}, 100, 7},
		{"p0 is the minimum", []float64{3, -2, 9, 4}, 0, -2},
		{"p100 is the maximum", []float64{3, -2, 9, 4}, 100, 9},
		{"odd count median is the middle value", []float64{3, 1, 2}, 50, 2},
		{"even count median is the mean of the middle two", []float64{4, 1, 3, 2}, 50, 2.5},
		{"p25 of 1..4 (numpy 1.75)", []float64{1, 2, 3, 4}, 25, 1.75},
		{"p95 of 1..5 (numpy 4.8)", []float64{5, 4, 3, 2, 1}, 95, 4.8},
		{"p95 of 1..10 (numpy 9.55)", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 95, 9.55},
		{"p40 PERCENTILE.INC example (29)", []float64{15, 20, 35, 40, 50}, 40, 29},
		{"p95 of 1..100 (95.05)", seq(1, 100), 95, 95.05},
		{"ties interpolate to themselves", []float64{5, 5, 5, 1}, 50, 5},
		{"ties at the top", []float64{1, 2, 2, 2}, 90, 2},
		{"NaNs ignored", []float64{nan, 1, nan, 3}, 50, 2},
		{"NaNs ignored p100", []float64{nan, 1, 3, nan}, 100, 3},
		{"p below 0", []float64{1, 2}, -1, nan},
		{"p above 100", []float64{1, 2}, 100.5, nan},
		{"p NaN", []float64{1, 2}, nan, nan},
		{"+Inf at the top", []float64{1, inf}, 50, inf},
		{"-Inf with +Inf", []float64{-inf, inf}, 50, nan},
		{"huge values do not overflow", []float64{-math.MaxFloat64, math.MaxFloat64}, 50, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Percentile(tt.xs, tt.p); !same(got, tt.want) {
				t.Errorf("Percentile(%v, %v) = %v, want %v", tt.xs, tt.p, got, tt.want)
			}
		})
	}
}

func seq(from, to int) []float64 {
	var xs []float64
	for i := from; i <= to; i++ {
		xs = append(xs, float64(i))
	}
	return xs
}

func TestPercentileDoesNotModifyInput(t *testing.T) {
	xs := []float64{3, math.NaN(), 1, 2}
	before := slices.Clone(xs)
	Percentile(xs, 50)
	for i := range xs {
		if !same(xs[i], before[i]) {
			t.Fatalf("xs changed: %v, was %v", xs, before)
		}
	}
}

func TestPercentileIsMonotonicInP(t *testing.T) {
	xs := []float64{9, 1, 7, 7, 3, 12, 0.5, 7}
	prev := math.Inf(-1)
	for p := 0.0; p <= 100; p += 0.5 {
		v := Percentile(xs, p)
		if v < prev {
			t.Fatalf("Percentile(p=%v) = %v < %v at the previous p", p, v, prev)
		}
		prev = v
	}
}

func TestPercentileDuration(t *testing.T) {
	tests := []struct {
		name   string
		ds     []time.Duration
		p      float64
		want   time.Duration
		wantOK bool
	}{
		{"empty", nil, 50, 0, false},
		{"bad p", []time.Duration{time.Second}, 101, 0, false},
		{"median of even count", []time.Duration{time.Minute, 3 * time.Minute, 2 * time.Minute, 10 * time.Minute}, 50, 150 * time.Second, true},
		{"p100", []time.Duration{time.Minute, time.Hour}, 100, time.Hour, true},
		{"one", []time.Duration{42 * time.Second}, 95, 42 * time.Second, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := PercentileDuration(tt.ds, tt.p)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("PercentileDuration(%v, %v) = %v, %v; want %v, %v", tt.ds, tt.p, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestMean(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name string
		xs   []float64
		want float64
	}{
		{"empty", nil, nan},
		{"only NaNs", []float64{nan}, nan},
		{"one", []float64{4}, 4},
		{"several", []float64{1, 2, 3, 4}, 2.5},
		{"NaNs ignored", []float64{nan, 1, 3, nan}, 2},
		{"negative", []float64{-1, -3}, -2},
		{"sum would overflow", []float64{math.MaxFloat64, math.MaxFloat64}, math.MaxFloat64},
		{"+Inf", []float64{1, inf}, inf},
		{"+Inf and -Inf", []float64{-inf, inf}, nan},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Mean(tt.xs); !same(got, tt.want) {
				t.Errorf("Mean(%v) = %v, want %v", tt.xs, got, tt.want)
			}
		})
	}
}

func TestMeanDuration(t *testing.T) {
	const max = time.Duration(math.MaxInt64)
	tests := []struct {
		name   string
		ds     []time.Duration
		want   time.Duration
		wantOK bool
	}{
		{"empty", nil, 0, false},
		{"one", []time.Duration{time.Minute}, time.Minute, true},
		{"several", []time.Duration{time.Second, 2 * time.Second}, 1500 * time.Millisecond, true},
		{"truncated to the nanosecond", []time.Duration{1, 2}, 1, true},
		{"thirds", []time.Duration{1, 1, 2}, 1, true},
		{"mixed signs toward zero", []time.Duration{-1, 2}, 0, true},
		{"negative toward zero", []time.Duration{-3, 0}, -1, true},
		{"no overflow", []time.Duration{max, max, max}, max, true},
		{"no overflow, near max", []time.Duration{max, max - 1}, max - 1, true},
		{"zeros", []time.Duration{0, 0}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := MeanDuration(tt.ds)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("MeanDuration(%v) = %v, %v; want %v, %v", tt.ds, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestRate(t *testing.T) {
	tests := []struct {
		name      string
		ok, total int
		want      float64
		wantOK    bool
	}{
		{"no checks", 0, 0, 0, false},
		{"negative total", 0, -1, 0, false},
		{"more ok than total", 5, 4, 0, false},
		{"negative ok", -1, 4, 0, false},
		{"none ok", 0, 4, 0, true},
		{"some ok", 3, 4, 0.75, true},
		{"all ok", 4, 4, 1, true},
		{"large counts", 999_999, 1_000_000, 0.999999, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Rate(tt.ok, tt.total)
			if !same(got, tt.want) || ok != tt.wantOK {
				t.Errorf("Rate(%d, %d) = %v, %v; want %v, %v", tt.ok, tt.total, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
