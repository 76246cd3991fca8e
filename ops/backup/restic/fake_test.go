package restic

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The test binary doubles as a fake restic: run through the wrapper script
// that fakeRestic writes, it answers per subcommand from a JSON spec and
// records each call (arguments, environment, stdin) for the test to read.

const fakeEnv = "ITLAG_FAKE_RESTIC"

type fakeSpec struct {
	// Responses by restic subcommand ("snapshots", "cat", …).
	Responses map[string]fakeResponse `json:"responses"`
	Record    string                  `json:"record"`
}

type fakeResponse struct {
	Stdout, Stderr string
	Code           int
	// Block waits for SIGINT after recording the call, then exits 130.
	Block bool
}

type fakeCall struct {
	Args   []string
	Env    []string
	Stdin  string
	Signal string // "interrupt" on the line the fake writes when interrupted
}

func TestMain(m *testing.M) {
	if spec := os.Getenv(fakeEnv); spec != "" {
		os.Exit(fakeMain(spec))
	}
	os.Exit(m.Run())
}

func fakeMain(specFile string) int {
	var spec fakeSpec
	data, err := os.ReadFile(specFile)
	if err == nil {
		err = json.Unmarshal(data, &spec)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fake restic:", err)
		return 99
	}
	args := os.Args[1:]
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k != fakeEnv && !shellVars[k] {
			env = append(env, kv)
		}
	}
	stdin, _ := io.ReadAll(os.Stdin)
	resp, ok := spec.Responses[subcommand(args)]
	if !ok {
		fmt.Fprintf(os.Stderr, "fake restic: no response for %q\n", args)
		return 98
	}
	var sig chan os.Signal
	if resp.Block {
		sig = make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt)
	}
	record(spec.Record, fakeCall{Args: args, Env: env, Stdin: string(stdin)})
	os.Stdout.WriteString(resp.Stdout)
	os.Stderr.WriteString(resp.Stderr)
	if resp.Block {
		select {
		case <-sig:
			record(spec.Record, fakeCall{Signal: "interrupt"})
			return 130
		case <-time.After(time.Minute):
			return 97
		}
	}
	return resp.Code
}

func record(file string, c fakeCall) {
	f, err := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	b, _ := json.Marshal(c)
	f.Write(append(b, '\n'))
}

// shellVars are set by the wrapper script's /bin/sh, not by the Runner.
// GORACE is set by the script too: a race-enabled binary otherwise sleeps
// 1 s when it exits.
var shellVars = map[string]bool{"PWD": true, "OLDPWD": true, "SHLVL": true, "_": true, "GORACE": true}

// subcommand is the first argument that is neither an option nor an
// option's value.
func subcommand(args []string) string {
	for i := 0; i < len(args); i++ {
		switch {
		case args[i] == "-o":
			i++
		case strings.HasPrefix(args[i], "-"):
		default:
			return args[i]
		}
	}
	return ""
}

// fake is a configured fake restic.
type fake struct {
	Bin    string
	dir    string
	spec   fakeSpec
	record string
}

// newFake writes a wrapper script that runs this test binary as restic.
func newFake(t testing.TB, responses map[string]fakeResponse) *fake {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	f := &fake{dir: dir, record: filepath.Join(dir, "calls.jsonl")}
	f.spec = fakeSpec{Responses: responses, Record: f.record}
	f.writeSpec(t)
	f.Bin = filepath.Join(dir, "restic")
	script := fmt.Sprintf("#!/bin/sh\nGORACE=atexit_sleep_ms=0 %s='%s' exec '%s' \"$@\"\n", fakeEnv, filepath.Join(dir, "spec.json"), exe)
	if err := os.WriteFile(f.Bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fake) writeSpec(t testing.TB) {
	t.Helper()
	b, err := json.Marshal(f.spec)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(f.dir, "spec.json"), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// set replaces the response to one subcommand.
func (f *fake) set(t *testing.T, sub string, r fakeResponse) {
	t.Helper()
	f.spec.Responses[sub] = r
	f.writeSpec(t)
}

// calls returns the recorded calls so far.
func (f *fake) calls(t testing.TB) []fakeCall {
	t.Helper()
	data, err := os.ReadFile(f.record)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []fakeCall
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if l == "" {
			continue
		}
		var c fakeCall
		if err := json.Unmarshal([]byte(l), &c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// waitCalls polls until n calls are recorded (the fake writes its record
// before blocking). No deadline decides it: go test -timeout stops a hang,
// and the test fails just before that with what was recorded.
func (f *fake) waitCalls(t *testing.T, n int) {
	t.Helper()
	for len(f.calls(t)) < n {
		if d, ok := t.Deadline(); ok && time.Until(d) < 5*time.Second {
			t.Fatalf("the fake restic recorded %d calls, want %d", len(f.calls(t)), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
