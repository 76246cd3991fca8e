package app

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"

	"github.com/lagrieta/itlag/publish/audit"
)

func loadSandboxed(t *testing.T, yaml string) *Runtime {
	t.Helper()
	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	if err := os.MkdirAll(state, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(state, "state.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	rt, err := Load(Options{StateDir: state, Sandbox: filepath.Join(dir, "sb"), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close() })
	return rt
}

func entries(t *testing.T, rt *Runtime) []audit.Entry {
	t.Helper()
	es, err := AuditEntries(rt.Opts, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// TestWatchDDNSRecordedOnce: watch keeps the dynamic-DNS hosts through
// apply's use case, which records the update once, as a ddns-update; a
// round with nothing to update records nothing.
func TestWatchDDNSRecordedOnce(t *testing.T) {
	rt := loadSandboxed(t, `providers:
  noip:
    username: {env: NOIP_USERNAME}
    password: {env: NOIP_PASSWORD}
    contact: it@example.org
ddns:
  office.ddns.net: {provider: noip}
`)
	w, err := rt.NewWatcher(WatchOptions{Tick: time.Second, ObserveEvery: time.Hour, DDNSEvery: time.Minute}, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	w.Tick(context.Background(), now)
	w.Tick(context.Background(), now.Add(2*time.Minute))
	es := entries(t, rt)
	if len(es) != 1 {
		t.Fatalf("%d entries, want 1: %+v", len(es), es)
	}
	e := es[0]
	if e.Action != audit.ActionDDNSUpdate || e.Detail.Outcome != audit.OutcomeOK || len(e.Detail.Addresses) != 1 ||
		e.Detail.Addresses[0] != "noip:ddns/office.ddns.net" || !e.Detail.Sandbox {
		t.Errorf("entry %+v: want one ddns-update of noip:ddns/office.ddns.net, ok, in the sandbox", e)
	}
	if _, err := AuditVerify(context.Background(), rt.Opts); err != nil {
		t.Errorf("verify: %v", err)
	}
}

// TestAuditSecretChange is the API the secrets commands call: the file
// and the key names are recorded, sorted and once each; there is no way
// to pass a value.
func TestAuditSecretChange(t *testing.T) {
	rt := loadSandboxed(t, "zones: []\n")
	if err := rt.AuditSecretChange(context.Background(), filepath.Join("secrets", "prod.age"), "set", []string{"NOIP_PASSWORD", "CLOUDFLARE_API_TOKEN", "NOIP_PASSWORD"}); err != nil {
		t.Fatal(err)
	}
	es := entries(t, rt)
	if len(es) != 1 {
		t.Fatalf("%d entries, want 1", len(es))
	}
	e := es[0]
	if e.Action != audit.ActionSecretChange || e.Target != "secrets/prod.age" || e.Detail.Note != "set" ||
		len(e.Detail.Keys) != 2 || e.Detail.Keys[0] != "CLOUDFLARE_API_TOKEN" || e.Detail.Keys[1] != "NOIP_PASSWORD" {
		t.Errorf("entry %+v: want a secret-change of secrets/prod.age naming the two keys", e)
	}
	if e.Seq != 1 || e.Prev != audit.Genesis || e.Actor == "" {
		t.Errorf("entry %+v: want the first of the chain, with an actor", e)
	}
	// without a loaded state, as the secrets commands run
	if err := RecordSecretChange(context.Background(), rt.Opts, "secrets/prod.age", "recipients", nil); err != nil {
		t.Fatal(err)
	}
	if es := entries(t, rt); len(es) != 2 || es[1].Detail.Note != "recipients" || es[1].Seq != 2 {
		t.Errorf("entries %v: want a second secret-change, chained", es)
	}
	if _, err := AuditVerify(context.Background(), rt.Opts); err != nil {
		t.Errorf("verify: %v", err)
	}
}

func TestActor(t *testing.T) {
	home := t.TempDir()
	repoDir := filepath.Join(t.TempDir(), "repo")
	repo, err := git.PlainInit(repoDir, false)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := repo.Config()
	if err != nil {
		t.Fatal(err)
	}
	cfg.User.Name, cfg.User.Email = "Ana", "ana@example.org"
	if err := repo.SetConfig(cfg); err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	tests := []struct {
		name string
		env  map[string]string
		dir  string
		want string
	}{
		{name: "CI actor first", env: map[string]string{"GITHUB_ACTOR": "bo", "GIT_AUTHOR_NAME": "ci-bot"}, dir: repoDir, want: "github:bo"},
		{name: "GitLab", env: map[string]string{"GITLAB_USER_LOGIN": "cy"}, dir: repoDir, want: "gitlab:cy"},
		{name: "Git author from the environment", env: map[string]string{"GIT_AUTHOR_NAME": "Dee", "GIT_AUTHOR_EMAIL": "dee@example.org"}, dir: repoDir, want: "Dee <dee@example.org>"},
		{name: "Git author from the repository's config", dir: filepath.Join(repoDir, "state"), want: "Ana <ana@example.org>"},
		{name: "user@host outside a repository", env: map[string]string{"USER": "eve"}, dir: t.TempDir(), want: "@" + host},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("HOME", home)
			t.Setenv("XDG_CONFIG_HOME", home)
			for _, ci := range CIActors {
				t.Setenv(ci.Env, "")
			}
			for _, k := range []string{"GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL"} {
				t.Setenv(k, "")
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			got := Actor(tt.dir)
			if tt.want[0] == '@' {
				if len(got) <= len(tt.want) || got[len(got)-len(tt.want):] != tt.want {
					t.Errorf("Actor = %q, want user%s", got, tt.want)
				}
				return
			}
			if got != tt.want {
				t.Errorf("Actor = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestAuditDirOutsideARepository: a state that is not in a Git repository
// keeps its trail beside it, never in the working directory.
func TestAuditDirOutsideARepository(t *testing.T) {
	state := t.TempDir()
	rt := &Runtime{Opts: Options{StateDir: state, DataDir: t.TempDir()}}
	if got, want := rt.AuditDir(), filepath.Join(state, "audit"); got != want {
		t.Fatalf("AuditDir() = %s, want %s", got, want)
	}
	if err := rt.AuditSecretChange(context.Background(), "secrets/prod.age", "set", []string{"K"}); err != nil {
		t.Fatal(err)
	}
	if err := rt.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat("audit"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("an audit directory in the working directory: %v", err)
	}
	if files, _ := filepath.Glob(filepath.Join(state, "audit", "*.jsonl")); len(files) != 1 {
		t.Errorf("trail files %v, want one month file beside the state", files)
	}
}
