package app

import (
	"strings"
	"testing"

	"github.com/lagrieta/itlag/schema"
)

// BackupRunbooks writes in the language asked, English when none is, and
// refuses another naming both.
func TestBackupRunbooksLang(t *testing.T) {
	st := &schema.State{Backups: map[string]schema.Backup{"docs": {
		RunsOn: "local", Sources: []string{"/srv/docs"},
		Destinations: map[string]schema.Destination{
			"usb": {Repository: "/mnt/usb/restic", Media: "usb", Password: schema.CredentialRef{Env: "PW"}},
		},
		Schedule:  schema.BackupSchedule{Daily: "03:00"},
		Retention: schema.Retention{KeepDaily: 7},
	}}}
	rt := &Runtime{State: st}
	for _, tc := range []struct{ lang, head, err string }{
		{"", "# Recovery runbook: backup job docs\n", ""},
		{"en", "# Recovery runbook: backup job docs\n", ""},
		{"es", "# Procedimiento de recuperación: tarea de copia de seguridad docs\n", ""},
		{"fr", "", `backup runbook: language "fr": want en or es`},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			rbs, err := rt.BackupRunbooks([]string{"docs"}, tc.lang)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("err %v, want %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(rbs) != 1 || rbs[0].Job != "docs" || !strings.HasPrefix(rbs[0].Markdown, tc.head) {
				t.Errorf("runbooks %+v, want docs starting %q", rbs, tc.head)
			}
		})
	}
}
