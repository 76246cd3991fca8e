package restic

import (
	"context"
	"errors"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	fakePassword = "pw-very-secret-1"
	fakeAWSKey   = "aws-secret-xyz-2"
)

func fakeRepo() Repo {
	return Repo{
		URL:         "s3:s3.example.test/bucket/repo",
		Password:    fakePassword,
		Env:         map[string]string{"AWS_ACCESS_KEY_ID": "AKIAFAKEID", "AWS_SECRET_ACCESS_KEY": fakeAWSKey},
		SFTPCommand: "",
	}
}

func envKeys(env []string) []string {
	var keys []string
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func envValue(env []string, key string) string {
	for _, kv := range env {
		if k, v, _ := strings.Cut(kv, "="); k == key {
			return v
		}
	}
	return ""
}

func TestRunnerEnvironmentAndArgs(t *testing.T) {
	t.Setenv("ITLAG_LEAK_CANARY", "leak")
	t.Setenv("RESTIC_PASSWORD", "from-the-parent")
	t.Setenv("HOME", "/home/tester")
	t.Setenv("TMPDIR", t.TempDir())
	t.Setenv("TZ", "Europe/Madrid")
	f := newFake(t, map[string]fakeResponse{
		"snapshots": {Stdout: string(fixture(t, "restic-0.14-snapshots.json"))},
	})
	cache := t.TempDir()
	r := &Runner{Bin: f.Bin, CacheDir: cache}
	repo := fakeRepo()
	repo.SFTPCommand = "ssh -p 2222 u@h -s sftp"
	snaps, err := r.Snapshots(context.Background(), repo, "itlag", "job:data")
	if err != nil {
		t.Fatal(err)
	}
	if len(snaps) != 3 || r.Calls.Load() != 1 {
		t.Fatalf("%d snapshots in %d calls, want 3 in 1", len(snaps), r.Calls.Load())
	}
	calls := f.calls(t)
	if len(calls) != 1 {
		t.Fatalf("%d calls recorded", len(calls))
	}
	c := calls[0]
	wantArgs := []string{"-o", "sftp.command=ssh -p 2222 u@h -s sftp", "snapshots", "--json", "--no-lock", "--tag=itlag,job:data"}
	if !reflect.DeepEqual(c.Args, wantArgs) {
		t.Errorf("args %q, want %q", c.Args, wantArgs)
	}
	wantKeys := []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "HOME", "PATH", "RESTIC_CACHE_DIR", "RESTIC_PASSWORD", "RESTIC_REPOSITORY", "TMPDIR", "TZ"}
	if got := envKeys(c.Env); !reflect.DeepEqual(got, wantKeys) {
		t.Errorf("environment %q, want exactly %q", got, wantKeys)
	}
	for key, want := range map[string]string{
		"RESTIC_PASSWORD": fakePassword, "RESTIC_REPOSITORY": repo.URL, "RESTIC_CACHE_DIR": cache,
		"AWS_SECRET_ACCESS_KEY": fakeAWSKey, "HOME": "/home/tester", "TZ": "Europe/Madrid",
	} {
		if got := envValue(c.Env, key); got != want {
			t.Errorf("%s=%q, want %q", key, got, want)
		}
	}
	if strings.Contains(strings.Join(c.Args, " "), fakePassword) {
		t.Error("the password is on the command line")
	}
	if c.Stdin != "" {
		t.Errorf("stdin gave %q, want nothing (/dev/null)", c.Stdin)
	}
}

func TestRunnerVersionHasNoRepository(t *testing.T) {
	f := newFake(t, map[string]fakeResponse{"version": {Stdout: "restic 0.14.0 compiled with go1.19.8 on linux/amd64\n"}})
	r := &Runner{Bin: f.Bin}
	v, err := r.Version(context.Background())
	if err != nil || v != "0.14.0" {
		t.Fatalf("Version = %q, %v", v, err)
	}
	for _, k := range envKeys(f.calls(t)[0].Env) {
		if strings.HasPrefix(k, "RESTIC_") {
			t.Errorf("version got %s", k)
		}
	}
}

