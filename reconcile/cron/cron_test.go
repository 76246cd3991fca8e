package cron

import (
	"strings"
	"testing"
)

func TestCronBlock(t *testing.T) {
	tasks := []Task{
		{Name: "zz-prune", Schedule: "0  4 * * 0", User: "root", Command: "restic forget --prune", Enabled: true},
		{Name: "backup", Schedule: "@daily", User: "admin", Command: "/usr/local/bin/backup.sh", Enabled: true},
		{Name: "old-sync", Schedule: "*/15 * * * *", User: "root", Command: "rsync -a /a /b"},
	}
	want := "# task backup\n@daily admin /usr/local/bin/backup.sh\n" +
		"# task old-sync\n# disabled: */15 * * * * root rsync -a /a /b\n" +
		"# task zz-prune\n0 4 * * 0 root restic forget --prune\n"
	if got := Block(tasks); got != want {
		t.Fatalf("Block:\n%s\nwant:\n%s", got, want)
	}
	// The order of the input does not matter, nor is it changed.
	rev := []Task{tasks[2], tasks[1], tasks[0]}
	if got := Block(rev); got != want {
		t.Fatalf("Block of reversed tasks:\n%s", got)
	}
	if rev[0].Name != "old-sync" {
		t.Fatal("Block sorted its argument")
	}
	if got := Block(nil); got != "" {
		t.Fatalf("Block(nil) = %q", got)
	}
}

func TestCronBlockNeverAddsLines(t *testing.T) {
	got := Block([]Task{{Name: "a\nb", Schedule: "@daily", User: "root", Command: "x\n* * * * * root rm -rf /", Enabled: true}})
	if n := strings.Count(got, "\n"); n != 2 {
		t.Fatalf("one task rendered as %d lines:\n%s", n, got)
	}
}

func TestValidSchedule(t *testing.T) {
	good := []string{
		"* * * * *", "30 2 * * *", "0 4 * * 0", "0 4 * * 7", "*/5 * * * *", "0 0 1 1 *",
		"0 9-17/2 * * mon-fri", "15,45 * * jan,jul *", "0 0 31 12 SUN", "59 23 1-31/3 * *",
		" 0 1 * * * ", "@reboot", "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly",
	}
	for _, s := range good {
		if err := ValidSchedule(s); err != nil {
			t.Errorf("ValidSchedule(%q): %v", s, err)
		}
	}
	bad := []struct{ s, says string }{
		{"", "0 fields"},
		{"garbage", "1 fields"},
		{"* * * *", "4 fields"},
		{"* * * * * *", "6 fields"},
		{"@every 5m", "unknown shortcut"},
		{"@Daily", "unknown shortcut"},
		{"60 * * * *", "minute"},
		{"* 24 * * *", "hour"},
		{"* * 0 * *", "day of month"},
		{"* * 32 * *", "out of range"},
		{"* * * 13 *", "month"},
		{"* * * * 8", "day of week"},
		{"* * * * mon-sunday", "day of week"},
		{"*/0 * * * *", "step"},
		{"*/x * * * *", "step"},
		{"5/10 * * * *", "a step needs a range"},
		{"10-5 * * * *", "backwards"},
		{"1,,2 * * * *", "minute"},
		{"-1 * * * *", "minute"},
		{"+1 * * * *", "minute"},
		{"* * * foo *", "month"},
	}
	for _, b := range bad {
		err := ValidSchedule(b.s)
		if err == nil {
			t.Errorf("ValidSchedule(%q) accepted", b.s)
			continue
		}
		if !strings.Contains(err.Error(), b.says) || !strings.Contains(err.Error(), "schedule") {
			t.Errorf("ValidSchedule(%q) = %v, want it to say %q", b.s, err, b.says)
		}
	}
}

func TestTaskValidate(t *testing.T) {
	ok := Task{Name: "backup", Schedule: "@daily", User: "root", Command: `tar czf /b/$(date +\%F).tgz /a`}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid task: %v", err)
	}
	tests := []struct {
		mutate func(*Task)
		says   string
	}{
		{func(t *Task) { t.Name = "" }, "name"},
		{func(t *Task) { t.Schedule = "daily" }, "schedule"},
		{func(t *Task) { t.User = "" }, "user"},
		{func(t *Task) { t.User = "a b" }, "user"},
		{func(t *Task) { t.Command = "  " }, "empty"},
		{func(t *Task) { t.Command = "a\nb" }, "one line"},
		{func(t *Task) { t.Command = "date +%F" }, `\%`},
	}
	for _, tt := range tests {
		task := ok
		tt.mutate(&task)
		err := task.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("%+v: err = %v, want it to say %q", task, err, tt.says)
		}
	}
}
