package charts

import (
	"testing"
	"time"
)

// BenchmarkLineMonthHourly draws a month of hourly samples of two series
// (a monthly report's response-time chart) and reports the SVG's size.
func BenchmarkLineMonthHourly(b *testing.B) {
	l := Line{Title: "Response time, May 2025", Unit: "ms", Series: []Series{
		{Name: "lagrieta.ar", Points: wave(30*24, time.Hour, 180, 29)},
		{Name: "mail", Points: gap(wave(30*24, time.Hour, 60, 0), 100, 120)},
	}, Marks: []Mark{{Label: "SLO", V: 400}}}
	var n int
	for b.Loop() {
		n = len(l.SVG())
	}
	b.ReportMetric(float64(n), "svg-bytes")
	b.ReportMetric(float64(n)/float64(2*30*24), "bytes/point")
}

// BenchmarkBar draws the sample bar chart.
func BenchmarkBar(b *testing.B) {
	bar := sampleBar()
	var n int
	for b.Loop() {
		n = len(bar.SVG())
	}
	b.ReportMetric(float64(n), "svg-bytes")
}

// BenchmarkSpark draws a week of hourly samples as a spark.
func BenchmarkSpark(b *testing.B) {
	pts := wave(7*24, time.Hour, 100, 13)
	var n int
	for b.Loop() {
		n = len(Spark(pts))
	}
	b.ReportMetric(float64(n), "svg-bytes")
}