func TestRunnerErrors(t *testing.T) {
	tests := []struct {
		name   string
		resp   fakeResponse
		kind   error
		inText string
	}{
		{"0.14 wrong password", fakeResponse{Code: 1, Stderr: string(fixture(t, "restic-0.14-wrong-password.stderr"))}, ErrWrongPassword, "wrong password or no key found"},
		{"0.17 wrong password", fakeResponse{Code: 12, Stderr: "Fatal: wrong password or no key found\n"}, ErrWrongPassword, "exit status 12"},
		{"0.14 no repository", fakeResponse{Code: 1, Stderr: string(fixture(t, "restic-0.14-no-repository.stderr"))}, ErrNoRepository, "unable to open config file"},
		{"0.17 no repository", fakeResponse{Code: 10, Stderr: string(fixture(t, "restic-0.18-no-repository.stderr"))}, ErrNoRepository, "repository does not exist"},
		{"0.14 locked", fakeResponse{Code: 1, Stderr: string(fixture(t, "restic-0.14-locked.stderr"))}, ErrLocked, "already locked"},
		{"0.17 locked", fakeResponse{Code: 11, Stderr: "Fatal: unable to create lock\n"}, ErrLocked, "unable to create lock"},
		{"unknown code", fakeResponse{Code: 42, Stderr: "Fatal: something new\n"}, nil, "exit status 42: something new"},
		{"secrets echoed by restic", fakeResponse{Code: 1, Stderr: "Fatal: key " + fakePassword + " and " + fakeAWSKey + " rejected\n"}, nil, "key <RESTIC_PASSWORD> and <AWS_SECRET_ACCESS_KEY> rejected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, map[string]fakeResponse{"snapshots": tt.resp, "stats": tt.resp})
			r := &Runner{Bin: f.Bin}
			for _, call := range []func() error{
				func() error { _, err := r.Snapshots(context.Background(), fakeRepo()); return err },
				func() error { _, err := r.Stats(context.Background(), fakeRepo()); return err },
			} {
				err := call()
				if err == nil {
					t.Fatal("no error")
				}
				msg := err.Error()
				if tt.kind != nil && !errors.Is(err, tt.kind) {
					t.Errorf("%v does not wrap %v", err, tt.kind)
				}
				if tt.kind == nil && (errors.Is(err, ErrWrongPassword) || errors.Is(err, ErrNoRepository) || errors.Is(err, ErrLocked)) {
					t.Errorf("%v wraps a sentinel", err)
				}
				if !strings.Contains(msg, tt.inText) || !strings.HasPrefix(msg, "restic: repository s3:s3.example.test/bucket/repo: ") {
					t.Errorf("error %q, want it to name the repository and hold %q", msg, tt.inText)
				}
				for _, secret := range []string{fakePassword, fakeAWSKey, "AKIAFAKEID"} {
					if strings.Contains(msg, secret) {
						t.Errorf("error %q leaks a secret", msg)
					}
				}
			}
		})
	}
}

func TestRunnerRefusesBeforeRunning(t *testing.T) {
	f := newFake(t, map[string]fakeResponse{})
	r := &Runner{Bin: f.Bin}
	ctx := context.Background()
	noPassword := fakeRepo()
	noPassword.Password = ""
	ownedEnv := fakeRepo()
	ownedEnv.Env = map[string]string{"RESTIC_PASSWORD": "x"}
	checks := map[string]error{}
	_, checks["empty keep"] = r.Forget(ctx, fakeRepo(), Keep{}, true)
	_, checks["negative keep"] = r.Forget(ctx, fakeRepo(), Keep{Daily: -1}, false)
	_, checks["bad within"] = r.Forget(ctx, fakeRepo(), Keep{Within: "7 days"}, false)
	_, checks["tag with comma"] = r.Snapshots(ctx, fakeRepo(), "a,b")
	_, checks["empty tag"] = r.Backup(ctx, fakeRepo(), []string{"/x"}, BackupOptions{Tags: []string{""}})
	_, checks["no paths"] = r.Backup(ctx, fakeRepo(), nil, BackupOptions{})
	_, checks["bad subset"] = r.Check(ctx, fakeRepo(), "--read-data")
	_, checks["no password"] = r.Snapshots(ctx, noPassword)
	_, checks["env owns RESTIC_PASSWORD"] = r.Snapshots(ctx, ownedEnv)
	_, checks["empty snapshot id"] = r.Ls(ctx, fakeRepo(), "")
	checks["no restore target"] = r.Restore(ctx, fakeRepo(), "latest", "", nil)
	for name, err := range checks {
		if err == nil {
			t.Errorf("%s: accepted", name)
		} else if strings.Contains(err.Error(), fakePassword) {
			t.Errorf("%s: %v leaks the password", name, err)
		}
	}
	if n := r.Calls.Load(); n != 0 || len(f.calls(t)) != 0 {
		t.Errorf("%d restic invocations for refused calls, want 0", n)
	}
}

