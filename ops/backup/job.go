package backup

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lagrieta/itlag/ops/backup/restic"
	"github.com/lagrieta/itlag/schema"
)

// Job is one backup job of the state, ready to run: its destinations
// carry the repository settings restic needs.
type Job struct {
	Name string
	// RunsOn is the NAS (or "local") whose cron runs the job.
	RunsOn      string
	Sources     []string
	Excludes    []string
	SourceMedia string
	// Destinations are sorted by name.
	Destinations []Destination
	Schedule     Schedule
	Retention    schema.Retention
	Verify       VerifyPolicy
	// Waiver is why the job knowingly breaks 3-2-1 ("" when it does not).
	Waiver string
}

// Destination is one restic repository of a job.
type Destination struct {
	Name       string
	Repository string
	Media      string
	Offsite    bool
	// PasswordRef and EnvRefs say where the secrets are read from; they
	// are all a runbook shows.
	PasswordRef schema.CredentialRef
	EnvRefs     map[string]schema.CredentialRef
	// Repo is what restic is run with. Password and Env hold the secrets
	// when the job was built by JobsFromState; JobsFromStateUnresolved
	// leaves them empty.
	Repo restic.Repo
}

// Schedule is a job's schedule, parsed.
type Schedule struct {
	// Daily is the time of the daily run, "02:30".
	Daily string
	// WeeklyFull is the day of the full run (backup --force).
	WeeklyFull time.Weekday
	// Grace is how much later than 24 hours after the last snapshot a
	// snapshot is late.
	Grace time.Duration
}

// Expected is the longest a destination may go without a snapshot before
// it is late: a day plus the grace.
func (s Schedule) Expected() time.Duration { return 24*time.Hour + s.Grace }

// FullOn reports whether the run at t is the weekly full run.
func (s Schedule) FullOn(t time.Time) bool { return t.Weekday() == s.WeeklyFull }

// VerifyPolicy is how a job's backups are proven, parsed.
type VerifyPolicy struct {
	// CheckEvery and DrillEvery are how often check and drill must run.
	CheckEvery, DrillEvery time.Duration
	// CheckEveryName and DrillEveryName are as written: "weekly".
	CheckEveryName, DrillEveryName string
	// ReadDataSubset is restic check's --read-data-subset: "5%".
	ReadDataSubset string
	// DrillFiles is how many files a drill restores.
	DrillFiles int
}

// JobsFromState builds the state's backup jobs, sorted by name, reading
// each repository password and backend variable through resolve. An error
// names the job, the destination and the credential reference, never a
// secret.
func JobsFromState(st *schema.State, resolve func(schema.CredentialRef) (string, error)) ([]Job, error) {
	if resolve == nil {
		return nil, fmt.Errorf("backup: no credential resolver")
	}
	return jobs(st, resolve)
}

// JobsFromStateUnresolved builds the jobs without reading any secret: the
// destinations' Repo has no password nor backend variables. It serves
// what needs no repository access (runbooks, schedules, cron lines).
func JobsFromStateUnresolved(st *schema.State) ([]Job, error) { return jobs(st, nil) }

func jobs(st *schema.State, resolve func(schema.CredentialRef) (string, error)) ([]Job, error) {
	if st == nil {
		return nil, nil
	}
	var out []Job
	for _, name := range slices.Sorted(maps.Keys(st.Backups)) {
		j, err := jobFrom(name, st.Backups[name], resolve)
		if err != nil {
			return nil, fmt.Errorf("backup: job %s: %w", name, err)
		}
		out = append(out, j)
	}
	return out, nil
}

