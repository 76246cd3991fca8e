package nas

import (
	"context"
	"fmt"
	"strings"

	"github.com/lagrieta/itlag/providers/nas/remote"
)

// IPCommand is an IP source for the dynamic-DNS provider, read on a NAS:
// the address of one of its interfaces (when iface is set: "ip -4 -o addr
// show dev IF", else ifconfig) or what command prints. name labels it in
// findings ("nas:office ppp0"); run connects, runs it once and returns its
// output.
func IPCommand(nasName, iface, command string, dial func(context.Context) (remote.Transport, error)) (name string, run func(context.Context) (string, error)) {
	cmd, label := command, command
	if iface != "" {
		q := remote.ShellQuote(iface)
		cmd = "ip -4 -o addr show dev " + q + " 2>/dev/null || ifconfig " + q
		label = iface
	}
	// A fake root's tools (the sandbox's) come first, as for the metrics
	// script; over SSH ITLAG_ROOT is unset and PATH is the NAS's own.
	cmd = `PATH="${ITLAG_ROOT:+$ITLAG_ROOT/bin:}$PATH"; ` + cmd
	return "nas:" + nasName + " " + label, func(ctx context.Context) (string, error) {
		t, err := dial(ctx)
		if err != nil {
			return "", err
		}
		defer t.Close()
		res, err := t.Run(ctx, cmd, nil)
		if err != nil {
			return "", err
		}
		if res.ExitCode != 0 {
			first, _, _ := strings.Cut(strings.TrimSpace(string(res.Stderr)), "\n")
			return "", fmt.Errorf("%q on nas %s exited %d: %s", label, nasName, res.ExitCode, first)
		}
		return string(res.Stdout), nil
	}
}
