// Package gitrepo is itlag's one owner of the Git repository that holds
// the desired state: it reads it (HeadCommit, StateCommit, Diverged for
// stale saved plans, CommittedApproval for approvals that count only once
// committed, CurrentBranch, Root) and writes itlag's own output (drift
// reports, incidents) back into it, for `itlag drift --commit [--push]`.
//
// Commit stages exactly the paths it is given and records a commit only when
// the tree differs from HEAD. Push never forces: when another run pushed
// first, the local branch is reset onto the new remote head, the write is
// regenerated there by the caller's rebuild function, committed again and
// pushed again, a bounded number of times.
//
// Credentials come from Auth (an SSH key with pinned host keys, or an HTTP
// token). No error returned by this package contains a token.
package gitrepo