func TestRunnerBackup(t *testing.T) {
	partialOut := string(fixture(t, "restic-0.14-backup-partial.jsonl"))
	partialErr := string(fixture(t, "restic-0.14-backup-partial.stderr"))
	f := newFake(t, map[string]fakeResponse{"backup": {Code: 3, Stdout: partialOut, Stderr: partialErr}})
	r := &Runner{Bin: f.Bin}
	var progress []Progress
	when := time.Date(2026, 11, 1, 10, 0, 0, 0, time.Local)
	sum, err := r.Backup(context.Background(), fakeRepo(), []string{"/src one", "-weird"}, BackupOptions{
		Force: true, Excludes: []string{"*.tmp"}, Tags: []string{"itlag", "job:data"}, Host: "nas01", Time: when,
		Progress: func(p Progress) { progress = append(progress, p) },
	})
	if !errors.Is(err, ErrPartial) {
		t.Fatalf("err %v, want ErrPartial", err)
	}
	if !strings.Contains(err.Error(), "1 item could not be read: $WORKDIR/d/secret: open d/secret: permission denied") {
		t.Errorf("error %q does not name the unreadable file", err)
	}
	if sum.SnapshotID != "b8e4d476" || len(sum.Warnings) != 1 || len(progress) != 1 || progress[0].TotalBytes != 2 {
		t.Errorf("summary %+v, progress %+v", sum, progress)
	}
	wantArgs := []string{"backup", "--json", "--force", "--exclude=*.tmp", "--tag=itlag", "--tag=job:data", "--host=nas01",
		"--time=2026-11-01 10:00:00", "--", "/src one", "-weird"}
	if got := f.calls(t)[0].Args; !reflect.DeepEqual(got, wantArgs) {
		t.Errorf("args %q, want %q", got, wantArgs)
	}

	// Exit 0 with a warning (a vanished source path in 0.14): no error.
	f.set(t, "backup", fakeResponse{Stdout: string(fixture(t, "restic-0.14-backup.jsonl")),
		Stderr: `{"message_type":"error","error":{"Op":"lstat","Path":"/gone","Err":2},"during":"scan","item":"/gone"}` + "\n"})
	sum, err = r.Backup(context.Background(), fakeRepo(), []string{"/gone", "/src"}, BackupOptions{})
	if err != nil || sum.SnapshotID != "34b8b145" || !reflect.DeepEqual(sum.Warnings, []string{"/gone: lstat /gone: no such file or directory"}) {
		t.Errorf("backup with a missing path: %+v, %v", sum, err)
	}

	// A failed backup is an error, not ErrPartial.
	f.set(t, "backup", fakeResponse{Code: 1, Stderr: "Fatal: unable to save snapshot: disk full\n"})
	if _, err := r.Backup(context.Background(), fakeRepo(), []string{"/src"}, BackupOptions{}); err == nil || errors.Is(err, ErrPartial) || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("failed backup: %v", err)
	}
	// Exit 0 without a summary is an error too.
	f.set(t, "backup", fakeResponse{Stdout: "nothing\n"})
	if _, err := r.Backup(context.Background(), fakeRepo(), []string{"/src"}, BackupOptions{}); err == nil {
		t.Error("a backup without summary succeeded")
	}
}

func TestRunnerInit(t *testing.T) {
	exists := fakeResponse{Code: 1, Stderr: "Fatal: create repository at /r failed: config file already exists\n"}
	tests := []struct {
		name      string
		init, cat fakeResponse
		calls     int64
		kind      error
		ok        bool
	}{
		{"new repository", fakeResponse{}, fakeResponse{Code: 99}, 1, nil, true},
		{"existing repository", exists, fakeResponse{Stdout: `{"version":2}`}, 2, nil, true},
		{"existing, other password", exists, fakeResponse{Code: 1, Stderr: "Fatal: wrong password or no key found\n"}, 2, ErrWrongPassword, false},
		{"unreachable", fakeResponse{Code: 1, Stderr: "Fatal: unable to open repository at sftp:u@h:/r: EOF\n"},
			fakeResponse{Code: 1, Stderr: "Fatal: unable to open repository at sftp:u@h:/r: EOF\n"}, 2, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, map[string]fakeResponse{"init": tt.init, "cat": tt.cat})
			r := &Runner{Bin: f.Bin}
			err := r.Init(context.Background(), fakeRepo())
			if (err == nil) != tt.ok || (tt.kind != nil && !errors.Is(err, tt.kind)) {
				t.Errorf("Init = %v, want ok %v kind %v", err, tt.ok, tt.kind)
			}
			if r.Calls.Load() != tt.calls {
				t.Errorf("%d calls, want %d", r.Calls.Load(), tt.calls)
			}
			if tt.calls == 2 {
				if got := f.calls(t)[1].Args; !reflect.DeepEqual(got, []string{"cat", "config"}) {
					t.Errorf("probe args %q", got)
				}
			}
		})
	}
}

