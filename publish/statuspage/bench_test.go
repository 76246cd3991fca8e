package statuspage

import (
	"fmt"
	"io"
	"math"
	"testing"
	"time"
)

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)

// BenchmarkRender50Monitors30Days renders 50 monitors with 30 days of
// hourly response times each (720 samples).
func BenchmarkRender50Monitors30Days(b *testing.B) {
	p := samplePage()
	p.Monitors = nil
	for i := 0; i < 50; i++ {
		p.Monitors = append(p.Monitors, Monitor{
			Name: fmt.Sprintf("service-%02d", i), Kind: "https", Target: fmt.Sprintf("https://s%02d.example/", i),
			Up: i%7 != 0, Since: genAt.Add(-time.Duration(i) * time.Hour),
			Uptime24h: 1, Uptime7d: 0.998, Uptime30d: math.NaN(),
			Series: series(genAt, 30*24, float64(20+i*5), 31),
			Recent: []string{"INC-0001 resolved: timeout"},
		})
	}
	var cw countWriter
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		cw.n = 0
		if err := Render(&cw, p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/1000/float64(b.N), "ms/op")
	b.ReportMetric(float64(cw.n), "html-bytes")
}
