// Package restic drives the restic command-line program (restic 0.14, as
// Debian 12 ships it, up to 0.19) for itlag's backups: init, backup,
// snapshots, forget, check, ls, restore and stats.
//
// A Runner runs one restic process per call, with exec.CommandContext, a
// clean environment (PATH, HOME, TMPDIR, TZ, the RESTIC_* variables it sets
// and the Repo's Env), stdin on /dev/null, and the password only in
// RESTIC_PASSWORD, never on the command line. Cancelling the context sends
// restic SIGINT, so that it removes its lock, and kills it if it has not
// exited within a grace period.
//
// Exit codes are mapped to the sentinel errors (ErrPartial, ErrNoRepository,
// ErrWrongPassword, ErrLocked, ErrNoSnapshot). restic 0.14 exits 1 for all
// of them, so restic's messages are recognised too. Errors carry restic's
// first meaningful stderr line with the password and every Env value
// replaced by the name of the variable that holds it.
//
// The parsers (parse*.go) are pure functions over restic's output. They
// accept both the 0.14 shapes and the newer ones: snapshot summaries and
// program_version (0.17), backup_start/backup_end (0.18), check's JSON
// summary, JSON exit errors.
package restic
