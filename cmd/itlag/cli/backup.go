package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/lagrieta/itlag/app/sandbox"
	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/backup"
	"github.com/lagrieta/itlag/ops/backup/restic"
	"github.com/lagrieta/itlag/reconcile"
	"github.com/lagrieta/itlag/schema"
	"github.com/lagrieta/itlag/schema/secret"
	"github.com/lagrieta/itlag/store"
)

const backupHelp = `Usage: itlag backup run JOB [--full]
       itlag backup verify JOB [--check] [--drill]
       itlag backup status [--detailed-exitcode] [--format text|json]
       itlag backup runbook [--out DIR]

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
  runbook      a Markdown recovery guide per job, from the state only (which
               repository, which credential reference, the exact restic
               commands): to stdout, or DIR/JOB.md with --out

Repository passwords are read from their references and given to restic in
its environment, never on a command line. sftp: repositories use their
pinned host key. With --sandbox the repositories are directories in the
sandbox and the sources are the fake NAS's.
`

func runBackup(ctx context.Context, e *env, args []string) error {
	fs, g := newFlags(e, "backup", backupHelp)
	full := fs.Bool("full", false, "run: a full run (restic backup --force)")
	check := fs.Bool("check", false, "verify: run restic check")
	drill := fs.Bool("drill", false, "verify: run the restore drill")
	detailed := fs.Bool("detailed-exitcode", false, "status: exit 2 when a destination is not ok or a finding is open")
	out := fs.String("out", "", "runbook: write DIR/JOB.md instead of printing")
	pos, err := parse(fs, g, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return exit(ExitError, errors.New("backup: want run, verify, status or runbook (see itlag backup --help)"))
	}
	l, err := load(e, g)
	if err != nil {
		return err
	}
	sub, rest := pos[0], pos[1:]
	if sub == "runbook" {
		return backupRunbook(e, l, rest, *out)
	}
	jobs, deps, closeFn, err := backupSetup(g, l)
	if err != nil {
		return exit(ExitError, err)
	}
	defer closeFn()
	switch sub {
	case "run", "verify":
		if len(rest) != 1 {
			return exit(ExitError, fmt.Errorf("backup %s: name one job", sub))
		}
		job, err := findJob(jobs, rest[0])
		if err != nil {
			return exit(ExitError, err)
		}
		if sub == "run" {
			if isTTY(e.stderr) {
				deps.Progress = progressLine(e.stderr)
			}
			rep, err := backup.Run(ctx, deps, job, *full)
			printRun(e.stdout, rep)
			if err != nil {
				return exit(ExitError, fmt.Errorf("backup run %s: %w", job.Name, err))
			}
			return nil
		}
		if !*check && !*drill {
			*check, *drill = true, true
		}
		rep, err := backup.Verify(ctx, deps, job, *check, *drill)
		printVerify(e.stdout, rep)
		if err != nil {
			return exit(ExitError, fmt.Errorf("backup verify %s: %w", job.Name, err))
		}
		return nil
	case "status":
		if len(rest) > 0 {
			return exit(ExitError, fmt.Errorf("backup status: unexpected argument %q", rest[0]))
		}
		sts, err := backup.Status(ctx, deps, jobs, time.Now())
		if err != nil {
			return exit(ExitError, fmt.Errorf("backup status: %w", err))
		}
		findings := backup.Findings(sts)
		if g.format == "json" {
			err = backupStatusJSON(e.stdout, sts, findings)
		} else {
			printStatus(e.stdout, sts, findings)
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

func findJob(jobs []backup.Job, name string) (backup.Job, error) {
	var names []string
	for _, j := range jobs {
		if j.Name == name {
			return j, nil
		}
		names = append(names, j.Name)
	}
	if len(names) == 0 {
		return backup.Job{}, fmt.Errorf("backup: no job %q: the state declares no backups", name)
	}
	return backup.Job{}, fmt.Errorf("backup: no job %q, want one of %s", name, strings.Join(names, ", "))
}

// backupSetup builds the jobs with their secrets, the restic runner and the
// local database: real ones, or with --sandbox repositories and sources in
// the sandbox directory.
func backupSetup(g *globals, l *loaded) ([]backup.Job, backup.Deps, func(), error) {
	resolve := func(ref schema.CredentialRef) (string, error) { return secret.Resolve(ref) }
	if g.sandbox != "" {
		resolve = sandboxSecret
	}
	jobs, err := backup.JobsFromState(l.state, resolve)
	if err != nil {
		return nil, backup.Deps{}, nil, err
	}
	var dbPath string
	var cleanup []func()
	if g.sandbox != "" {
		if jobs, err = sandbox.BackupJobs(g.sandbox, jobs); err != nil {
			return nil, backup.Deps{}, nil, err
		}
		dbPath = filepath.Join(g.sandbox, store.DefaultFile)
	} else {
		dir, err := g.dataDirectory(true)
		if err != nil {
			return nil, backup.Deps{}, nil, err
		}
		dbPath = store.DefaultPath(dir)
		tmp, err := os.MkdirTemp("", "itlag-known-hosts-")
		if err != nil {
			return nil, backup.Deps{}, nil, err
		}
		cleanup = append(cleanup, func() { os.RemoveAll(tmp) })
		if err := pinSFTP(jobs, l.state, tmp); err != nil {
			os.RemoveAll(tmp)
			return nil, backup.Deps{}, nil, err
		}
	}
	db, err := store.Open(dbPath)
	if err != nil {
		for _, c := range cleanup {
			c()
		}
		return nil, backup.Deps{}, nil, err
	}
	closeFn := func() {
		db.Close()
		for _, c := range cleanup {
			c()
		}
	}
	return jobs, backup.Deps{Restic: &restic.Runner{}, DB: db}, closeFn, nil
}

// pinSFTP gives every sftp: destination an ssh command that accepts only
// its pinned host key (a known_hosts file in dir).
func pinSFTP(jobs []backup.Job, st *schema.State, dir string) error {
	for ji := range jobs {
		j := &jobs[ji]
		for di := range j.Destinations {
			d := &j.Destinations[di]
			if !strings.HasPrefix(d.Repository, "sftp:") {
				continue
			}
			sd := st.Backups[j.Name].Destinations[d.Name]
			where := fmt.Sprintf("backups.%s.destinations.%s", j.Name, d.Name)
			user, host, port, err := sftpTarget(d.Repository)
			if err != nil {
				return fmt.Errorf("%s.repository: %w", where, err)
			}
			if sd.SSHKey == nil || sd.SSHKey.File == "" {
				return fmt.Errorf("%s.ssh_key: want {file: PATH} (the private key's file)", where)
			}
			line, err := knownHostsLine(host, port, sd.HostKey)
			if err != nil {
				return fmt.Errorf("%s.host_key: %w", where, err)
			}
			kh := filepath.Join(dir, j.Name+"-"+d.Name)
			if err := os.WriteFile(kh, []byte(line+"\n"), 0o600); err != nil {
				return err
			}
			cmd, err := restic.NewSFTPCommand(user, host, port, sd.SSHKey.File, kh)
			if err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
			d.Repo.SFTPCommand = cmd
		}
	}
	return nil
}

// sftpTarget reads restic's sftp:user@host:/path and
// sftp://user@host:port//path forms.
func sftpTarget(repo string) (user, host string, port int, err error) {
	port = 22
	rest := strings.TrimPrefix(repo, "sftp:")
	if strings.HasPrefix(rest, "//") {
		rest = strings.TrimPrefix(rest, "//")
		hostPart, _, _ := strings.Cut(rest, "/")
		user, hostPort, ok := strings.Cut(hostPart, "@")
		if !ok {
			return "", "", 0, errors.New("want sftp://user@host[:port]//path")
		}
		if h, p, found := strings.Cut(hostPort, ":"); found {
			n, err := strconv.Atoi(p)
			if err != nil {
				return "", "", 0, fmt.Errorf("port %q is not a number", p)
			}
			return user, h, n, nil
		}
		return user, hostPort, port, nil
	}
	userHost, _, ok := strings.Cut(rest, ":")
	user, host, ok2 := strings.Cut(userHost, "@")
	if !ok || !ok2 {
		return "", "", 0, errors.New("want sftp:user@host:/path (the user is needed to log in with the key)")
	}
	return user, host, port, nil
}

// knownHostsLine turns a pinned host key into a known_hosts line for ssh;
// a fingerprint cannot be, since ssh needs the key itself.
func knownHostsLine(host string, port int, pin string) (string, error) {
	if pin == "" {
		return "", errors.New("required for sftp: repositories")
	}
	f := strings.Fields(pin)
	for i, x := range f {
		if strings.HasPrefix(x, "ssh-") || strings.HasPrefix(x, "ecdsa-") || strings.HasPrefix(x, "rsa-") {
			if i+1 >= len(f) {
				break
			}
			name := host
			if port != 22 {
				name = fmt.Sprintf("[%s]:%d", host, port)
			}
			return name + " " + x + " " + f[i+1], nil
		}
	}
	return "", errors.New("want the key itself (a known_hosts line, as ssh-keyscan prints it): ssh cannot pin a fingerprint")
}

func progressLine(w io.Writer) func(string, restic.Progress) {
	return func(dest string, p restic.Progress) {
		fmt.Fprintf(w, "\r%s: %5.1f%%  %d/%d files  %s/%s ", dest, p.PercentDone*100, p.FilesDone, p.TotalFiles, size(p.BytesDone), size(p.TotalBytes))
	}
}

func size(b int64) string {
	const unit = 1024
	if b < unit {
		return fmt.Sprintf("%d B", b)
	}
	d, exp := int64(unit), 0
	for n := b / unit; n >= unit; n /= unit {
		d *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(b)/float64(d), "KMGTPE"[exp])
}

func printRun(w io.Writer, rep backup.RunReport) {
	kind := "daily"
	if rep.Full {
		kind = "full"
	}
	for _, d := range rep.Destinations {
		switch {
		case d.Err != nil:
			fmt.Fprintf(w, "%s/%s: FAILED (%s): %v\n", rep.Job, d.Destination, kind, d.Err)
		default:
			s := d.Summary
			fmt.Fprintf(w, "%s/%s: snapshot %s (%s): %d new, %d changed, %d unchanged files, %s added, %s\n", rep.Job, d.Destination,
				s.SnapshotID, kind, s.FilesNew, s.FilesChanged, s.FilesUnmodified, size(s.DataAdded), s.Duration.Round(time.Millisecond))
			if d.Forget != nil {
				fmt.Fprintf(w, "%s/%s: retention kept %d, removed %d snapshot(s)\n", rep.Job, d.Destination, len(d.Forget.Kept), len(d.Forget.Removed))
			}
			if d.ForgetErr != nil {
				fmt.Fprintf(w, "%s/%s: retention FAILED: %v\n", rep.Job, d.Destination, d.ForgetErr)
			}
		}
	}
}

func printVerify(w io.Writer, rep backup.VerifyReport) {
	for _, d := range rep.Destinations {
		if c := d.Check; c != nil {
			fmt.Fprintf(w, "%s/%s: check %s\n", rep.Job, d.Destination, okText(c.OK, c.Errors))
		}
		if dr := d.Drill; dr != nil {
			fmt.Fprintf(w, "%s/%s: restore drill %s (%d file(s) compared, %d skipped: changed at the source since the snapshot)\n",
				rep.Job, d.Destination, okText(dr.OK, dr.Errors), dr.FilesChecked, dr.FilesSkipped)
		}
	}
}

func okText(ok bool, errs []string) string {
	if ok {
		return "ok"
	}
	if len(errs) == 0 {
		return "FAILED"
	}
	return "FAILED: " + strings.Join(errs, "; ")
}

func printStatus(w io.Writer, sts []backup.DestinationStatus, findings []finding.Finding) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "JOB\tDESTINATION\tSTATE\tLATEST\tAGE\tSNAPSHOTS\tSIZE\tLAST CHECK\tLAST DRILL")
	for _, s := range sts {
		latest, age := "-", "-"
		if s.Latest != nil {
			latest, age = s.Latest.ShortID, s.Age.Round(time.Minute).String()
		}
		sz := "-"
		if s.SizeBytes >= 0 {
			sz = size(s.SizeBytes)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", s.Job, s.Destination, s.State, latest, age, s.Snapshots, sz,
			lastCheck(s.LastCheck), lastDrill(s.LastDrill))
	}
	tw.Flush()
	if len(sts) == 0 {
		fmt.Fprintln(w, "No backup jobs are declared in the state.")
	}
	for _, f := range findings {
		fmt.Fprintf(w, "%s %s: %s\n", f.Severity, f.Source, f.Summary)
	}
}

func lastCheck(c *backup.CheckRecord) string {
	if c == nil {
		return "never"
	}
	return c.At.UTC().Format("2006-01-02 15:04") + " " + okWord(c.OK)
}

func lastDrill(d *backup.DrillRecord) string {
	if d == nil {
		return "never"
	}
	return d.At.UTC().Format("2006-01-02 15:04") + " " + okWord(d.OK)
}

func okWord(ok bool) string {
	if ok {
		return "ok"
	}
	return "FAILED"
}

func backupStatusJSON(w io.Writer, sts []backup.DestinationStatus, findings []finding.Finding) error {
	type dest struct {
		Job          string     `json:"job"`
		Destination  string     `json:"destination"`
		Repository   string     `json:"repository"`
		Media        string     `json:"media"`
		Offsite      bool       `json:"offsite"`
		State        string     `json:"state"`
		Error        string     `json:"error,omitempty"`
		Latest       string     `json:"latest_snapshot,omitempty"`
		LatestTime   *time.Time `json:"latest_time,omitempty"`
		AgeSeconds   int64      `json:"age_seconds,omitempty"`
		Snapshots    int        `json:"snapshots"`
		RetentionMax int        `json:"retention_max,omitempty"`
		SizeBytes    *int64     `json:"size_bytes,omitempty"`
		LastCheck    *time.Time `json:"last_check,omitempty"`
		LastCheckOK  *bool      `json:"last_check_ok,omitempty"`
		LastDrill    *time.Time `json:"last_drill,omitempty"`
		LastDrillOK  *bool      `json:"last_drill_ok,omitempty"`
	}
	out := struct {
		FormatVersion string            `json:"format_version"`
		Destinations  []dest            `json:"destinations"`
		Findings      []finding.Finding `json:"findings"`
	}{FormatVersion: reconcile.FormatVersion, Destinations: []dest{}, Findings: findings}
	if out.Findings == nil {
		out.Findings = []finding.Finding{}
	}
	for _, s := range sts {
		d := dest{Job: s.Job, Destination: s.Destination, Repository: s.Repository, Media: s.Media, Offsite: s.Offsite,
			State: string(s.State), Error: s.Error, Snapshots: s.Snapshots, RetentionMax: s.RetentionMax}
		if s.SizeBytes >= 0 {
			n := s.SizeBytes
			d.SizeBytes = &n
		}
		if s.Latest != nil {
			t := s.Latest.Time
			d.Latest, d.LatestTime, d.AgeSeconds = s.Latest.ID, &t, int64(s.Age.Seconds())
		}
		if c := s.LastCheck; c != nil {
			t, ok := c.At, c.OK
			d.LastCheck, d.LastCheckOK = &t, &ok
		}
		if dr := s.LastDrill; dr != nil {
			t, ok := dr.At, dr.OK
			d.LastDrill, d.LastDrillOK = &t, &ok
		}
		out.Destinations = append(out.Destinations, d)
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// backupRunbook prints (or writes) each job's recovery guide; it reads no
// secret.
func backupRunbook(e *env, l *loaded, names []string, outDir string) error {
	jobs, err := backup.JobsFromStateUnresolved(l.state)
	if err != nil {
		return exit(ExitError, err)
	}
	if len(names) > 0 {
		var sel []backup.Job
		for _, n := range names {
			j, err := findJob(jobs, n)
			if err != nil {
				return exit(ExitError, err)
			}
			sel = append(sel, j)
		}
		jobs = sel
	}
	if len(jobs) == 0 {
		return exit(ExitError, errors.New("backup runbook: the state declares no backups"))
	}
	for i, j := range jobs {
		md := backup.Runbook(j)
		if outDir == "" {
			if i > 0 {
				fmt.Fprintln(e.stdout)
			}
			fmt.Fprint(e.stdout, md)
			continue
		}
		if err := os.MkdirAll(outDir, 0o755); err != nil {
			return exit(ExitError, err)
		}
		path := filepath.Join(outDir, j.Name+".md")
		if err := os.WriteFile(path, []byte(md), 0o644); err != nil {
			return exit(ExitError, err)
		}
		fmt.Fprintf(e.stdout, "Wrote %s.\n", path)
	}
	return nil
}
