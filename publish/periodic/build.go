package periodic

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/publish/periodic/stats"
)

// renewalHorizon is how far ahead the report lists renewals.
const renewalHorizon = 60 * 24 * time.Hour

// recurringWindow is how far back a problem counts as recurring.
const recurringWindow = 90 * 24 * time.Hour

// Build computes the report for in.Period from in. It is pure.
func Build(in Input) Report {
	p := in.Period
	r := Report{FormatVersion: FormatVersion, Period: p, GeneratedAt: in.Now.UTC()}
	r.Availability = availability(in)
	r.Backups = backups(in)
	r.Subscriptions = subscriptions(in)
	r.Storage = storage(in)
	r.Security = security(in)
	r.Improvement = improvement(in, r)
	r.Headline = headline(in, r)
	return r
}

func ptr[T any](v T) *T { return &v }

// finitePtr is v, or nil when v is NaN.
func finitePtr(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func availability(in Input) Availability {
	p := in.Period
	var a Availability
	for _, m := range in.Monitors {
		f := MonitorFigures{Name: m.Name, Kind: m.Kind, Uptime: m.Uptime}
		if m.SLO > 0 {
			f.SLO = ptr(m.SLO / 100)
			if m.Uptime != nil {
				f.MetSLO = ptr(*m.Uptime >= m.SLO/100)
			}
		}
		var ms []float64
		for _, pt := range m.Hourly {
			ms = append(ms, pt.V)
		}
		f.P50Ms, f.P95Ms = finitePtr(stats.Percentile(ms, 50)), finitePtr(stats.Percentile(ms, 95))
		f.TrendMsPerDay, f.Trend = stats.Trend(m.Hourly)
		if math.IsNaN(f.TrendMsPerDay) {
			f.TrendMsPerDay = 0
		}
		merged := stats.Merge(m.Outages, p.Start, p.End)
		f.Outages = len(merged)
		if l, ok := stats.Longest(m.Outages, p.Start, p.End); ok {
			f.LongestOutageSeconds = l.Duration().Seconds()
			f.LongestOutageStart = ptr(l.Start.UTC())
		}
		a.Monitors = append(a.Monitors, f)
	}
	a.Incidents = incidents(in)
	return a
}

func incidents(in Input) IncidentFigures {
	p := in.Period
	f := IncidentFigures{Opened: map[finding.Severity]int{finding.Critical: 0, finding.High: 0, finding.Medium: 0, finding.Low: 0}}
	firstAlert := map[string]time.Time{}
	for _, a := range in.Alerts {
		if a.OK && a.Kind == "start" {
			if t, ok := firstAlert[a.Fingerprint]; !ok || a.At.Before(t) {
				firstAlert[a.Fingerprint] = a.At
			}
		}
	}
	var ttr, tta []time.Duration
	for _, i := range in.Incidents {
		if within(i.FirstSeen, p) {
			f.Opened[i.Severity]++
			if t, ok := firstAlert[i.Fingerprint]; ok && !t.Before(i.FirstSeen.Add(-time.Minute)) {
				tta = append(tta, max(t.Sub(i.FirstSeen), 0))
			}
		}
		if !i.ResolvedAt.IsZero() && within(i.ResolvedAt, p) {
			f.Resolved++
			d := i.ResolvedAt.Sub(i.FirstSeen)
			ttr = append(ttr, d)
			if d.Seconds() > f.LongestSeconds || (d.Seconds() == f.LongestSeconds && i.ID < f.LongestID) {
				f.LongestID, f.LongestSeconds = i.ID, d.Seconds()
			}
		}
	}
	if d, ok := stats.MeanDuration(ttr); ok {
		f.MTTRSeconds = ptr(d.Seconds())
	}
	if d, ok := stats.MeanDuration(tta); ok {
		f.MTTASeconds = ptr(d.Seconds())
	}
	return f
}

func within(t time.Time, p Period) bool { return !t.Before(p.Start) && t.Before(p.End) }

func backups(in Input) []BackupJob {
	out := []BackupJob{}
	for _, j := range in.Jobs {
		b := BackupJob{Job: j.Name, ThreeTwoOne: j.ThreeTwoOne, Media: j.Media}
		var durs []time.Duration
		var durPts, addPts []stats.Point
		for _, run := range j.Runs {
			if !within(run.Started, in.Period) {
				continue
			}
			b.Runs++
			if run.OK {
				b.OK++
				durs = append(durs, run.Duration)
				durPts = append(durPts, stats.Point{T: run.Started, V: run.Duration.Seconds()})
				addPts = append(addPts, stats.Point{T: run.Started, V: float64(run.DataAdded)})
			}
			b.DataAddedBytes += run.DataAdded
			b.ProcessedBytes += run.BytesProcessed
		}
		if v, ok := stats.Rate(b.OK, b.Runs); ok {
			b.SuccessRate = &v
		}
		if d, ok := stats.PercentileDuration(durs, 50); ok {
			b.DurationP50Seconds = ptr(d.Seconds())
		}
		_, b.DurationTrend = stats.Trend(durPts)
		_, b.AddedTrend = stats.Trend(addPts)
		if b.ProcessedBytes > 0 {
			b.Efficiency = ptr(float64(b.DataAddedBytes) / float64(b.ProcessedBytes))
		}
		if j.RepositoryBytes >= 0 {
			b.RepositoryBytes = ptr(j.RepositoryBytes)
		}
		if !j.LastCheck.IsZero() {
			b.LastCheck = ptr(j.LastCheck.UTC())
		}
		if !j.LastDrill.IsZero() {
			b.LastDrill = ptr(j.LastDrill.UTC())
		}
		out = append(out, b)
	}
	return out
}

// daysBetween counts whole days from a's day to b's (UTC).
func daysBetween(a, b time.Time) int {
	return int(math.Round(b.UTC().Truncate(24*time.Hour).Sub(a.UTC().Truncate(24*time.Hour)).Hours() / 24))
}

func subscriptions(in Input) Subscriptions {
	s := Subscriptions{Renewing: []Renewal{}, Spend: []Spend{}, Total: map[string]float64{}}
	for _, e := range in.Expiries {
		rn := Renewal{Name: e.Name, Kind: e.Kind, Provider: e.Provider, AutoRenew: e.AutoRenew, Source: e.Source}
		if !e.Date.IsZero() {
			if e.Date.Sub(in.Period.End) > renewalHorizon {
				continue
			}
			rn.Date, rn.DaysLeft = ptr(e.Date.UTC()), ptr(daysBetween(in.Now, e.Date))
		}
		s.Renewing = append(s.Renewing, rn)
	}
	slices.SortStableFunc(s.Renewing, func(a, b Renewal) int {
		switch {
		case a.Date == nil && b.Date == nil:
			return cmp.Compare(a.Name, b.Name)
		case a.Date == nil:
			return 1
		case b.Date == nil:
			return -1
		}
		return cmp.Or(a.Date.Compare(*b.Date), cmp.Compare(a.Name, b.Name))
	})
	for _, c := range in.Costs {
		s.Spend = append(s.Spend, c)
		s.Total[c.Currency] += c.Yearly
	}
	slices.SortFunc(s.Spend, func(a, b Spend) int { return cmp.Compare(a.Name, b.Name) })
	return s
}

func storage(in Input) Storage {
	st := Storage{Volumes: []Volume{}}
	for _, v := range in.Volumes {
		vol := Volume{NAS: v.NAS, Path: v.Path}
		if v.UsedBytes != nil {
			vol.UsedBytes = ptr(int64(*v.UsedBytes))
		}
		if v.SizeBytes != nil {
			vol.SizeBytes = ptr(int64(*v.SizeBytes))
		}
		if len(v.Points) > 0 {
			vol.UsedPercent = ptr(v.Points[len(v.Points)-1].V)
		}
		if g, ok := stats.GrowthPerWeek(v.Points); ok {
			vol.GrowthPerWeek = &g
		}
		fc := stats.FillForecast(v.Points, 100, in.Now)
		vol.Fill = Fill{Never: fc.Never, Full: fc.Full, Reason: fc.Reason}
		if !fc.Date.IsZero() {
			vol.Fill.Date, vol.Fill.DaysLeft = ptr(fc.Date.UTC()), ptr(daysBetween(in.Now, fc.Date))
		}
		if !fc.Earliest.IsZero() {
			vol.Fill.Earliest = ptr(fc.Earliest.UTC())
		}
		if !fc.Latest.IsZero() {
			vol.Fill.Latest = ptr(fc.Latest.UTC())
		}
		st.Volumes = append(st.Volumes, vol)
	}
	st.Shares = []Share{}
	for _, j := range in.Jobs {
		sh := Share{Job: j.Name, Paths: j.Sources, Media: j.Media, Trend: stats.Flat}
		var pts []stats.Point
		for _, r := range j.Runs {
			if r.OK && r.BytesProcessed > 0 && r.Started.Before(in.Period.End) {
				pts = append(pts, stats.Point{T: r.Started, V: float64(r.BytesProcessed)})
				sh.UsedBytes = ptr(r.BytesProcessed)
			}
		}
		if g, ok := stats.GrowthPerWeek(pts); ok {
			sh.GrowthBytesPerWeek = &g
		}
		_, sh.Trend = stats.Trend(pts)
		st.Shares = append(st.Shares, sh)
	}
	slices.SortStableFunc(st.Shares, func(a, b Share) int {
		ga, gb := math.Inf(-1), math.Inf(-1)
		if a.GrowthBytesPerWeek != nil {
			ga = *a.GrowthBytesPerWeek
		}
		if b.GrowthBytesPerWeek != nil {
			gb = *b.GrowthBytesPerWeek
		}
		return cmp.Or(cmp.Compare(gb, ga), cmp.Compare(a.Job, b.Job))
	})
	return st
}

func security(in Input) Security {
	s := Security{PendingUpdates: []Updates{}, Certificates: slices.Clone(in.Certificates), HostKeyEvents: []Event{},
		Findings: slices.Clone(in.SecurityFindings)}
	for _, u := range in.Updates {
		up := Updates{NAS: u.NAS}
		if n := len(u.Pending); n > 0 {
			up.Pending = ptr(u.Pending[n-1].V)
		}
		if n := len(u.Security); n > 0 {
			up.Security = ptr(u.Security[n-1].V)
		}
		_, up.Trend = stats.Trend(u.Pending)
		s.PendingUpdates = append(s.PendingUpdates, up)
	}
	s.FailedLogins = []Logins{}
	for _, f := range in.FailedLogins {
		l := Logins{NAS: f.NAS}
		var peak float64
		for i, pt := range f.Points {
			if !within(pt.T, in.Period) {
				continue
			}
			if l.Max == nil || pt.V > peak {
				peak = pt.V
				l.Max = ptr(peak)
			}
			l.Latest = ptr(f.Points[i].V)
		}
		_, l.Trend = stats.Trend(f.Points)
		s.FailedLogins = append(s.FailedLogins, l)
	}
	for _, e := range in.HostKeyEvents {
		if within(e.At, in.Period) {
			s.HostKeyEvents = append(s.HostKeyEvents, e)
		}
	}
	if s.Certificates == nil {
		s.Certificates = []Certificate{}
	}
	if s.Findings == nil {
		s.Findings = []finding.Finding{}
	}
	return s
}

func improvement(in Input, r Report) Improvement {
	im := Improvement{Recurring: []Recurring{}, Flapping: []Flapping{}, NoPrevention: []string{}, AlertVolume: map[string]int{}}
	type rec struct {
		first Recurring
		times int
	}
	byFP := map[string]*rec{}
	for _, i := range in.Incidents {
		if i.FirstSeen.Before(in.Period.End.Add(-recurringWindow)) || !i.FirstSeen.Before(in.Period.End) {
			continue
		}
		x, ok := byFP[i.Fingerprint]
		if !ok {
			x = &rec{first: Recurring{Fingerprint: i.Fingerprint, Source: i.Source, Summary: i.Summary}}
			byFP[i.Fingerprint] = x
		}
		x.times++
		if !i.ResolvedAt.IsZero() && within(i.ResolvedAt, in.Period) && i.PreventionEmpty {
			im.NoPrevention = append(im.NoPrevention, i.ID)
		}
	}
	for _, x := range byFP {
		if x.times > 1 {
			x.first.Times = x.times
			im.Recurring = append(im.Recurring, x.first)
		}
	}
	slices.SortFunc(im.Recurring, func(a, b Recurring) int {
		return cmp.Or(cmp.Compare(b.Times, a.Times), cmp.Compare(a.Source, b.Source), cmp.Compare(a.Fingerprint, b.Fingerprint))
	})
	slices.Sort(im.NoPrevention)
	for _, m := range r.Availability.Monitors {
		if m.Outages >= flapOutages {
			im.Flapping = append(im.Flapping, Flapping{Monitor: m.Name, Outages: m.Outages})
		}
	}
	for _, a := range in.Alerts {
		if a.OK && within(a.At, in.Period) {
			im.AlertVolume[a.Route]++
		}
	}
	im.Recommendations = recommend(in, r, im)
	im.Previous = []Recommendation{}
	if in.Previous != nil {
		now := map[string]bool{}
		for _, x := range im.Recommendations {
			now[x.ID] = true
		}
		for _, x := range in.Previous.Improvement.Recommendations {
			x.State = "resolved"
			if now[x.ID] {
				x.State = "open"
			}
			im.Previous = append(im.Previous, x)
		}
	}
	return im
}

func headline(in Input, r Report) Headline {
	h := Headline{IncidentsOpened: 0}
	var ups []float64
	for _, m := range r.Availability.Monitors {
		if m.Uptime != nil {
			ups = append(ups, *m.Uptime)
		}
	}
	h.Uptime = finitePtr(stats.Mean(ups))
	ok, total := 0, 0
	for _, b := range r.Backups {
		ok, total = ok+b.OK, total+b.Runs
	}
	if v, good := stats.Rate(ok, total); good {
		h.BackupSuccessRate = &v
	}
	h.MTTRSeconds = r.Availability.Incidents.MTTRSeconds
	for _, n := range r.Availability.Incidents.Opened {
		h.IncidentsOpened += n
	}
	for _, i := range in.Incidents {
		if !i.FirstSeen.After(in.Period.End) && (i.ResolvedAt.IsZero() || i.ResolvedAt.After(in.Period.End)) {
			h.IncidentsOpen++
		}
	}
	for _, rn := range r.Subscriptions.Renewing {
		if rn.DaysLeft != nil && (h.DaysToNextRenewal == nil || *rn.DaysLeft < *h.DaysToNextRenewal) {
			h.DaysToNextRenewal, h.NextRenewal = rn.DaysLeft, rn.Name
		}
	}
	for _, v := range r.Storage.Volumes {
		if v.Fill.DaysLeft != nil && (h.DaysUntilVolumeFull == nil || *v.Fill.DaysLeft < *h.DaysUntilVolumeFull) {
			h.DaysUntilVolumeFull, h.VolumeFillingFirst = v.Fill.DaysLeft, v.NAS+":"+v.Path
		}
	}
	return h
}

// oneLine keeps s on one line (for tables).
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
