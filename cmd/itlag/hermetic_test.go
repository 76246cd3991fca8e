package main

import (
	"errors"
	"os"
	"os/exec"
	"sync"

	"github.com/rogpeppe/go-internal/testscript"
)

// netnsShell brings loopback up in the new network namespace, then runs
// the command: the only interface there is lo, so every connection to an
// address that is not loopback fails ("network is unreachable").
const netnsShell = `ip link set lo up && exec "$@"`

var netnsOnce = sync.OnceValue(func() error {
	return exec.Command("unshare", "-rn", "sh", "-c", netnsShell, "sh", "true").Run()
})

// netnsCondition is the "netns" condition: unshare can make a user and
// network namespace here. Without it a test needing one fails when CI is
// set (it may skip locally, saying why).
func netnsCondition() (bool, error) {
	if err := netnsOnce(); err != nil {
		if os.Getenv("CI") != "" {
			return false, errors.New("unshare -rn (a user and network namespace with only loopback) does not work here; required when CI is set: " + err.Error())
		}
		return false, nil
	}
	return true, nil
}

// hermeticCmds: hermetic PROG ARGS... runs PROG in a new user and network
// namespace holding only loopback (unshare -rn), like exec.
func hermeticCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"hermetic": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) < 1 {
				ts.Fatalf("usage: hermetic PROG ARGS...")
			}
			err := ts.Exec("unshare", append([]string{"-rn", "sh", "-c", netnsShell, "sh"}, args...)...)
			if err != nil {
				ts.Logf("[%v]", err)
				if !neg {
					ts.Fatalf("unexpected command failure")
				}
			} else if neg {
				ts.Fatalf("unexpected command success")
			}
		},
	}
}
