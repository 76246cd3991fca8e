package backup

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/schema"
)

// refView is a credential reference as a runbook describes it: where the
// secret is kept, never the secret.
type refView struct {
	Env, File, Age, Key string
	// AgeQuoted is Age quoted for the shell.
	AgeQuoted string
	// Text is the reference as the state writes it: "env:NAME".
	Text string
}

func newRefView(r schema.CredentialRef) refView {
	return refView{Env: r.Env, File: r.File, Age: r.Age, Key: r.Key, AgeQuoted: shQuote(r.Age), Text: r.String()}
}

// Notes a shell line may carry: the comment each language writes above
// the command.
const (
	// noteEnv: the password is read from an environment variable (Ref.Env).
	noteEnv = "env"
	// noteAge: variable Var is a key of an age-encrypted file (Ref).
	noteAge = "age"
)

// shellLine is one command of a destination's shell block, with the
// comment (if any) its template writes above it. Cmd is the same in every
// language.
type shellLine struct {
	// Note is "", noteEnv or noteAge.
	Note string
	Var  string
	Ref  refView
	Cmd  string
}

// destinationShell are the lines that point restic at d, reading each
// secret from its reference without writing it.
func destinationShell(d Destination) []shellLine {
	out := []shellLine{{Cmd: "export RESTIC_REPOSITORY=" + shQuote(d.Repository)}}
	out = append(out, passwordLines(d.PasswordRef)...)
	for _, v := range slices.Sorted(maps.Keys(d.EnvRefs)) {
		out = append(out, envLine(v, d.EnvRefs[v]))
	}
	return out
}

// passwordLines point restic at the password without writing it.
func passwordLines(r schema.CredentialRef) []shellLine {
	if r.File != "" {
		return []shellLine{
			{Cmd: "unset RESTIC_PASSWORD RESTIC_PASSWORD_COMMAND"},
			{Cmd: "export RESTIC_PASSWORD_FILE=" + shQuote(r.File)},
		}
	}
	pw := envLine("RESTIC_PASSWORD", r)
	if r.Age == "" {
		pw.Note = noteEnv
	}
	return []shellLine{{Cmd: "unset RESTIC_PASSWORD_FILE RESTIC_PASSWORD_COMMAND"}, pw}
}

// envLine sets variable v from the reference r.
func envLine(v string, r schema.CredentialRef) shellLine {
	l := shellLine{Var: v, Ref: newRefView(r)}
	switch {
	case r.File != "":
		l.Cmd = fmt.Sprintf("export %s=\"$(cat %s)\"", v, shQuote(r.File))
	case r.Age != "":
		l.Note = noteAge
		l.Cmd = fmt.Sprintf("export %s=\"${%s:?set %s (%s) first}\"", v, v, v, r)
	case r.Env == v:
		l.Cmd = fmt.Sprintf(": \"${%s:?set %s (%s) first}\"", v, v, r)
	default:
		l.Cmd = fmt.Sprintf("export %s=\"${%s:?set %s (%s) first}\"", v, r.Env, r.Env, r)
	}
	return l
}

// commandsView are the restic commands of a runbook's last section, the
// same in every language.
type commandsView struct {
	Snapshots, Find, List, Restore, RestorePath, RestoreOlder, Check string
}

func newCommandsView(job Job) commandsView {
	src := "/PATH"
	if len(job.Sources) > 0 {
		src = job.Sources[0]
	}
	target := shQuote("/tmp/restore-" + job.Name)
	tag := JobTag(job.Name)
	return commandsView{
		Snapshots:    "restic snapshots --tag " + tag,
		Find:         "restic find --tag " + tag + " 'NAME*'",
		List:         "restic ls latest --tag " + tag + " " + shQuote(src),
		Restore:      "restic restore latest --tag " + tag + " --target " + target,
		RestorePath:  "restic restore latest --tag " + tag + " --target " + target + " --include " + shQuote(src),
		RestoreOlder: "restic restore SNAPSHOT_ID --target " + target,
		Check:        "restic check --read-data-subset " + shQuote(job.Verify.ReadDataSubset),
	}
}

// shQuote quotes s for a POSIX shell, leaving plain words as they are.
func shQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-:@%+=,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
