package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lagrieta/itlag/app"
	"github.com/lagrieta/itlag/publish/render"
)

const backupHelp = `Usage: itlag backup run JOB [--full]
       itlag backup verify JOB [--check] [--drill]
       itlag backup status [--detailed-exitcode] [--format text|json]
       itlag backup runbook [JOB...] [--out DIR] [--lang en|es]

Runs and proves the backup jobs the state declares (backups:), with restic.
Cron runs them on the NAS (see the tasks "itlag plan" shows); by hand they
run on the machine where itlag runs.

  run JOB      restic backup to every destination (--full: backup --force,
               which re-reads every file), recorded in the local database,
               then forget --keep-… --prune with the job's retention
  verify JOB   restic check --read-data-subset (--check) and a restore drill
               (--drill): restore a sample of files into a temporary
               directory and compare their hashes with the source; both
               when neither flag is given
  status       per job and destination: the latest snapshot's age against
               the schedule (ok, late past a day plus the grace, missing),
               the snapshot count, the last check and drill; one "restic
               snapshots" per repository. --detailed-exitcode exits 2 when
               something is wrong
  runbook      a Markdown recovery guide per job (every job unless some are
               named), from the state only (which repository, which
               credential reference, the exact restic commands): to stdout,
               or DIR/JOB.md with --out; in English or Spanish (--lang en|es;
               default: the language of the state's handbook, else English),
               the commands the same in both

Repository passwords are read from their references and given to restic in
its environment, never on a command line. sftp: repositories use their
pinned host key. With --sandbox the repositories are directories in the
sandbox and the sources are the fake NAS's.
`

func runBackup(ctx context.Context, e *env, args []string) (err error) {
	fs, g := newFlags(e, "backup", backupHelp)
	full := fs.Bool("full", false, "run: a full run (restic backup --force)")
	check := fs.Bool("check", false, "verify: run restic check")
	drill := fs.Bool("drill", false, "verify: run the restore drill")
	detailed := fs.Bool("detailed-exitcode", false, "status: exit 2 when a destination is not ok or a finding is open")
	out := fs.String("out", "", "runbook: write DIR/JOB.md instead of printing")
	lang := fs.String("lang", "", "runbook: language of the runbook: en or es (default: the handbook's language in the state, else en)")
	pos, err := parse(fs, g, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return exit(ExitError, errors.New("backup: want run, verify, status or runbook (see itlag backup --help)"))
	}
	rt, err := openRuntime(e, g)
	if err != nil {
		return err
	}
	defer closeRuntime(rt, &err)
	sub, rest := pos[0], pos[1:]
	switch sub {
	case "runbook":
		return backupRunbook(e, rt, rest, *out, *lang)
	case "run", "verify":
		if len(rest) != 1 {
			return exit(ExitError, fmt.Errorf("backup %s: name one job", sub))
		}
		if sub == "run" {
			rep, err := rt.BackupRun(ctx, rest[0], *full, progressFor(e, g.format))
			render.BackupRun(e.stdout, rep)
			if err != nil {
				return exit(ExitError, err)
			}
			return nil
		}
		rep, err := rt.BackupVerify(ctx, rest[0], *check, *drill)
		render.BackupVerify(e.stdout, rep)
		if err != nil {
			return exit(ExitError, err)
		}
		return nil
	case "status":
		if len(rest) > 0 {
			return exit(ExitError, fmt.Errorf("backup status: unexpected argument %q", rest[0]))
		}
		sts, findings, err := rt.BackupStatus(ctx, time.Now())
		if err != nil {
			return exit(ExitError, fmt.Errorf("backup status: %w", err))
		}
		if g.format == "json" {
			err = render.BackupStatusJSON(e.stdout, sts, findings)
		} else {
			render.BackupStatus(e.stdout, sts, findings)
		}
		if err != nil {
			return exit(ExitError, err)
		}
		if *detailed && len(findings) > 0 {
			return exit(ExitChanges, errSilent)
		}
		return nil
	}
	return exit(ExitError, fmt.Errorf("backup: unknown subcommand %q, want run, verify, status or runbook", sub))
}

// backupRunbook prints (or writes) each job's recovery guide in lang ("":
// the handbook's language, else English); it reads no
// secret.
func backupRunbook(e *env, rt *app.Runtime, names []string, outDir, lang string) error {
	rbs, err := rt.BackupRunbooks(names, lang)
	if err != nil {
		return exit(ExitError, err)
	}
	if outDir != "" {
		paths, err := app.WriteRunbooks(outDir, rbs)
		for _, p := range paths {
			fmt.Fprintf(e.stdout, "Wrote %s.\n", p)
		}
		if err != nil {
			return exit(ExitError, err)
		}
		return nil
	}
	for i, rb := range rbs {
		if i > 0 {
			fmt.Fprintln(e.stdout)
		}
		fmt.Fprint(e.stdout, rb.Markdown)
	}
	return nil
}
