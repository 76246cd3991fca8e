package periodic

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// The rules' thresholds.
const (
	// flapOutages: a monitor that went down this many times in a period
	// is flapping.
	flapOutages = 3
	// recurringTimes: a problem opened this many times in 90 days recurs.
	recurringTimes = 3
	// backupSuccessTarget: a job below this success rate needs a look.
	backupSuccessTarget = 0.95
	// fillHorizonDays: a volume forecast to fill within this many days.
	fillHorizonDays = 90
	// renewalManualDays: a renewal that does not renew by itself, this
	// close.
	renewalManualDays = 30
	// drillEvery: a restore drill older than this is overdue.
	drillEvery = 35 * 24 * time.Hour
)

// Rules lists each recommendation rule with what makes it fire, for the
// documentation and the report's own legend.
var Rules = []struct{ Name, When string }{
	{"slo-missed", "a monitor's uptime in the period is below its declared slo"},
	{"flapping", fmt.Sprintf("a monitor went down %d times or more in the period", flapOutages)},
	{"recurring", fmt.Sprintf("the same problem (fingerprint) was opened %d times or more in 90 days", recurringTimes)},
	{"no-prevention", "an incident resolved in the period has an empty Prevention section"},
	{"backup-failing", fmt.Sprintf("a backup job's success rate is below %.0f%%, or it did not run in the period", backupSuccessTarget*100)},
	{"drill-overdue", "a backup job's last restore drill is older than 35 days, or there is none"},
	{"volume-filling", fmt.Sprintf("a NAS volume is forecast to be full within %d days (or is full)", fillHorizonDays)},
	{"renewal-manual", fmt.Sprintf("something that does not renew by itself lapses within %d days", renewalManualDays)},
	{"security-updates", "a NAS has pending security updates"},
}

// recommend applies the rules to the period's figures; each
// recommendation carries its evidence.
func recommend(in Input, r Report, im Improvement) []Recommendation {
	out := []Recommendation{}
	add := func(rule, about, text string, evidence ...string) {
		out = append(out, Recommendation{ID: rule + ":" + about, Rule: rule, Text: text, Evidence: evidence})
	}
	for _, m := range r.Availability.Monitors {
		if m.MetSLO != nil && !*m.MetSLO {
			add("slo-missed", m.Name, fmt.Sprintf("%s missed its availability target: look at its incidents and at what would keep it up (capacity, redundancy, the provider)", m.Name),
				fmt.Sprintf("uptime %s against a target of %s", pct(*m.Uptime), pct(*m.SLO)),
				fmt.Sprintf("%d outage(s), the longest %s", m.Outages, dur(m.LongestOutageSeconds)))
		}
	}
	for _, f := range im.Flapping {
		add("flapping", f.Monitor, fmt.Sprintf("%s goes down and up again: fix the cause, or raise its failure_threshold if the probe is too strict", f.Monitor),
			fmt.Sprintf("%d outages in the period", f.Outages))
	}
	for _, x := range im.Recurring {
		if x.Times >= recurringTimes {
			add("recurring", x.Fingerprint, fmt.Sprintf("the same problem keeps coming back (%s): find its root cause and write it in the incident's Prevention", x.Source),
				fmt.Sprintf("opened %d times in 90 days: %s", x.Times, oneLine(x.Summary)))
		}
	}
	for _, id := range im.NoPrevention {
		add("no-prevention", id, fmt.Sprintf("incident %s is resolved but says nothing on how to prevent it: fill in its Prevention section", id),
			"incidents/"+id+".md")
	}
	for _, b := range r.Backups {
		switch {
		case b.Runs == 0:
			add("backup-failing", b.Job, fmt.Sprintf("backup %s did not run in the period: check its schedule on the NAS (itlag backup status)", b.Job), "0 runs")
		case *b.SuccessRate < backupSuccessTarget:
			add("backup-failing", b.Job, fmt.Sprintf("backup %s fails too often: read its last errors (itlag backup status)", b.Job),
				fmt.Sprintf("%d of %d runs succeeded (%s)", b.OK, b.Runs, pct(*b.SuccessRate)))
		}
		if b.LastDrill == nil || in.Now.Sub(*b.LastDrill) > drillEvery {
			ev := "no restore drill recorded"
			if b.LastDrill != nil {
				ev = "last drill " + b.LastDrill.Format(time.DateOnly)
			}
			add("drill-overdue", b.Job, fmt.Sprintf("run a restore drill of %s: itlag backup verify %s --drill", b.Job, b.Job), ev)
		}
	}
	for _, v := range r.Storage.Volumes {
		about := v.NAS + ":" + v.Path
		switch {
		case v.Fill.Full:
			add("volume-filling", about, fmt.Sprintf("%s on %s is full: free space or add disks now", v.Path, v.NAS), fmt.Sprintf("%s used", pctPoints(v.UsedPercent)))
		case v.Fill.DaysLeft != nil && *v.Fill.DaysLeft <= fillHorizonDays:
			add("volume-filling", about, fmt.Sprintf("%s on %s will be full around %s: free space or add disks before then", v.Path, v.NAS, v.Fill.Date.Format(time.DateOnly)),
				fmt.Sprintf("%s used, growing %s points a week", pctPoints(v.UsedPercent), num(v.GrowthPerWeek)))
		}
	}
	for _, rn := range r.Subscriptions.Renewing {
		if !rn.AutoRenew && rn.DaysLeft != nil && *rn.DaysLeft <= renewalManualDays {
			add("renewal-manual", rn.Name, fmt.Sprintf("renew (or confirm) %s at %s before %s: it does not renew by itself", rn.Name, rn.Provider, rn.Date.Format(time.DateOnly)),
				fmt.Sprintf("%d days left (%s date)", *rn.DaysLeft, rn.Source))
		}
	}
	for _, u := range r.Security.PendingUpdates {
		if u.Security != nil && *u.Security > 0 {
			add("security-updates", u.NAS, fmt.Sprintf("apply the pending security updates on %s", u.NAS), fmt.Sprintf("%.0f security update(s) pending", *u.Security))
		}
	}
	slices.SortStableFunc(out, func(a, b Recommendation) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

func pct(v float64) string { return fmt.Sprintf("%.2f%%", v*100) }

func pctPoints(v *float64) string {
	return orNone(v, "unknown", func(x float64) string { return fmt.Sprintf("%.1f%%", x) })
}

func num(v *float64) string {
	return orNone(v, "unknown", func(x float64) string { return fmt.Sprintf("%.2f", x) })
}

// dur says seconds as "2h05m", "45s".
func dur(s float64) string {
	d := time.Duration(s * float64(time.Second)).Round(time.Second)
	switch {
	case d >= time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	case d >= time.Minute:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return d.String()
}
