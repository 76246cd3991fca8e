package periodic

import (
	"fmt"
	"math"

	"github.com/lagrieta/itlag/publish/charts"
	"github.com/lagrieta/itlag/publish/periodic/stats"
)

// Charts draws the report's charts (name → SVG): the monitors' uptime
// against their targets, their hourly response times, the backup jobs'
// success rates, the NAS volumes' use with the full line. A chart with
// nothing to draw is left out.
func Charts(r Report, in Input) map[string][]byte {
	out := map[string][]byte{}
	hundred := 100.0
	var up []charts.BarItem
	for _, m := range r.Availability.Monitors {
		it := charts.BarItem{Label: m.Name, V: math.NaN()}
		if m.Uptime != nil {
			it.V = *m.Uptime * 100
		}
		if m.SLO != nil {
			it.Note = fmt.Sprintf("target %.2f%%", *m.SLO*100)
			it.Warn = m.MetSLO != nil && !*m.MetSLO
		}
		up = append(up, it)
	}
	if len(up) > 0 {
		out["uptime"] = charts.Bar{Title: "Uptime " + r.Period.Name, Unit: "%", Bars: up, Max: &hundred}.SVG()
	}
	var series []charts.Series
	for _, m := range in.Monitors {
		if len(m.Hourly) > 0 {
			series = append(series, charts.Series{Name: m.Name, Points: points(m.Hourly)})
		}
	}
	if len(series) > 0 {
		out["response"] = charts.Line{Title: "Response time, hourly mean", Unit: "ms", Series: series,
			From: r.Period.Start, To: r.Period.End}.SVG()
	}
	var bk []charts.BarItem
	for _, b := range r.Backups {
		it := charts.BarItem{Label: b.Job, V: math.NaN(), Note: fmt.Sprintf("%d of %d runs", b.OK, b.Runs)}
		if b.SuccessRate != nil {
			it.V = *b.SuccessRate * 100
			it.Warn = *b.SuccessRate < backupSuccessTarget
		}
		bk = append(bk, it)
	}
	if len(bk) > 0 {
		out["backups"] = charts.Bar{Title: "Backup success rate " + r.Period.Name, Unit: "%", Bars: bk, Max: &hundred}.SVG()
	}
	var vols []charts.Series
	for _, v := range in.Volumes {
		if len(v.Points) > 0 {
			vols = append(vols, charts.Series{Name: v.NAS + " " + v.Path, Points: points(v.Points)})
		}
	}
	if len(vols) > 0 {
		zero := 0.0
		out["storage"] = charts.Line{Title: "NAS volumes used", Unit: "%", Series: vols, YMin: &zero, YMax: &hundred,
			Marks: []charts.Mark{{Label: "full", V: 100}}, To: r.Period.End}.SVG()
	}
	return out
}

func points(ps []stats.Point) []charts.Point {
	out := make([]charts.Point, len(ps))
	for i, p := range ps {
		out[i] = charts.Point{T: p.T, V: p.V}
	}
	return out
}
