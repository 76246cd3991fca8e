package ledger

import (
	"fmt"
	"testing"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/mail"
)

// BenchmarkRecord10000 records 10,000 messages received over 60 days into
// a new store (one in four with a notice, one in fifty a confirmation
// request, one in a hundred a follow-up closing it), one Record (one
// transaction) each, then records them all again (each is Again), then
// computes the findings. msgs/s is the first pass's rate, again-msgs/s
// the second's, findings-ms the time of one Findings.
func BenchmarkRecord10000(b *testing.B) {
	const n = 10000
	ms := make([]msg, n)
	for i := range ms {
		m := msg{uid: uint32(i + 1), id: fmt.Sprintf("%d@bench", i), body: fmt.Sprint(i),
			received: t0.Add(time.Duration(i) * 60 * 24 * time.Hour / n), subject: "message"}
		host := fmt.Sprintf("h%d.ddns.net", i/100)
		switch {
		case i%100 == 99:
			c := noipConfirmed()
			c.Target, c.Closes = host, []string{"noip:hostname:" + host}
			m.notices = []mail.Notice{c}
		case i%50 == 0:
			r := noipRequest(m.received.Add(7*day), "https://www.noip.com/c")
			r.Target, r.Confirm.Key = host, "noip:hostname:"+host
			m.notices = []mail.Notice{r}
		case i%4 == 0:
			m.notices = []mail.Notice{notice("cron.failed", finding.Medium, mail.AreaBackup, fmt.Sprint("job", i%40))}
		}
		ms[i] = m
	}
	var first, again, find time.Duration
	for b.Loop() {
		b.StopTimer()
		fx := newFixture(b)
		b.StartTimer()
		start := time.Now()
		for _, m := range ms {
			fx.now = m.received
			fx.record(m)
		}
		first += time.Since(start)
		start = time.Now()
		for _, m := range ms {
			if !fx.record(m).Again {
				b.Fatal("not again")
			}
		}
		again += time.Since(start)
		start = time.Now()
		if fs := fx.findings(); len(fs) == 0 {
			b.Fatal("no findings")
		}
		find += time.Since(start)
	}
	b.ReportMetric(float64(n*b.N)/first.Seconds(), "msgs/s")
	b.ReportMetric(float64(n*b.N)/again.Seconds(), "again-msgs/s")
	b.ReportMetric(float64(find.Microseconds())/1000/float64(b.N), "findings-ms")
}
