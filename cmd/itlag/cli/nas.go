package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lagrieta/itlag/app"
)

const nasHelp = `Usage: itlag nas pin NAME [--yes]

Pins the host key of the NAS named NAME, for a NAS whose host_key is still
"pending" (or whose key really changed). Run it on the office network, not
over the internet.

It connects once to the NAS (host and port from the state), reads the host
key it presents and stops there: it never logs in and runs nothing. It
prints the key's type and SHA256 fingerprint and the command to run on the
NAS's own console to compare them (ssh-keygen -lf
/etc/ssh/ssh_host_ed25519_key.pub). Only after you confirm (y on a
terminal, or --yes in a script) does it write the key into the NAS's YAML
file, changing only that value; the pin is recorded in the audit trail.

A key that differs from the one already pinned is printed as a warning
(possible man-in-the-middle) and still needs confirmation. Without a
terminal and without --yes, nothing is written and the exit code is 1.

Flags:
  --yes    write the key without asking (compare the fingerprint first)
`

func runNAS(ctx context.Context, e *env, args []string) (err error) {
	fs, g := newFlags(e, "nas", nasHelp)
	yes := fs.Bool("yes", false, "write the key without asking")
	pos, err := parse(fs, g, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || pos[0] != "pin" {
		return exit(ExitError, errors.New("nas: want \"itlag nas pin NAME\" (see itlag nas --help)"))
	}
	rt, err := openRuntime(e, g)
	if err != nil {
		return err
	}
	defer closeRuntime(rt, &err)
	p, err := rt.ReadNASHostKey(ctx, pos[1])
	if err != nil {
		return exit(ExitError, err)
	}
	fmt.Fprintf(e.stdout, "NAS %s (%s) presents this host key:\n  %s %s\n", p.NAS, p.Addr, p.Type, p.Fingerprint)
	fmt.Fprintf(e.stdout, "Compare it with what the NAS's own console prints (not over this connection):\n  %s\n", p.ConsoleCommand)
	switch p.Standing {
	case app.PinMatches:
		fmt.Fprintf(e.stdout, "The state already pins this key: nothing to write.\n")
		return nil
	case app.PinMismatch:
		fmt.Fprintf(e.stderr, "itlag: WARNING: the state pins another key for %s: %s.\n"+
			"itlag: WARNING: possible man-in-the-middle. Replace the pin only if the NAS's key really changed (reinstalled, replaced) and its console shows the fingerprint above.\n",
			p.NAS, p.Pinned)
	}
	if !*yes {
		if err := confirmPin(ctx, e, p); err != nil {
			return exit(ExitError, err)
		}
	}
	file, err := rt.WriteNASPin(ctx, p)
	if err != nil {
		return exit(ExitError, err)
	}
	fmt.Fprintf(e.stdout, "Pinned: nas.%s.host_key written in %s. Review and commit it.\n", p.NAS, file)
	return nil
}

// confirmPin asks y/N on a terminal; anywhere else it refuses.
func confirmPin(ctx context.Context, e *env, p *app.NASPin) error {
	if !isTTY(e.stdin) {
		return fmt.Errorf("nas pin %s: not written: standard input is not a terminal to confirm on; compare the fingerprint, then run again with --yes", p.NAS)
	}
	fmt.Fprintf(e.stdout, "Write this key as nas.%s.host_key? [y/N] ", p.NAS)
	line := readAnswer(ctx, e)
	if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
		return fmt.Errorf("nas pin %s: cancelled, nothing was written", p.NAS)
	}
	return nil
}
