package reconcile

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/lagrieta/itlag/reconcile/cron"
	"github.com/lagrieta/itlag/schema"
)

var weekdays = map[string]int{"sunday": 0, "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6}

// BackupTasks are the cron tasks of the backup jobs that run on the named
// NAS, by job name: the daily run (then forget --prune) on every day but
// the weekly full day, the full run (backup --force) on that day, the
// integrity check two hours after the daily time and the restore drill
// three hours after it, each as often as the job's verify says (weekly:
// Monday and Thursday; monthly: the 1st and the 15th). itlagCmd is how
// cron calls itlag there.
func BackupTasks(nasName, itlagCmd string, jobs map[string]schema.Backup) ([]cron.Task, []error) {
	var out []cron.Task
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(jobs)) {
		j := jobs[name]
		if j.RunsOn != nasName {
			continue
		}
		hh, mm, err := clock(j.Schedule.Daily)
		if err != nil {
			errs = append(errs, fmt.Errorf("backups.%s.schedule.daily: %w", name, err))
			continue
		}
		full, ok := weekdays[j.Schedule.WeeklyFull]
		if !ok {
			errs = append(errs, fmt.Errorf("backups.%s.schedule.weekly_full: %q is not a day of the week", name, j.Schedule.WeeklyFull))
			continue
		}
		var others []string
		for d := range 7 {
			if d != full {
				others = append(others, strconv.Itoa(d))
			}
		}
		at := func(h int, days, dom string) string {
			return fmt.Sprintf("%d %d %s * %s", mm, h%24, dom, days)
		}
		cmd := itlagCmd + " backup "
		out = append(out,
			cron.Task{Name: "backup-" + name, Schedule: at(hh, strings.Join(others, ","), "*"), Command: cmd + "run " + name, User: "root", Enabled: true},
			cron.Task{Name: "backup-" + name + "-full", Schedule: at(hh, strconv.Itoa(full), "*"), Command: cmd + "run " + name + " --full", User: "root", Enabled: true},
			cron.Task{Name: "backup-" + name + "-check", Schedule: every(j.Verify.CheckEvery, at, hh+2, "1", "1"), Command: cmd + "verify " + name + " --check", User: "root", Enabled: true},
			cron.Task{Name: "backup-" + name + "-drill", Schedule: every(j.Verify.DrillEvery, at, hh+3, "4", "15"), Command: cmd + "verify " + name + " --drill", User: "root", Enabled: true},
		)
	}
	return out, errs
}

// every is a schedule at hour h: daily, weekly on weekday, or monthly on
// day of month.
func every(how string, at func(h int, days, dom string) string, h int, weekday, dom string) string {
	switch how {
	case "daily":
		return at(h, "*", "*")
	case "monthly":
		return at(h, "*", dom)
	}
	return at(h, weekday, "*")
}

// clock parses "HH:MM".
func clock(s string) (hh, mm int, err error) {
	h, m, ok := strings.Cut(s, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, 0, fmt.Errorf("%q is not a time of day like 02:30", s)
	}
	return hh, mm, nil
}
