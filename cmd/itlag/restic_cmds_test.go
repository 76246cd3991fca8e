package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/lagrieta/itlag/app"
	"github.com/lagrieta/itlag/app/sandbox"
	"github.com/lagrieta/itlag/ops/backup"
	"github.com/lagrieta/itlag/ops/backup/restic/restictest"
	"github.com/lagrieta/itlag/schema"
)

// resticCmds are the script commands about the sandbox's restic
// repositories.
func resticCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		// fastrepos STATE SANDBOX [JOB/DEST...]: give the backup
		// destinations of the state (all, or those named), in the
		// sandbox, a repository that opens in milliseconds
		// (sandboxFastRepos). The scripts call it before their first
		// backup run, except where restic init itself is under test:
		// there, after it.
		"fastrepos": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) < 2 {
				ts.Fatalf("usage: fastrepos STATE SANDBOX [JOB/DEST...]")
			}
			ts.Check(sandboxFastRepos(context.Background(), ts.MkAbs(args[0]), ts.MkAbs(args[1]), args[2:]...))
		},
	}
}

// sandboxFastRepos makes the sandbox's restic repositories cheap to open
// (those named JOB/DEST in only, or all): each destination's repository (where the sandbox puts it, with the
// sandbox's stand-in password) is created with restictest.NewRepo, or,
// when restic init already made it, has its key rewrapped by
// restictest.FastKey. restic init calibrates its key derivation to half
// a second of CPU, paid again by every restic command: the scripts spent
// most of their CPU there.
func sandboxFastRepos(ctx context.Context, stateDir, sb string, only ...string) error {
	st, err := schema.Load(stateDir)
	if err != nil {
		return err
	}
	jobs, err := backup.JobsFromState(st, app.SandboxSecret)
	if err != nil {
		return err
	}
	if jobs, err = sandbox.BackupJobs(sb, jobs); err != nil {
		return err
	}
	bin, err := exec.LookPath("restic")
	if err != nil {
		return err
	}
	done := 0
	for _, j := range jobs {
		for _, d := range j.Destinations {
			if len(only) > 0 && !slices.Contains(only, j.Name+"/"+d.Name) {
				continue
			}
			done++
			if _, err := os.Stat(filepath.Join(d.Repo.URL, "config")); err == nil {
				err = restictest.FastKey(ctx, bin, d.Repo.URL, d.Repo.Password)
			} else {
				err = restictest.NewRepo(d.Repo.URL, d.Repo.Password)
			}
			if err != nil {
				return fmt.Errorf("%s/%s: %w", j.Name, d.Name, err)
			}
		}
	}
	if done == 0 || len(only) > 0 && done != len(only) {
		return fmt.Errorf("fastrepos: %d of the destinations %v found in %s", done, only, stateDir)
	}
	return nil
}
