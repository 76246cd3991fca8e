package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/lagrieta/itlag/publish/audit"
	"github.com/lagrieta/itlag/publish/gitrepo"
	"github.com/lagrieta/itlag/reconcile"
)

// AuditDir is where the audit trail's month files live: audit/ at the
// root of the Git repository holding the state (the repository drift
// commits to), else in the state directory; or, under --sandbox, DIR/audit: sandbox runs never touch
// the real trail.
func (rt *Runtime) AuditDir() string {
	if rt.Sandboxed() {
		return filepath.Join(rt.Opts.Sandbox, "audit")
	}
	root := gitrepo.Root(rt.Opts.StateDir)
	if root == "." { // not in a Git repository: beside the state, never the working directory
		root = rt.Opts.StateDir
	}
	return filepath.Join(root, "audit")
}

// auditTrail is the trail, anchored in the local database; with
// anchorOnlyIfExists the database is not created when missing (verify
// then cannot see a removed tail, and says so).
func (rt *Runtime) auditTrail(anchorOnlyIfExists bool) (*audit.Trail, error) {
	t := &audit.Trail{Dir: rt.AuditDir()}
	if anchorOnlyIfExists {
		path, err := rt.dbPath(false)
		if err != nil {
			return nil, err
		}
		if _, err := os.Stat(path); err != nil {
			return t, nil
		}
	}
	db, err := rt.DB()
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	t.Anchor = audit.DBAnchor{DB: db}
	return t, nil
}

// Audit appends e to the audit trail (its files and the local database),
// with Actor filled in when empty and Detail.Sandbox set under --sandbox.
// Safe to call from several processes at once: appends are serialised by
// a lock on the trail's directory.
func (rt *Runtime) Audit(ctx context.Context, e audit.Entry) (audit.Entry, error) {
	if e.Actor == "" {
		e.Actor = Actor(rt.Opts.StateDir)
	}
	e.Detail.Sandbox = e.Detail.Sandbox || rt.Sandboxed()
	t, err := rt.auditTrail(false)
	if err != nil {
		return audit.Entry{}, err
	}
	return t.Append(ctx, e)
}

// auditReady fails when an entry could not be appended now (see
// audit.Trail.Ready).
func (rt *Runtime) auditReady(ctx context.Context) error {
	t, err := rt.auditTrail(false)
	if err != nil {
		return err
	}
	return t.Ready(ctx)
}

// AuditSecretChange records a change to an encrypted secrets file: file
// is its path (relative to the repository), op what was done ("set",
// "edit", "recipients"), keys the names of the keys added, changed or
// removed. It takes no value: no secret can reach the trail.
func (rt *Runtime) AuditSecretChange(ctx context.Context, file, op string, keys []string) error {
	keys = slices.Sorted(slices.Values(keys))
	_, err := rt.Audit(ctx, audit.Entry{Action: audit.ActionSecretChange, Target: filepath.ToSlash(file),
		Detail: audit.Detail{Note: op, Keys: slices.Compact(keys)}})
	return err
}

// RecordSecretChange is AuditSecretChange for a command that loads no
// state (the secrets commands): opts say where the trail and the database
// are.
func RecordSecretChange(ctx context.Context, opts Options, file, op string, keys []string) (err error) {
	rt := &Runtime{Opts: opts}
	defer func() { err = errors.Join(err, rt.Close()) }()
	return rt.AuditSecretChange(ctx, file, op, keys)
}

// CIActors are the CI systems' variables naming who started a run, in
// the order they are read.
var CIActors = []struct{ Env, Prefix string }{
	{"GITHUB_ACTOR", "github:"},      // GitHub Actions (and Gitea/Forgejo Actions)
	{"GITLAB_USER_LOGIN", "gitlab:"}, // GitLab CI
	{"BUILDKITE_BUILD_CREATOR_EMAIL", "buildkite:"},
}

