package restic

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Version returns restic's version ("0.14.0").
func (r *Runner) Version(ctx context.Context) (string, error) {
	res, err := r.run(ctx, invocation{args: []string{"version"}})
	if err == nil {
		err = exitErr(res, &redactor{})
	}
	if err != nil {
		return "", fmt.Errorf("restic: version: %w", err)
	}
	v, err := parseVersion(res.stdout)
	if err != nil {
		return "", fmt.Errorf("restic: version: %w", err)
	}
	return v, nil
}

// Init creates the repository. It is idempotent: when init fails because
// the repository exists, Init checks that it opens with the password
// (restic cat config, a second invocation) and returns nil; an existing
// repository with another password is ErrWrongPassword.
func (r *Runner) Init(ctx context.Context, repo Repo) error {
	_, err := r.cmd(ctx, repo, "init", invocation{args: []string{"init"}})
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return err
	}
	_, probe := r.cmd(ctx, repo, "init", invocation{args: []string{"cat", "config"}})
	switch {
	case probe == nil:
		return nil // the repository exists and opens
	case errors.Is(probe, ErrWrongPassword):
		return probe
	}
	return err
}

// Snapshots lists the snapshots carrying all of tags (every snapshot when
// there are none), in one invocation: snapshots --json --no-lock. Listing
// takes no lock: it reads each snapshot file whole, it works while a
// backup or prune holds the repository (freshness checks run often), and
// it writes nothing to the backend.
func (r *Runner) Snapshots(ctx context.Context, repo Repo, tags ...string) ([]Snapshot, error) {
	args := []string{"snapshots", "--json", "--no-lock"}
	tagArgs, err := tagFilter(tags)
	if err != nil {
		return nil, opError(repo, "snapshots", err)
	}
	res, err := r.cmd(ctx, repo, "snapshots", invocation{args: append(args, tagArgs...)})
	if err != nil {
		return nil, err
	}
	snaps, err := parseSnapshots(res.stdout)
	if err != nil {
		return nil, opError(repo, "snapshots", err)
	}
	return snaps, nil
}

var withinRE = regexp.MustCompile(`^([0-9]+[ymdh])+$`)

// Forget applies the retention policy k to the snapshots carrying all of
// tags (forget --json --keep-… [--prune]). restic groups snapshots by host
// and paths; the result lists kept and removed snapshots of every group.
// An empty Keep is refused: it would forget everything.
func (r *Runner) Forget(ctx context.Context, repo Repo, k Keep, prune bool, tags ...string) (ForgetResult, error) {
	args, err := forgetArgs(k, prune, tags)
	if err != nil {
		return ForgetResult{}, opError(repo, "forget", err)
	}
	res, runErr := r.cmd(ctx, repo, "forget", invocation{args: args})
	if runErr != nil && !errors.Is(runErr, ErrPartial) {
		return ForgetResult{}, runErr
	}
	out, err := parseForget(res.stdout)
	if err != nil {
		return out, opError(repo, "forget", err)
	}
	return out, runErr // ErrPartial (0.19+): some snapshot could not be removed
}

func forgetArgs(k Keep, prune bool, tags []string) ([]string, error) {
	if k.IsZero() {
		return nil, errors.New("empty retention policy: it would forget every snapshot")
	}
	args := []string{"forget", "--json"}
	for _, f := range []struct {
		flag string
		n    int
	}{{"last", k.Last}, {"hourly", k.Hourly}, {"daily", k.Daily}, {"weekly", k.Weekly}, {"monthly", k.Monthly}, {"yearly", k.Yearly}} {
		switch {
		case f.n < 0:
			return nil, fmt.Errorf("keep %s %d: negative", f.flag, f.n)
		case f.n > 0:
			args = append(args, "--keep-"+f.flag+"="+strconv.Itoa(f.n))
		}
	}
	if k.Within != "" {
		if !withinRE.MatchString(k.Within) {
			return nil, fmt.Errorf("keep within %q: not a restic duration like 2y5m7d3h", k.Within)
		}
		args = append(args, "--keep-within="+k.Within)
	}
	tagArgs, err := tagFilter(tags)
	if err != nil {
		return nil, err
	}
	args = append(args, tagArgs...)
	if prune {
		args = append(args, "--prune")
	}
	return args, nil
}

var subsetRE = regexp.MustCompile(`^([0-9]+/[0-9]+|[0-9]+(\.[0-9]+)?%|[0-9]+(\.[0-9]+)?[KMGTkmgt]?)$`)

// Check checks the repository (check [--read-data-subset=X]; X is "n/t",
// "x%" or a size like "50M"). A damaged repository is OK=false with the
// reasons, not an error; an error means check could not run.
func (r *Runner) Check(ctx context.Context, repo Repo, readDataSubset string) (CheckResult, error) {
	args := []string{"check", "--json"}
	if readDataSubset != "" {
		if !subsetRE.MatchString(readDataSubset) {
			return CheckResult{}, opError(repo, "check", fmt.Errorf("read-data-subset %q: want n/t, x%% or a size", readDataSubset))
		}
		args = append(args, "--read-data-subset="+readDataSubset)
	}
	res, err := r.run(ctx, invocation{args: args, repo: &repo})
	if err != nil {
		return CheckResult{}, opError(repo, "check", err)
	}
	red := newRedactor(repo)
	out, damaged := parseCheck(res.stdout, res.stderr, res.code)
	out.Output = red.String(string(res.stdout) + string(res.stderr))
	for i, e := range out.Errors {
		out.Errors[i] = red.String(e)
	}
	if res.code != 0 && !damaged {
		return CheckResult{}, opError(repo, "check", exitErr(res, red))
	}
	return out, nil
}

// cmd runs inv on repo and turns a failed exit into an error naming the
// repository and op.
func (r *Runner) cmd(ctx context.Context, repo Repo, op string, inv invocation) (result, error) {
	inv.repo = &repo
	res, err := r.run(ctx, inv)
	if err == nil {
		err = exitErr(res, newRedactor(repo))
	}
	if err != nil {
		return res, opError(repo, op, err)
	}
	return res, nil
}

// exitErr is nil for exit code 0, else an *ExitError.
func exitErr(res result, red *redactor) error {
	if res.code == 0 {
		return nil
	}
	return &ExitError{
		Code:    res.code,
		Message: truncate(red.String(firstMessage(res.stderr))),
		Kind:    classify(res.code, string(res.stderr)),
	}
}

// opError wraps err as "restic: repository URL: op: err", the URL's
// secrets redacted.
func opError(repo Repo, op string, err error) error {
	return fmt.Errorf("restic: repository %s: %s: %w", newRedactor(repo).String(repo.URL), op, err)
}

// tagFilter is the --tag flag selecting snapshots that carry all of tags.
func tagFilter(tags []string) ([]string, error) {
	if len(tags) == 0 {
		return nil, nil
	}
	if err := checkTags(tags); err != nil {
		return nil, err
	}
	return []string{"--tag=" + strings.Join(tags, ",")}, nil
}

func checkTags(tags []string) error {
	for _, t := range tags {
		if t == "" || strings.ContainsAny(t, ",\x00\n") {
			return fmt.Errorf("tag %q: empty or holds a comma or control character", t)
		}
	}
	return nil
}
