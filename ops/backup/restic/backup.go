package restic

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// timeFormat is what restic's --time accepts, read in restic's local time
// zone (the child inherits TZ, so it is ours).
const timeFormat = "2006-01-02 15:04:05"

// Backup backs paths up into repo (backup --json), streaming restic's
// status lines to o.Progress. Exit code 3 (some files unreadable) returns
// the Summary, its Warnings and an error wrapping ErrPartial.
func (r *Runner) Backup(ctx context.Context, repo Repo, paths []string, o BackupOptions) (Summary, error) {
	args, err := backupArgs(paths, o)
	if err != nil {
		return Summary{}, opError(repo, "backup", err)
	}
	p := &backupParser{onProgress: o.Progress}
	res, err := r.run(ctx, invocation{args: args, repo: &repo, onLine: p.line})
	if err != nil {
		return Summary{}, opError(repo, "backup", err)
	}
	for _, l := range strings.Split(string(res.stderr), "\n") {
		p.line([]byte(l))
	}
	if res.stderrCut {
		p.warnings = append(p.warnings, "further warnings were cut (over 4 MiB)")
	}
	red := newRedactor(repo)
	for i, w := range p.warnings {
		p.warnings[i] = red.String(w)
	}
	sum, parseErr := p.result()
	switch res.code {
	case 0:
		if parseErr != nil {
			return sum, opError(repo, "backup", parseErr)
		}
		return sum, nil
	case 3:
		e := &ExitError{Code: 3, Kind: ErrPartial, Message: partialMessage(sum.Warnings)}
		return sum, opError(repo, "backup", e)
	}
	return sum, opError(repo, "backup", exitErr(res, red))
}

func backupArgs(paths []string, o BackupOptions) ([]string, error) {
	if len(paths) == 0 {
		return nil, errors.New("no paths to back up")
	}
	for _, p := range paths {
		if p == "" || strings.ContainsRune(p, 0) {
			return nil, fmt.Errorf("source path %q: empty or holds a NUL byte", p)
		}
	}
	if err := checkTags(o.Tags); err != nil {
		return nil, err
	}
	args := []string{"backup", "--json"}
	if o.Force {
		args = append(args, "--force")
	}
	for _, e := range o.Excludes {
		if e == "" {
			return nil, errors.New("empty exclude pattern")
		}
		args = append(args, "--exclude="+e)
	}
	for _, t := range o.Tags {
		args = append(args, "--tag="+t)
	}
	if o.Host != "" {
		args = append(args, "--host="+o.Host)
	}
	if !o.Time.IsZero() {
		args = append(args, "--time="+o.Time.In(time.Local).Format(timeFormat))
	}
	args = append(args, "--")
	return append(args, paths...), nil
}

func partialMessage(warnings []string) string {
	switch len(warnings) {
	case 0:
		return "some source data could not be read"
	case 1:
		return "1 item could not be read: " + warnings[0]
	}
	return fmt.Sprintf("%d items could not be read, first: %s", len(warnings), warnings[0])
}

// Ls lists the snapshot's nodes (ls --json: the snapshot line, then one
// line per node). An unknown snapshot is ErrNoSnapshot.
func (r *Runner) Ls(ctx context.Context, repo Repo, snapshotID string) ([]Node, error) {
	if err := checkSnapshotID(snapshotID); err != nil {
		return nil, opError(repo, "ls", err)
	}
	p := &lsParser{}
	_, err := r.cmd(ctx, repo, "ls", invocation{args: []string{"ls", "--json", "--", snapshotID}, onLine: p.line})
	if err != nil {
		return nil, err
	}
	_, nodes, err := p.result()
	if err != nil {
		return nil, opError(repo, "ls "+snapshotID, err)
	}
	return nodes, nil
}

// Restore restores the snapshot into target, only the paths matching
// include (restic --include patterns, as Ls names them) when include is
// not empty.
func (r *Runner) Restore(ctx context.Context, repo Repo, snapshotID, target string, include []string) error {
	if err := checkSnapshotID(snapshotID); err != nil {
		return opError(repo, "restore", err)
	}
	if target == "" {
		return opError(repo, "restore", errors.New("no target directory"))
	}
	args := []string{"restore", "--target=" + target}
	for _, inc := range include {
		if inc == "" {
			return opError(repo, "restore", errors.New("empty include pattern"))
		}
		args = append(args, "--include="+inc)
	}
	args = append(args, "--", snapshotID)
	_, err := r.cmd(ctx, repo, "restore "+snapshotID, invocation{args: args})
	return err
}

// Stats returns the repository's stored size (stats --json --mode
// raw-data).
func (r *Runner) Stats(ctx context.Context, repo Repo) (Stats, error) {
	res, err := r.cmd(ctx, repo, "stats", invocation{args: []string{"stats", "--json", "--mode=raw-data"}})
	if err != nil {
		return Stats{}, err
	}
	s, err := parseStats(res.stdout)
	if err != nil {
		return Stats{}, opError(repo, "stats", err)
	}
	return s, nil
}

func checkSnapshotID(id string) error {
	if id == "" || strings.ContainsAny(id, "\x00\n") {
		return fmt.Errorf("snapshot ID %q: empty or holds a control character", id)
	}
	return nil
}