func jobFrom(name string, b schema.Backup, resolve func(schema.CredentialRef) (string, error)) (Job, error) {
	sched, err := parseSchedule(b.Schedule)
	if err != nil {
		return Job{}, err
	}
	ver, err := parseVerify(b.Verify)
	if err != nil {
		return Job{}, err
	}
	j := Job{
		Name:        name,
		RunsOn:      b.RunsOn,
		Sources:     slices.Clone(b.Sources),
		Excludes:    slices.Clone(b.Exclude),
		SourceMedia: cmpOr(b.SourceMedia, "disk"),
		Schedule:    sched,
		Retention:   b.Retention,
		Verify:      ver,
		Waiver:      b.Waive321,
	}
	if len(j.Sources) == 0 {
		return Job{}, fmt.Errorf("no sources")
	}
	if len(b.Destinations) == 0 {
		return Job{}, fmt.Errorf("no destinations")
	}
	for _, dn := range slices.Sorted(maps.Keys(b.Destinations)) {
		d := b.Destinations[dn]
		dest := Destination{
			Name:        dn,
			Repository:  d.Repository,
			Media:       d.Media,
			Offsite:     d.Offsite,
			PasswordRef: d.Password,
			EnvRefs:     maps.Clone(d.Env),
			Repo:        restic.Repo{URL: d.Repository},
		}
		if resolve != nil {
			pw, err := resolve(d.Password)
			if err != nil {
				return Job{}, fmt.Errorf("destination %s: password %s: %w", dn, d.Password, err)
			}
			dest.Repo.Password = pw
			for _, v := range slices.Sorted(maps.Keys(d.Env)) {
				val, err := resolve(d.Env[v])
				if err != nil {
					return Job{}, fmt.Errorf("destination %s: env %s (%s): %w", dn, v, d.Env[v], err)
				}
				if dest.Repo.Env == nil {
					dest.Repo.Env = map[string]string{}
				}
				dest.Repo.Env[v] = val
			}
		}
		j.Destinations = append(j.Destinations, dest)
	}
	return j, nil
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func parseSchedule(s schema.BackupSchedule) (Schedule, error) {
	if _, _, err := clockTime(s.Daily); err != nil {
		return Schedule{}, fmt.Errorf("schedule: daily %q: %w", s.Daily, err)
	}
	wd, err := weekday(cmpOr(s.WeeklyFull, "sunday"))
	if err != nil {
		return Schedule{}, fmt.Errorf("schedule: weekly_full: %w", err)
	}
	grace, err := ParseDuration(cmpOr(s.Grace, "6h"))
	if err != nil {
		return Schedule{}, fmt.Errorf("schedule: grace: %w", err)
	}
	return Schedule{Daily: s.Daily, WeeklyFull: wd, Grace: grace}, nil
}

func parseVerify(v schema.Verify) (VerifyPolicy, error) {
	p := VerifyPolicy{
		CheckEveryName: cmpOr(v.CheckEvery, "weekly"),
		DrillEveryName: cmpOr(v.DrillEvery, "monthly"),
		ReadDataSubset: cmpOr(v.ReadDataSubset, "5%"),
		DrillFiles:     v.DrillFiles,
	}
	if p.DrillFiles <= 0 {
		p.DrillFiles = 20
	}
	var err error
	if p.CheckEvery, err = every(p.CheckEveryName); err != nil {
		return VerifyPolicy{}, fmt.Errorf("verify: check_every: %w", err)
	}
	if p.DrillEvery, err = every(p.DrillEveryName); err != nil {
		return VerifyPolicy{}, fmt.Errorf("verify: drill_every: %w", err)
	}
	return p, nil
}

// clockTime reads "HH:MM".
func clockTime(s string) (h, m int, err error) {
	hs, ms, ok := strings.Cut(s, ":")
	if ok && len(hs) == 2 && len(ms) == 2 {
		h, err1 := strconv.Atoi(hs)
		m, err2 := strconv.Atoi(ms)
		if err1 == nil && err2 == nil && h >= 0 && h < 24 && m >= 0 && m < 60 {
			return h, m, nil
		}
	}
	return 0, 0, fmt.Errorf("want a time of day like 02:30")
}

var weekdays = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

func weekday(s string) (time.Weekday, error) {
	if i := slices.Index(weekdays, strings.ToLower(s)); i >= 0 {
		return time.Weekday(i), nil
	}
	return 0, fmt.Errorf("%q is not a day of the week (sunday, monday…)", s)
}

// every reads how often: daily, weekly or monthly (31 days, the longest
// month).
func every(s string) (time.Duration, error) {
	switch s {
	case "daily":
		return 24 * time.Hour, nil
	case "weekly":
		return 7 * 24 * time.Hour, nil
	case "monthly":
		return 31 * 24 * time.Hour, nil
	}
	return 0, fmt.Errorf("%q is not daily, weekly or monthly", s)
}

// ParseDuration reads a duration as the state writes it: a number and a
// unit, m (minutes), h (hours) or d (days): "30m", "6h", "2d".
func ParseDuration(s string) (time.Duration, error) {
	if len(s) < 2 {
		return 0, fmt.Errorf("%q is not a duration like 6h, 30m or 2d", s)
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n < 0 || strings.HasPrefix(s, "+") {
		return 0, fmt.Errorf("%q is not a duration like 6h, 30m or 2d", s)
	}
	unit := map[byte]time.Duration{'m': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour}[s[len(s)-1]]
	if unit == 0 || n > int(1<<62/int64(unit)) {
		return 0, fmt.Errorf("%q is not a duration like 6h, 30m or 2d", s)
	}
	return time.Duration(n) * unit, nil
}

// JobTag is the tag every snapshot of the job carries: "job:NAME".
func JobTag(job string) string { return "job:" + job }

// Tags are the tags of a run's snapshots: "itlag", "job:NAME" and "full"
// or "daily".
func Tags(job string, full bool) []string {
	kind := "daily"
	if full {
		kind = "full"
	}
	return []string{"itlag", JobTag(job), kind}
}

// keep turns the retention into restic's forget policy.
func keep(r schema.Retention) restic.Keep {
	return restic.Keep{Daily: r.KeepDaily, Weekly: r.KeepWeekly, Monthly: r.KeepMonthly, Yearly: r.KeepYearly, Within: r.KeepWithin}
}