func TestRunnerForgetCheckLsRestoreStats(t *testing.T) {
	f := newFake(t, map[string]fakeResponse{
		"forget":  {Stdout: string(fixture(t, "restic-0.14-forget-prune.stdout"))},
		"check":   {Code: 1, Stdout: string(fixture(t, "restic-0.18-check-damaged.stdout")), Stderr: string(fixture(t, "restic-0.18-check-damaged.stderr"))},
		"ls":      {Stdout: string(fixture(t, "restic-0.18-ls.jsonl"))},
		"restore": {Stdout: "restoring <Snapshot aa11bb22> to /t\n"},
		"stats":   {Stdout: string(fixture(t, "restic-0.14-stats-raw.json"))},
	})
	r := &Runner{Bin: f.Bin}
	ctx := context.Background()
	repo := fakeRepo()

	res, err := r.Forget(ctx, repo, Keep{Last: 1, Daily: 7, Weekly: 4, Within: "1y2m"}, true, "itlag")
	if err != nil || len(res.Kept) != 2 || len(res.Removed) != 2 {
		t.Errorf("forget: %+v, %v", res, err)
	}
	chk, err := r.Check(ctx, repo, "10%")
	if err != nil || chk.OK || len(chk.BrokenPacks) != 1 || !strings.Contains(chk.Output, "num_errors") {
		t.Errorf("check of a damaged repository: %+v, %v", chk, err)
	}
	nodes, err := r.Ls(ctx, repo, "latest")
	if err != nil || len(nodes) != 4 {
		t.Errorf("ls: %+v, %v", nodes, err)
	}
	if err := r.Restore(ctx, repo, "aa11bb22", "/t", []string{"/srv/data/a.txt"}); err != nil {
		t.Errorf("restore: %v", err)
	}
	st, err := r.Stats(ctx, repo)
	if err != nil || st.TotalSize != 931 {
		t.Errorf("stats: %+v, %v", st, err)
	}
	want := [][]string{
		{"forget", "--json", "--keep-last=1", "--keep-daily=7", "--keep-weekly=4", "--keep-within=1y2m", "--tag=itlag", "--prune"},
		{"check", "--json", "--read-data-subset=10%"},
		{"ls", "--json", "--", "latest"},
		{"restore", "--target=/t", "--include=/srv/data/a.txt", "--", "aa11bb22"},
		{"stats", "--json", "--mode=raw-data"},
	}
	calls := f.calls(t)
	for i, w := range want {
		if i >= len(calls) || !reflect.DeepEqual(calls[i].Args, w) {
			t.Errorf("call %d: %v, want %q", i, calls, w)
		}
	}

	// check that could not run is an error; ls of an unknown snapshot
	// (restic 0.14: exit 0, no output) is ErrNoSnapshot.
	f.set(t, "check", fakeResponse{Code: 12, Stderr: "Fatal: wrong password or no key found\n"})
	if _, err := r.Check(ctx, repo, ""); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("check with a wrong password: %v", err)
	}
	f.set(t, "ls", fakeResponse{Stderr: string(fixture(t, "restic-0.14-ls-unknown.stderr"))})
	if _, err := r.Ls(ctx, repo, "deadbeef"); !errors.Is(err, ErrNoSnapshot) {
		t.Errorf("ls of an unknown snapshot: %v", err)
	}
}

func TestRunnerCancelInterruptsRestic(t *testing.T) {
	f := newFake(t, map[string]fakeResponse{"backup": {Block: true}})
	r := &Runner{Bin: f.Bin}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := r.Backup(ctx, fakeRepo(), []string{"/src"}, BackupOptions{})
		done <- err
	}()
	f.waitCalls(t, 1)
	cancel()
	err := <-done
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err %v, want context.Canceled", err)
	}
	calls := f.calls(t)
	if len(calls) != 2 || calls[1].Signal != "interrupt" {
		t.Errorf("restic was not interrupted with SIGINT (so that it unlocks): %+v", calls)
	}
}

func TestRunnerCallsConcurrent(t *testing.T) {
	f := newFake(t, map[string]fakeResponse{"snapshots": {Stdout: "[]"}})
	r := &Runner{Bin: f.Bin}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := r.Snapshots(context.Background(), fakeRepo()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := r.Calls.Load(); n != 4 {
		t.Errorf("Calls = %d, want 4", n)
	}
}
