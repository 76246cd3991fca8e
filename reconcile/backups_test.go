package reconcile

import (
	"strings"
	"testing"

	"github.com/lagrieta/itlag/schema"
)

func TestBackupTasks(t *testing.T) {
	jobs := map[string]schema.Backup{
		"docs": {RunsOn: "office", Schedule: schema.BackupSchedule{Daily: "02:30", WeeklyFull: "sunday"},
			Verify: schema.Verify{CheckEvery: "weekly", DrillEvery: "monthly"}},
		"photos": {RunsOn: "office", Schedule: schema.BackupSchedule{Daily: "23:15", WeeklyFull: "wednesday"},
			Verify: schema.Verify{CheckEvery: "daily", DrillEvery: "weekly"}},
		"elsewhere": {RunsOn: "local", Schedule: schema.BackupSchedule{Daily: "01:00", WeeklyFull: "sunday"}},
	}
	tasks, errs := BackupTasks("office", "/usr/local/bin/itlag --state /volume1/itlag", jobs)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var got []string
	for _, task := range tasks {
		got = append(got, task.Name+": "+task.Schedule+" "+task.Command)
	}
	want := []string{
		"backup-docs: 30 2 * * 1,2,3,4,5,6 /usr/local/bin/itlag --state /volume1/itlag backup run docs",
		"backup-docs-full: 30 2 * * 0 /usr/local/bin/itlag --state /volume1/itlag backup run docs --full",
		"backup-docs-check: 30 4 * * 1 /usr/local/bin/itlag --state /volume1/itlag backup verify docs --check",
		"backup-docs-drill: 30 5 15 * * /usr/local/bin/itlag --state /volume1/itlag backup verify docs --drill",
		"backup-photos: 15 23 * * 0,1,2,4,5,6 /usr/local/bin/itlag --state /volume1/itlag backup run photos",
		"backup-photos-full: 15 23 * * 3 /usr/local/bin/itlag --state /volume1/itlag backup run photos --full",
		"backup-photos-check: 15 1 * * * /usr/local/bin/itlag --state /volume1/itlag backup verify photos --check",
		"backup-photos-drill: 15 2 * * 4 /usr/local/bin/itlag --state /volume1/itlag backup verify photos --drill",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("tasks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, task := range tasks {
		if err := task.Validate(); err != nil {
			t.Errorf("%s: %v", task.Name, err)
		}
	}
}

func TestBackupRunsOnUnknownNAS(t *testing.T) {
	st := &schema.State{Backups: map[string]schema.Backup{"docs": {RunsOn: "garage", Schedule: schema.BackupSchedule{Daily: "02:30", WeeklyFull: "sunday"}}}}
	if _, err := DesiredFromState(st, nil); err == nil || !strings.Contains(err.Error(), `backups.docs.runs_on: no NAS named "garage"`) {
		t.Errorf("err = %v", err)
	}
}
