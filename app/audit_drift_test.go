package app

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func gitCmd(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestDriftPushRaceKeepsTheTrail: two runs, each with its trail in the
// repository, record and push drift from the same base; the second loses
// the race, and its entries are appended again on top of the first's:
// one chain on the remote, verified against the second run's database.
func TestDriftPushRaceKeepsTheTrail(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("git command not found; required when CI is set")
		}
		t.Skip("git command not found")
	}
	for k, v := range map[string]string{"GIT_AUTHOR_NAME": "ana", "GIT_AUTHOR_EMAIL": "ana@example.org",
		"GIT_COMMITTER_NAME": "ana", "GIT_COMMITTER_EMAIL": "ana@example.org", "GIT_CONFIG_NOSYSTEM": "1", "HOME": t.TempDir()} {
		t.Setenv(k, v)
	}
	for _, ci := range CIActors {
		t.Setenv(ci.Env, "")
	}
	root := t.TempDir()
	remote := filepath.Join(root, "remote.git")
	gitCmd(t, root, "init", "-q", "--bare", "-b", "main", remote)
	seed := filepath.Join(root, "seed")
	gitCmd(t, root, "init", "-q", "-b", "main", seed)
	if err := os.MkdirAll(filepath.Join(seed, "state"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(seed, "state", "state.yaml"), []byte("zones: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(seed, ".gitignore"), []byte("sb/*\n!sb/audit/\n"), 0o644)
	gitCmd(t, seed, "add", "-A")
	gitCmd(t, seed, "commit", "-q", "-m", "desired state")
	gitCmd(t, seed, "push", "-q", remote, "main")
	ctx := context.Background()
	run := func(name, file string) (*Runtime, string) {
		dir := filepath.Join(root, name)
		rt, err := Load(Options{StateDir: filepath.Join(dir, "state"), Sandbox: filepath.Join(dir, "sb"), Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { rt.Close() })
		if err := rt.AuditSecretChange(ctx, file, "set", []string{"KEY_" + name}); err != nil {
			t.Fatal(err)
		}
		return rt, dir
	}
	gitCmd(t, root, "clone", "-q", remote, "a")
	gitCmd(t, root, "clone", "-q", remote, "b")
	rtA, _ := run("a", "secrets/a.age")
	rtB, dirB := run("b", "secrets/b.age")
	if _, err := rtA.Drift(ctx, DriftOptions{Push: true}); err != nil {
		t.Fatalf("drift --push from a: %v", err)
	}
	res, err := rtB.Drift(ctx, DriftOptions{Push: true})
	if err != nil {
		t.Fatalf("drift --push from b (after a): %v", err)
	}
	if !res.Pushed {
		t.Fatal("b's drift was not pushed")
	}
	s, err := AuditVerify(ctx, rtB.Opts)
	if err != nil {
		t.Fatalf("b's trail after the race: %v", err)
	}
	if s.Entries != 4 || s.Head.Seq != 4 || !s.Anchored || s.Anchor != s.Head {
		t.Errorf("b's trail: %+v; want a's 2 entries then b's 2, anchored at the head", s)
	}
	es, err := AuditEntries(rtB.Opts, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var targets []string
	for _, e := range es {
		targets = append(targets, string(e.Action)+" "+e.Target)
	}
	want := "secret-change secrets/a.age,drift-commit git:main,secret-change secrets/b.age,drift-commit git:main"
	if got := strings.Join(targets, ","); got != want {
		t.Errorf("entries %s, want %s", got, want)
	}
	// the remote holds the same trail
	check := filepath.Join(root, "check")
	gitCmd(t, root, "clone", "-q", remote, check)
	got := gitCmd(t, check, "log", "--format=%s", "--", "sb/audit")
	if n := strings.Count(got, "drift:"); n != 2 {
		t.Errorf("remote log of sb/audit:\n%s\nwant both drift commits", got)
	}
	gotB, _ := os.ReadFile(filepath.Join(dirB, "sb", "audit", es[0].TS.UTC().Format("2006-01")+".jsonl"))
	files, _ := filepath.Glob(filepath.Join(check, "sb", "audit", "*.jsonl"))
	if len(files) != 1 {
		t.Fatalf("remote trail files %v", files)
	}
	if onRemote, _ := os.ReadFile(files[0]); string(onRemote) != string(gotB) {
		t.Errorf("the remote's trail differs from b's:\n%s\nvs\n%s", onRemote, gotB)
	}
}
