package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/lagrieta/itlag/app/sandbox"
	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/backup"
	"github.com/lagrieta/itlag/ops/backup/restic"
	"github.com/lagrieta/itlag/reconcile"
	"github.com/lagrieta/itlag/schema"
	"github.com/lagrieta/itlag/store/safefile"
)

// FindJob returns the named job of jobs, or an error listing the names.
func FindJob(jobs []backup.Job, name string) (backup.Job, error) {
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

// Backups builds the jobs with their secrets, the restic runner and the
// local database: real ones, or in the sandbox repositories and sources in
// the sandbox directory. The caller calls the returned function when done.
func (rt *Runtime) Backups() ([]backup.Job, backup.Deps, func(), error) {
	jobs, err := backup.JobsFromState(withoutPending(rt.State), rt.Secret)
	if err != nil {
		return nil, backup.Deps{}, nil, err
	}
	var cleanup []func()
	if rt.Sandboxed() {
		if jobs, err = sandbox.BackupJobs(rt.Opts.Sandbox, jobs); err != nil {
			return nil, backup.Deps{}, nil, err
		}
	} else {
		tmp, err := os.MkdirTemp("", "itlag-known-hosts-")
		if err != nil {
			return nil, backup.Deps{}, nil, err
		}
		cleanup = append(cleanup, func() { os.RemoveAll(tmp) })
		if err := pinSFTP(jobs, rt.State, tmp); err != nil {
			os.RemoveAll(tmp)
			return nil, backup.Deps{}, nil, err
		}
	}
	db, err := rt.DB()
	if err != nil {
		for _, c := range cleanup {
			c()
		}
		return nil, backup.Deps{}, nil, err
	}
	closeFn := func() {
		for _, c := range cleanup {
			c()
		}
	}
	return jobs, backup.Deps{Restic: &restic.Runner{}, DB: db}, closeFn, nil
}

// withoutPending is st without the backup destinations whose repository
// or host key is pending: they are never connected to, in the sandbox as
// for real, and their credentials are not read (their finding,
// reconcile.PendingFindings, says what to fill in).
func withoutPending(st *schema.State) *schema.State {
	c := *st
	c.Backups = make(map[string]schema.Backup, len(st.Backups))
	for name, b := range st.Backups {
		dests := make(map[string]schema.Destination, len(b.Destinations))
		for dn, d := range b.Destinations {
			if !reconcile.DestinationPending(d) {
				dests[dn] = d
			}
		}
		b.Destinations = dests
		c.Backups[name] = b
	}
	return &c
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

// BackupStatus is every job's state per destination, with its findings.
func (rt *Runtime) BackupStatus(ctx context.Context, now time.Time) ([]backup.DestinationStatus, []finding.Finding, error) {
	jobs, deps, closeFn, err := rt.Backups()
	if err != nil {
		return nil, nil, err
	}
	defer closeFn()
	sts, err := backup.Status(ctx, deps, jobs, now)
	if err != nil {
		return nil, nil, err
	}
	return sts, backup.Findings(sts), nil
}

// BackupRun runs job now (full: restic backup --force); prog (nil: none)
// hears one task per destination, "backup JOB/DEST" in thousandths, fed
// by restic's status lines (backupProgress).
func (rt *Runtime) BackupRun(ctx context.Context, name string, full bool, prog Progress) (backup.RunReport, error) {
	job, deps, closeFn, err := rt.backupJob(name)
	if err != nil {
		return backup.RunReport{}, err
	}
	defer closeFn()
	hear, finish := backupProgress(progressOr(prog), job.Name)
	deps.Progress = hear
	rep, err := backup.Run(ctx, deps, job, full)
	finish()
	if err != nil {
		return rep, fmt.Errorf("backup run %s: %w", job.Name, err)
	}
	return rep, nil
}

// BackupVerify checks job's repositories and/or runs its restore drill;
// neither asked means both.
func (rt *Runtime) BackupVerify(ctx context.Context, name string, check, drill bool) (backup.VerifyReport, error) {
	job, deps, closeFn, err := rt.backupJob(name)
	if err != nil {
		return backup.VerifyReport{}, err
	}
	defer closeFn()
	if !check && !drill {
		check, drill = true, true
	}
	rep, err := backup.Verify(ctx, deps, job, check, drill)
	if err != nil {
		return rep, fmt.Errorf("backup verify %s: %w", job.Name, err)
	}
	return rep, nil
}

// backupJob is Backups for the named job only.
func (rt *Runtime) backupJob(name string) (backup.Job, backup.Deps, func(), error) {
	jobs, deps, closeFn, err := rt.Backups()
	if err != nil {
		return backup.Job{}, backup.Deps{}, nil, err
	}
	job, err := FindJob(jobs, name)
	if err != nil {
		closeFn()
		return backup.Job{}, backup.Deps{}, nil, err
	}
	return job, deps, closeFn, nil
}

// Runbook is one job's recovery guide, from the state only: it reads no
// secret.
type Runbook struct {
	Job      string
	Markdown string
}

// BackupRunbooks returns the recovery guides of the named jobs (every job
// when none is named) in lang: "en" or "es", "" meaning the handbook's
// language when the state declares a handbook, else "en"; another
// language is an error naming those.
func (rt *Runtime) BackupRunbooks(names []string, lang string) ([]Runbook, error) {
	if lang == "" {
		lang = "en"
		if rt.State.Handbook != nil {
			lang = rt.State.Handbook.Language
		}
	}
	if err := backup.CheckRunbookLang(lang); err != nil {
		return nil, fmt.Errorf("backup runbook: %w", err)
	}
	jobs, err := backup.JobsFromStateUnresolved(rt.State)
	if err != nil {
		return nil, err
	}
	if len(names) > 0 {
		var sel []backup.Job
		for _, n := range names {
			j, err := FindJob(jobs, n)
			if err != nil {
				return nil, err
			}
			sel = append(sel, j)
		}
		jobs = sel
	}
	if len(jobs) == 0 {
		return nil, errors.New("backup runbook: the state declares no backups")
	}
	var out []Runbook
	for _, j := range jobs {
		md, err := backup.Runbook(j, lang)
		if err != nil {
			return nil, fmt.Errorf("backup runbook: %w", err)
		}
		out = append(out, Runbook{Job: j.Name, Markdown: md})
	}
	return out, nil
}

// WriteRunbooks writes each runbook as DIR/JOB.md (never through a
// symlink) and returns the paths.
func WriteRunbooks(dir string, rbs []Runbook) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var paths []string
	for _, rb := range rbs {
		path := filepath.Join(dir, rb.Job+".md")
		if err := safefile.WriteFile(dir, rb.Job+".md", []byte(rb.Markdown), 0o644); err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// backupFindings asks restic for the state of every backup job; without
// restic, one low finding says the backups were not checked. The statuses
// are nil when they could not be read.
func (rt *Runtime) backupFindings(ctx context.Context, now time.Time) ([]backup.DestinationStatus, []finding.Finding) {
	if len(rt.State.Backups) == 0 {
		return nil, nil
	}
	if _, err := exec.LookPath("restic"); err != nil {
		return nil, []finding.Finding{finding.New(finding.Low, "backup:", "no-restic",
			"restic is not installed here: the backups were not checked (run itlag backup status where they run)")}
	}
	sts, fs, err := rt.BackupStatus(ctx, now)
	if err != nil {
		f := finding.New(finding.High, "backup:", "status", "the backups could not be checked")
		f.Detail = err.Error()
		return nil, []finding.Finding{f}
	}
	return sts, fs
}
