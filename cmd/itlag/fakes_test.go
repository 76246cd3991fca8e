package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/lagrieta/itlag/ops/alert"
	"github.com/lagrieta/itlag/providers/nas/remote/sshtest"
	"github.com/lagrieta/itlag/providers/noip/noiptest"
)

// noipFakes are the NoIP fakes of each running script, by work dir.
type noipFakes struct {
	mu sync.Mutex
	m  map[string]*noipWorld
}

type noipWorld struct {
	srv  *noiptest.Server
	echo *noiptest.Echo
}

func (f *noipFakes) get(ts *testscript.TestScript) *noipWorld {
	f.mu.Lock()
	defer f.mu.Unlock()
	w := f.m[ts.MkAbs(".")]
	if w == nil {
		ts.Fatalf("no noipserver started in this script")
	}
	return w
}

// fakeCmds are the testscript commands that start NoIP fakes:
//
//	noipserver HOST=IP...  a NoIP fake (user test-user, password test-pass)
//	                       holding HOSTs, an IP echo answering 203.0.113.50,
//	                       and a DNS responder for the hosts; sets
//	                       $NOIP_URL, $ECHO_URL and $NOIP_DNS
//	echoip IP              the echo now answers IP
//	noipanswer HOST ANSWER force NoIP's answer for HOST ("" = every host)
//	noipupdates N          NoIP received exactly N update requests
func fakeCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	fakes := &noipFakes{m: map[string]*noipWorld{}}
	var hookMu sync.Mutex
	hooks := map[string]*[]string{} // work dir → webhook bodies
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		// websites: a server with /ok (200 "ok") and /down (503); $WEB_URL.
		"websites": func(ts *testscript.TestScript, neg bool, args []string) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/down" {
					http.Error(w, "maintenance", http.StatusServiceUnavailable)
					return
				}
				fmt.Fprintln(w, "ok")
			}))
			ts.Defer(srv.Close)
			ts.Setenv("WEB_URL", srv.URL)
		},
		// webhook: a receiver for alerts; $HOOK_URL. hookcount N [TEXT]:
		// it received N alerts (holding TEXT when given).
		"webhook": func(ts *testscript.TestScript, neg bool, args []string) {
			var bodies []string
			hookMu.Lock()
			hooks[ts.MkAbs(".")] = &bodies
			hookMu.Unlock()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				hookMu.Lock()
				bodies = append(bodies, string(b))
				hookMu.Unlock()
			}))
			ts.Defer(srv.Close)
			ts.Setenv("HOOK_URL", srv.URL)
		},
		// hookdump FILE: write every alert received so far, one JSON
		// body a line, into FILE.
		"hookdump": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) != 1 {
				ts.Fatalf("usage: hookdump FILE")
			}
			hookMu.Lock()
			defer hookMu.Unlock()
			ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(strings.Join(*hooks[ts.MkAbs(".")], "\n")+"\n"), 0o600))
		},
		"hookcount": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) < 1 {
				ts.Fatalf("usage: hookcount N [TEXT]")
			}
			want, err := strconv.Atoi(args[0])
			ts.Check(err)
			hookMu.Lock()
			defer hookMu.Unlock()
			got := 0
			for _, b := range *hooks[ts.MkAbs(".")] {
				if len(args) < 2 || strings.Contains(b, args[1]) {
					got++
				}
			}
			if got != want {
				ts.Fatalf("webhook received %d alert(s) matching %q, want %d", got, strings.Join(args[1:], " "), want)
			}
		},
		// outboxdump FILE: write every webhook call the sandbox sb
		// delivered into its outbox so far, one compact JSON payload a
		// line, into FILE.
		"outboxdump": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) != 1 {
				ts.Fatalf("usage: outboxdump FILE")
			}
			ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(strings.Join(outboxHooks(ts), "\n")+"\n"), 0o600))
		},
		// outboxcount N [TEXT]: the sandbox sb's outbox holds N webhook
		// calls (whose compact JSON payload holds TEXT when given).
		"outboxcount": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) < 1 {
				ts.Fatalf("usage: outboxcount N [TEXT]")
			}
			want, err := strconv.Atoi(args[0])
			ts.Check(err)
			got := 0
			for _, b := range outboxHooks(ts) {
				if len(args) < 2 || strings.Contains(b, args[1]) {
					got++
				}
			}
			if got != want {
				ts.Fatalf("the outbox holds %d webhook call(s) matching %q, want %d", got, strings.Join(args[1:], " "), want)
			}
		},
		"noipserver": func(ts *testscript.TestScript, neg bool, args []string) {
			w := &noipWorld{srv: noiptest.NewServer(noiptest.Options{}), echo: noiptest.NewEcho("203.0.113.50")}
			ts.Defer(w.srv.Close)
			ts.Defer(w.echo.Close)
			for _, a := range args {
				host, ip, _ := strings.Cut(a, "=")
				w.srv.AddHost(host, ip)
			}
			dns, err := w.srv.ServeDNS()
			ts.Check(err)
			ts.Defer(func() { dns.Close() })
			fakes.mu.Lock()
			fakes.m[ts.MkAbs(".")] = w
			fakes.mu.Unlock()
			ts.Setenv("NOIP_URL", w.srv.URL())
			ts.Setenv("ECHO_URL", w.echo.URL())
			ts.Setenv("NOIP_DNS", dns.Addr())
		},
		"echoip": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) != 1 {
				ts.Fatalf("usage: echoip IP")
			}
			fakes.get(ts).echo.SetIP(args[0])
		},
		"noipanswer": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) != 2 {
				ts.Fatalf("usage: noipanswer HOST ANSWER")
			}
			fakes.get(ts).srv.SetAnswer(args[0], args[1])
		},
		"noipupdates": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) != 1 {
				ts.Fatalf("usage: noipupdates N")
			}
			want, err := strconv.Atoi(args[0])
			ts.Check(err)
			if got := len(fakes.get(ts).srv.Updates()); got != want && !neg {
				ts.Fatalf("NoIP received %d update(s), want %d", got, want)
			}
		},
	}
}

// startSSHD starts one real sshd for every script that needs it (the
// [sshd] condition), when sshd is installed; in CI it must be.
func startSSHD(t *testing.T) *sshtest.Server {
	if !sshtest.Available() && os.Getenv("CI") == "" {
		return nil
	}
	return sshtest.Start(t)
}

// sshdEnv gives a script the sshd's address, user, key and host key.
func sshdEnv(env *testscript.Env, s *sshtest.Server) {
	if s == nil {
		return
	}
	env.Setenv("SSHD_PORT", strconv.Itoa(s.Port))
	env.Setenv("SSHD_USER", s.User)
	env.Setenv("SSHD_KEY", s.UserKeyFile)
	env.Setenv("SSHD_HOSTKEY", s.HostKeyLine)
	env.Setenv("SSHD_FP", s.HostKeyFingerprint)
	env.Setenv("SSHD_DIR", filepath.Clean(s.Dir))
}

// outboxHooks are the payloads of the webhook calls in sb/outbox, in the
// order delivered (the names start with the time), as compact JSON.
func outboxHooks(ts *testscript.TestScript) []string {
	paths, err := filepath.Glob(ts.MkAbs("sb/outbox/*.json"))
	ts.Check(err)
	var out []string
	for _, p := range paths {
		b, err := os.ReadFile(p)
		ts.Check(err)
		var m alert.OutboxMessage
		ts.Check(json.Unmarshal(b, &m))
		c, err := json.Marshal(m.Payload)
		ts.Check(err)
		out = append(out, string(c))
	}
	return out
}
