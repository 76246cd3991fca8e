package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/lagrieta/itlag/cmd/itlag/cli"
	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/cloudflare/cloudflaretest"
	"github.com/lagrieta/itlag/providers/godaddy/godaddytest"
	"github.com/lagrieta/itlag/reconcile"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"itlag": func() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the end-to-end scripts in testdata/script against the
// sandbox fakes. Update their golden output with: go test ./cmd/itlag -update
func TestScripts(t *testing.T) {
	t.Parallel() // beside TestShippedStatesCycle: restic's key derivation keeps a core busy
	locks := &heldLocks{m: map[string]func() error{}}
	sshd := startSSHD(t)
	cmds := merge(fakeCmds(), findingCmds(), hangCmds(), smtpCmds(), secretsCmds(), securityCmds(), localCmds(), hermeticCmds(), resticCmds(),
		map[string]func(ts *testscript.TestScript, neg bool, args []string){"nosecrets": nosecrets, "watchget": watchget})
	testscript.Run(t, testscript.Params{
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "sshd":
				return sshd != nil, nil
			case "netns":
				return netnsCondition()
			case "restic":
				if _, err := exec.LookPath("restic"); err != nil {
					if os.Getenv("CI") != "" {
						return false, errors.New("restic is not installed; required when CI is set")
					}
					return false, nil
				}
				return true, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       *update,
		Setup: func(env *testscript.Env) error {
			env.Setenv("NO_COLOR", "1")
			env.Setenv("XDG_STATE_HOME", filepath.Join(env.WorkDir, ".state"))
			sshdEnv(env, sshd)
			return nil
		},
		Cmds: merge(cmds, map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// replace OLD NEW FILE: replace every OLD with NEW in FILE.
			"replace": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 3 {
					ts.Fatalf("usage: replace OLD NEW FILE")
				}
				f := ts.MkAbs(args[2])
				b, err := os.ReadFile(f)
				ts.Check(err)
				if !strings.Contains(string(b), args[0]) {
					ts.Fatalf("replace: %q not in %s", args[0], args[2])
				}
				ts.Check(os.WriteFile(f, []byte(strings.ReplaceAll(string(b), args[0], args[1])), 0o600))
			},
			// cfserver TOKEN ZONE...: start a Cloudflare API fake accepting
			// TOKEN and holding ZONEs; its base URL goes in $CF_URL.
			"cfserver": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) < 1 {
					ts.Fatalf("usage: cfserver TOKEN [ZONE...]")
				}
				srv := cloudflaretest.NewServer(cloudflaretest.Options{Token: args[0]})
				ts.Defer(srv.Close)
				for _, z := range args[1:] {
					srv.AddZone(z)
				}
				ts.Setenv("CF_URL", srv.URL())
			},
			// gdserver [-denied] [-toomany N] [-expires DATE] [-renewauto=false] DOMAIN...:
			// start a GoDaddy API fake accepting key test-key and secret
			// test-secret and holding DOMAINs; its base URL goes in $GD_URL.
			"gdserver": func(ts *testscript.TestScript, neg bool, args []string) {
				fs := flag.NewFlagSet("gdserver", flag.ContinueOnError)
				denied := fs.Bool("denied", false, "answer 403 ACCESS_DENIED")
				tooMany := fs.Int("toomany", 0, "answer 429 to the first N requests")
				expires := fs.String("expires", "", "expiry date of the domains")
				renewAuto := fs.Bool("renewauto", true, "auto-renew of the domains")
				if err := fs.Parse(args); err != nil {
					ts.Fatalf("gdserver: %v", err)
				}
				o := godaddytest.Options{TooManyFirst: *tooMany}
				if *denied {
					o.Mode = godaddytest.AccessDenied
				}
				srv := godaddytest.NewServer(o)
				ts.Defer(srv.Close)
				for _, d := range fs.Args() {
					dom := providers.Domain{Name: d, Status: "ACTIVE", RenewAuto: *renewAuto, Locked: true}
					if *expires != "" {
						t, err := time.Parse(time.DateOnly, *expires)
						ts.Check(err)
						dom.Expires = t
					}
					srv.AddDomain(dom)
				}
				ts.Setenv("GD_URL", srv.URL())
			},
			// holdlock DIR: take the apply lock on DIR, as another apply would.
			"holdlock": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 1 {
					ts.Fatalf("usage: holdlock DIR")
				}
				unlock, err := reconcile.Lock(ts.MkAbs(args[0]), time.Second)
				if err != nil {
					ts.Fatalf("holdlock: %v", err)
				}
				locks.put(ts.MkAbs(args[0]), unlock)
			},
			// releaselock DIR [DELAY]: release it, after DELAY in the background when given.
			"releaselock": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) < 1 {
					ts.Fatalf("usage: releaselock DIR [DELAY]")
				}
				unlock := locks.take(ts.MkAbs(args[0]))
				if unlock == nil {
					ts.Fatalf("releaselock: %s is not held", args[0])
				}
				if len(args) == 2 {
					d, err := time.ParseDuration(args[1])
					if err != nil {
						ts.Fatalf("releaselock: %v", err)
					}
					time.AfterFunc(d, func() { _ = unlock() })
					return
				}
				ts.Check(unlock())
			},
		}),
	})
}

// merge adds b's commands to a.
func merge[M ~map[string]V, V any](first M, more ...M) M {
	for _, m := range more {
		for k, v := range m {
			if _, dup := first[k]; dup {
				panic("test command registered twice: " + k)
			}
			first[k] = v
		}
	}
	return first
}

type heldLocks struct {
	mu sync.Mutex
	m  map[string]func() error
}

func (h *heldLocks) put(k string, f func() error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.m[k] = f
}

func (h *heldLocks) take(k string) func() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	f := h.m[k]
	delete(h.m, k)
	return f
}
