package nas_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/nas"
	"github.com/lagrieta/itlag/providers/nas/metrics"
	"github.com/lagrieta/itlag/providers/nas/remote/sshtest"
)

// resourceNAS is a NAS provider and the directory its paths are under:
// "/" of a local box, or a temporary directory reached over the real sshd.
type resourceNAS struct {
	p   *nas.Provider
	dir string // host path prefix of the resources' names
	fs  string // where that prefix is on this machine
}

func nasVariants(t *testing.T) map[string]func(t *testing.T) resourceNAS {
	return map[string]func(t *testing.T) resourceNAS{
		"local": func(t *testing.T) resourceNAS {
			b := newBox(t, metrics.Thresholds{}, metrics.FakeOptions{})
			return resourceNAS{p: b.p, dir: "/etc", fs: filepath.Join(b.root, "etc")}
		},
		"ssh": func(t *testing.T) resourceNAS {
			srv := sshtest.Start(t)
			dir := t.TempDir()
			return resourceNAS{p: sshNAS(srv.Config()), dir: dir, fs: dir}
		},
	}
}

// A sensitive file (or block) that sets no mode is created readable by
// its owner only; another keeps the default 0644.
func TestApplySensitiveDefaultMode(t *testing.T) {
	for name, mk := range nasVariants(t) {
		t.Run(name, func(t *testing.T) {
			n := mk(t)
			secret := file(n.dir+"/noip2.conf", "password=s3cret\n")
			secret.Sensitive = true
			blk := block(n.dir+"/creds#itlag", "token=s3cret\n")
			blk.Sensitive = true
			plain := file(n.dir+"/motd", "hello\n")
			noErrors(t, n.p.ApplyResources(ctx(t), target, []providers.Change{put(secret), put(blk), put(plain)}))
			for f, want := range map[string]os.FileMode{"noip2.conf": 0o600, "creds": 0o600, "motd": 0o644} {
				st, err := os.Stat(filepath.Join(n.fs, f))
				if err != nil || st.Mode().Perm() != want {
					t.Errorf("%s: mode %v (%v), want %v", f, st.Mode(), err, want)
				}
			}
		})
	}
}

// A live file others may not read is observed Sensitive whatever the state
// says: its content is never shown, on either side of a diff.
func TestObserveUnreadableByOthersIsSensitive(t *testing.T) {
	for name, mk := range nasVariants(t) {
		t.Run(name, func(t *testing.T) {
			n := mk(t)
			for f, mode := range map[string]os.FileMode{"private": 0o600, "group": 0o640, "public": 0o644} {
				p := filepath.Join(n.fs, f)
				if err := os.WriteFile(p, []byte("password=s3cret\n"), mode); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(p, mode); err != nil {
					t.Fatal(err)
				}
			}
			want := []providers.Resource{file(n.dir+"/group", "x\n"), file(n.dir+"/private", "x\n"), file(n.dir+"/public", "x\n")}
			obs, err := n.p.ObserveResources(ctx(t), target, want)
			if err != nil {
				t.Fatal(err)
			}
			for i, wantSensitive := range []bool{true, true, false} {
				if got := obs.States[i].Live.Sensitive; got != wantSensitive {
					t.Errorf("%s: live Sensitive = %v, want %v", want[i].Name, got, wantSensitive)
				}
			}
		})
	}
}

// A managed file replaced by a symbolic link to a root-only file is held
// with a finding naming it: the linked file's content is not read, and
// apply does not write through the link.
func TestObserveAndApplyRefuseLinks(t *testing.T) {
	for name, mk := range nasVariants(t) {
		t.Run(name, func(t *testing.T) {
			n := mk(t)
			shadow := filepath.Join(n.fs, "shadow")
			if err := os.WriteFile(shadow, []byte("root-only-s3cret\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink("shadow", filepath.Join(n.fs, "noip2.conf")); err != nil {
				t.Fatal(err)
			}
			want := file(n.dir+"/noip2.conf", "password=see-vault\n")
			obs, err := n.p.ObserveResources(ctx(t), target, []providers.Resource{want})
			if err != nil {
				t.Fatal(err)
			}
			st := obs.States[0]
			if st.Held == "" || st.Live.Content != "" {
				t.Errorf("state %+v, want held with no content", st)
			}
			if !hasFinding(obs.Findings, finding.High, n.dir+"/noip2.conf is refused") {
				t.Errorf("findings %+v, want a high one naming the path", obs.Findings)
			}
			for _, f := range obs.Findings {
				if strings.Contains(f.Summary+f.Detail, "s3cret") {
					t.Errorf("finding shows the linked file: %+v", f)
				}
			}
			errs := n.p.ApplyResources(context.Background(), target, []providers.Change{put(want)})
			if errs[0] == nil || !strings.Contains(errs[0].Error(), "symbolic link") {
				t.Errorf("apply through a link: %v, want refused", errs[0])
			}
			if b, _ := os.ReadFile(shadow); string(b) != "root-only-s3cret\n" {
				t.Errorf("the linked file was overwritten: %q", b)
			}
		})
	}
}

// Deleting a file moves it aside to path.itlag-prev: a link (or a
// directory) found there is refused, not followed.
func TestDeleteRefusesLinkAtPrevious(t *testing.T) {
	b := newBox(t, metrics.Thresholds{}, metrics.FakeOptions{})
	b.write(t, "/etc/app.conf", "password=s3cret\n", 0o600)
	elsewhere := filepath.Join(b.root, "elsewhere")
	if err := os.Mkdir(elsewhere, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../elsewhere", filepath.Join(b.root, "etc/app.conf.itlag-prev")); err != nil {
		t.Fatal(err)
	}
	errs := b.apply(t, del(file("/etc/app.conf", "")))
	if errs[0] == nil || !strings.Contains(errs[0].Error(), "symbolic link") {
		t.Errorf("delete with a link at the previous version's path: %v, want refused", errs[0])
	}
	if entries, _ := os.ReadDir(elsewhere); len(entries) != 0 {
		t.Errorf("the file was moved through the link into %s", elsewhere)
	}
}

// A failing reload of a sensitive file does not quote its output: a
// service complaining about a line would print the secret in it.
func TestReloadOfSensitiveFileQuotesNoOutput(t *testing.T) {
	b := newBox(t, metrics.Thresholds{}, metrics.FakeOptions{})
	secret := file("/etc/noip2.conf", "password=s3cret\n")
	secret.Sensitive = true
	secret.Reload = `sed -n 1p "${ITLAG_ROOT}/etc/noip2.conf" >&2; exit 3`
	plain := file("/etc/motd", "hello\n")
	plain.Reload = `echo "motd: bad line 1: hello" >&2; exit 4`
	errs := b.apply(t, put(secret), put(plain))
	if errs[0] == nil || strings.Contains(errs[0].Error(), "s3cret") || !strings.Contains(errs[0].Error(), "exit 3") {
		t.Errorf("sensitive reload: %v, want the exit status without the output", errs[0])
	}
	if errs[1] == nil || !strings.Contains(errs[1].Error(), "exit 4: motd: bad line 1: hello") {
		t.Errorf("plain reload: %v, want its first line of output", errs[1])
	}
}