// Actor is who an audit entry names: the CI actor when running in CI
// (GITHUB_ACTOR, GITLAB_USER_LOGIN, …: in CI the repository's configured
// author is usually a bot, the actor is the person who started the run),
// else the Git author (GIT_AUTHOR_NAME/EMAIL, else user.name and
// user.email of the repository holding stateDir or the user's global
// config), else user@host.
func Actor(stateDir string) string {
	for _, ci := range CIActors {
		if v := strings.TrimSpace(os.Getenv(ci.Env)); v != "" {
			return ci.Prefix + v
		}
	}
	name, email := gitrepo.Author(stateDir)
	switch {
	case name != "" && email != "":
		return name + " <" + email + ">"
	case name != "" || email != "":
		return name + email
	}
	who := os.Getenv("USER")
	if u, err := user.Current(); err == nil && u.Username != "" {
		who = u.Username
	}
	host, _ := os.Hostname()
	if who == "" {
		who = "unknown"
	}
	if host == "" {
		host = "localhost"
	}
	return who + "@" + host
}

// AuditEntries lists the audit trail's entries made at or after since.
// It needs no loaded state.
func AuditEntries(opts Options, since time.Time) ([]audit.Entry, error) {
	rt := &Runtime{Opts: opts}
	defer rt.Close()
	t := &audit.Trail{Dir: rt.AuditDir()}
	return t.Entries(since)
}

// AuditVerify checks the audit trail's chain and, when the local database
// exists, that the files reach the head it anchored. A broken chain is an
// *audit.VerifyError naming the first bad line. It needs no loaded state.
func AuditVerify(ctx context.Context, opts Options) (audit.Summary, error) {
	rt := &Runtime{Opts: opts}
	defer rt.Close()
	t, err := rt.auditTrail(true)
	if err != nil {
		return audit.Summary{}, err
	}
	s, err := t.Verify(ctx)
	var ve *audit.VerifyError
	if err != nil && !errors.As(err, &ve) {
		err = fmt.Errorf("audit verify: %w", err)
	}
	return s, err
}

// auditApply records an apply that ran or was refused: first the
// committed approval that allowed it, if one did, then the apply itself
// (ddns-update when every change is a dynamic-DNS host).
func (pa *PendingApply) auditApply(ctx context.Context, outs []reconcile.Outcome, refused bool) error {
	rt := pa.rt
	sum := pa.checksum()
	if pa.Approval != nil && !refused {
		a := pa.Approval
		note := "approved by " + a.ApprovedBy
		if a.ApprovedAt != "" {
			note += " at " + a.ApprovedAt
		}
		if _, err := rt.Audit(ctx, audit.Entry{Action: audit.ActionApprovalUsed, Target: a.File,
			Detail: audit.Detail{Checksum: sum, Rules: a.Rules, Note: note}}); err != nil {
			return err
		}
	}
	e := audit.Entry{Action: audit.ActionApply, Target: "plan:" + sum, Detail: audit.Detail{Checksum: sum}}
	ddns := len(pa.Plan.Changes) > 0
	for _, c := range pa.Plan.Changes {
		ddns = ddns && c.Provider == "noip"
	}
	if ddns {
		e.Action = audit.ActionDDNSUpdate
	}
	switch {
	case refused:
		e.Detail.Outcome = audit.OutcomeRefused
		for _, r := range pa.Plan.Refusals {
			e.Detail.Rules = append(e.Detail.Rules, string(r.Rule))
			e.Detail.Addresses = append(e.Detail.Addresses, r.Addresses...)
		}
	default:
		for _, o := range outs {
			if o.Err == nil {
				e.Detail.Addresses = append(e.Detail.Addresses, o.Change.Address)
			} else {
				e.Detail.Failed = append(e.Detail.Failed, o.Change.Address)
			}
		}
		switch done, failed := Outcomes(outs); {
		case failed == 0 && done == len(pa.Plan.Changes):
			e.Detail.Outcome = audit.OutcomeOK
		case done == 0:
			e.Detail.Outcome = audit.OutcomeFailed
		default:
			e.Detail.Outcome = audit.OutcomePartial
		}
	}
	_, err := rt.Audit(ctx, e)
	return err
}

// checksum is the saved plan's checksum, or that of the plan made here.
func (pa *PendingApply) checksum() string {
	if pa.saved != nil {
		return pa.saved.Checksum
	}
	return reconcile.NewSaved(pa.Plan, pa.rt.Desired, pa.Observed, gitrepo.HeadCommit(pa.rt.Opts.StateDir), pa.plannedAt).Checksum
}
