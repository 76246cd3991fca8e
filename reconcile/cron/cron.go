// Package cron renders scheduled tasks as the lines of a cron file (cron.d
// format, with a user field) and checks their schedules, so that a task
// declared in the state becomes exactly one cron line on the NAS.
package cron

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Task is a scheduled task, kept as a line of the NAS's cron file.
type Task struct {
	// Name identifies the task; it is written in the comment above it.
	Name string
	// Schedule is five cron fields ("30 2 * * *") or a shortcut
	// ("@daily"); see ValidSchedule.
	Schedule string
	// Command is run by cron's shell, on one line.
	Command string
	// User runs the command (cron.d and /etc/crontab have a user field).
	User string
	// Enabled false keeps the task in the file, commented out.
	Enabled bool
}

// Validate checks that t renders as exactly the lines Block promises:
// a one-line name, a valid schedule, a user name of one word and a
// one-line command without cron's unescaped "%" (which cron turns into a
// newline, cutting the command short).
func (t Task) Validate() error {
	var errs []error
	if t.Name == "" || strings.ContainsAny(t.Name, "\r\n") {
		errs = append(errs, errors.New("name must be one non-empty line"))
	}
	if err := ValidSchedule(t.Schedule); err != nil {
		errs = append(errs, err)
	}
	if t.User == "" || strings.ContainsAny(t.User, " \t\r\n") {
		errs = append(errs, fmt.Errorf("user %q must be one word", t.User))
	}
	switch {
	case strings.TrimSpace(t.Command) == "":
		errs = append(errs, errors.New("command is empty"))
	case strings.ContainsAny(t.Command, "\r\n"):
		errs = append(errs, errors.New("command must be one line"))
	case hasBarePercent(t.Command):
		errs = append(errs, errors.New(`command holds a "%", which cron turns into a newline: write "\%" (date +\%F)`))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("task %q: %w", t.Name, err)
	}
	return nil
}

// hasBarePercent reports a "%" not preceded by a backslash.
func hasBarePercent(s string) bool {
	for i := range len(s) {
		if s[i] == '%' && (i == 0 || s[i-1] != '\\') {
			return true
		}
	}
	return false
}

// Block renders tasks as the lines of a cron.d-format block, sorted by
// name (then schedule, user, command, so the text never depends on the
// input's order): for each, a "# task NAME" comment, then
// "SCHEDULE USER COMMAND", or "# disabled: SCHEDULE USER COMMAND" when the
// task is not enabled. Check tasks with Task.Validate first; line breaks
// that slip through are turned into spaces, so a task is always two lines.
func Block(tasks []Task) string {
	sorted := slices.Clone(tasks)
	slices.SortFunc(sorted, func(a, b Task) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Schedule, b.Schedule),
			cmp.Compare(a.User, b.User), cmp.Compare(a.Command, b.Command))
	})
	oneLine := strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")
	var b strings.Builder
	for _, t := range sorted {
		b.WriteString("# task " + oneLine.Replace(t.Name) + "\n")
		line := strings.Join(strings.Fields(t.Schedule), " ") + " " + oneLine.Replace(t.User) + " " + oneLine.Replace(t.Command)
		if !t.Enabled {
			line = "# disabled: " + line
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

// shortcuts are the schedule shortcuts of Vixie cron and cronie.
var shortcuts = []string{"@reboot", "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}

// cronFields are the five fields: name, bounds, and names allowed in place
// of numbers.
var cronFields = []struct {
	name     string
	min, max int
	names    []string // names[i] stands for min+i
}{
	{name: "minute", min: 0, max: 59},
	{name: "hour", min: 0, max: 23},
	{name: "day of month", min: 1, max: 31},
	{name: "month", min: 1, max: 12, names: []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}},
	{name: "day of week", min: 0, max: 7, names: []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}},
}

// ValidSchedule accepts a cron schedule: five fields (minute hour
// day-of-month month day-of-week), each a comma list of "*", "N" or "N-M",
// optionally with "/STEP", months and weekdays also by their three-letter
// English names; or one of @reboot, @yearly, @annually, @monthly, @weekly,
// @daily, @midnight, @hourly. The error says which field is wrong and why.
func ValidSchedule(s string) error {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "@") {
		if slices.Contains(shortcuts, s) {
			return nil
		}
		return fmt.Errorf("schedule %q: unknown shortcut, want one of %s", s, strings.Join(shortcuts, ", "))
	}
	f := strings.Fields(s)
	if len(f) != 5 {
		return fmt.Errorf("schedule %q: %d fields, want 5 (minute hour day-of-month month day-of-week) as in \"30 2 * * *\", or a shortcut like @daily", s, len(f))
	}
	for i, field := range f {
		def := cronFields[i]
		for item := range strings.SplitSeq(field, ",") {
			if err := checkCronItem(item, def.min, def.max, def.names); err != nil {
				return fmt.Errorf("schedule %q: %s %q: %w", s, def.name, field, err)
			}
		}
	}
	return nil
}

// checkCronItem checks one comma-separated item of a field.
func checkCronItem(item string, lo, hi int, names []string) error {
	rng, step, hasStep := strings.Cut(item, "/")
	if hasStep {
		n, err := strconv.Atoi(step)
		if err != nil || n < 1 || n > hi-lo+1 {
			return fmt.Errorf("step %q is not a number from 1 to %d", step, hi-lo+1)
		}
	}
	if rng == "*" {
		return nil
	}
	from, to, isRange := strings.Cut(rng, "-")
	a, err := cronValue(from, lo, hi, names)
	if err != nil {
		return err
	}
	if !isRange {
		if hasStep {
			return fmt.Errorf("%q: a step needs a range or \"*\" before it", item)
		}
		return nil
	}
	b, err := cronValue(to, lo, hi, names)
	if err != nil {
		return err
	}
	if a > b {
		return fmt.Errorf("range %q runs backwards", rng)
	}
	return nil
}

// cronValue reads a number within [lo, hi], or a name.
func cronValue(v string, lo, hi int, names []string) (int, error) {
	if i := slices.Index(names, strings.ToLower(v)); i >= 0 {
		return lo + i, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || strings.HasPrefix(v, "+") || strings.HasPrefix(v, "-") {
		if len(names) > 0 {
			return 0, fmt.Errorf("%q is not a number from %d to %d nor a name (%s…)", v, lo, hi, strings.Join(names[:3], ", "))
		}
		return 0, fmt.Errorf("%q is not a number from %d to %d", v, lo, hi)
	}
	if n < lo || n > hi {
		return 0, fmt.Errorf("%d is out of range %d-%d", n, lo, hi)
	}
	return n, nil
}
