package backup

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lagrieta/itlag/ops/backup/restic"
	"github.com/lagrieta/itlag/schema"
)

// BenchmarkStatus takes the status of 3 jobs × 2 destinations with the
// real restic, each job in repositories of its own (6) or all three
// sharing two. It reports restic invocations per status (the goal: one
// snapshots --json per repository) and milliseconds per status. The test
// repositories open with cheap key derivation: a repository made by
// restic init adds about half a second of scrypt per invocation.
func BenchmarkStatus(b *testing.B) {
	for _, shared := range []bool{false, true} {
		name := "separate-repositories"
		if shared {
			name = "shared-repositories"
		}
		b.Run(name, func(b *testing.B) {
			r := needRestic(b)
			tmp := b.TempDir()
			src := filepath.Join(tmp, "src")
			mustMkdir(b, src)
			if err := os.WriteFile(filepath.Join(src, "a.txt"), []byte("alpha"), 0o600); err != nil {
				b.Fatal(err)
			}
			backups := map[string]schema.Backup{}
			repos := map[string]bool{}
			for _, job := range []string{"docs", "mail", "photos"} {
				spec := backupSpec(job, src)
				for dn, d := range spec.Destinations {
					d.Repository = filepath.Join(tmp, job+"-"+dn)
					if shared {
						d.Repository = filepath.Join(tmp, dn)
					}
					d.Env = nil
					spec.Destinations[dn] = d
					repos[d.Repository] = true
				}
				backups[job] = spec
			}
			for repo := range repos {
				newTestRepo(b, repo, "secret-of-env:PW_USB")
			}
			// one password for all: every reference resolves to the same value
			jobs, err := JobsFromState(&schema.State{Backups: backups}, func(schema.CredentialRef) (string, error) { return "secret-of-env:PW_USB", nil })
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			for _, j := range jobs {
				for _, d := range j.Destinations {
					if _, err := r.Backup(ctx, d.Repo, j.Sources, restic.BackupOptions{Tags: Tags(j.Name, false), Host: j.RunsOn}); err != nil {
						b.Fatal(err)
					}
				}
			}
			deps := Deps{Restic: r, DB: openDB(b)}
			before := r.Calls.Load()
			start := time.Now()
			for b.Loop() {
				sts, err := Status(ctx, deps, jobs, time.Now())
				if err != nil {
					b.Fatal(err)
				}
				for _, st := range sts {
					if st.State != StateOK {
						b.Fatalf("%s/%s: %s %s", st.Job, st.Destination, st.State, st.Error)
					}
				}
			}
			b.ReportMetric(float64(r.Calls.Load()-before)/float64(b.N), "restic-calls/op")
			b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(b.N), "ms/op")
		})
	}
}
