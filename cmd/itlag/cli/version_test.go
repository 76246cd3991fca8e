package cli

import (
	"bytes"
	"runtime/debug"
	"strings"
	"testing"
)

func TestBuildInfo(t *testing.T) {
	const sha = "5eb0501f0e1d2c3b4a5968778695a4b3c2d1e0f9"
	vcs := func(modified string) []debug.BuildSetting {
		return []debug.BuildSetting{
			{Key: "-trimpath", Value: "true"},
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: sha},
			{Key: "vcs.time", Value: "2026-05-01T10:20:30Z"},
			{Key: "vcs.modified", Value: modified},
		}
	}
	info := func(v string, s []debug.BuildSetting) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Path: "github.com/lagrieta/itlag", Version: v}, Settings: s}
	}
	tests := []struct {
		name                string
		version, commit, at string // the -ldflags values
		bi                  *debug.BuildInfo
		want                build
	}{
		{"release build: ldflags win over the VCS stamp", "v1.2.3", "abc", "2026-01-02T03:04:05Z", info("(devel)", vcs("false")),
			build{"v1.2.3", "abc", "2026-01-02T03:04:05Z"}},
		{"release build without build info", "v1.2.3", "abc", "2026-01-02T03:04:05Z", nil,
			build{"v1.2.3", "abc", "2026-01-02T03:04:05Z"}},
		{"go build, clean tree (go 1.24+ pseudo-version)", "", "", "", info("v0.0.0-20260501102030-5eb0501f0e1d", vcs("false")),
			build{"devel", sha, "2026-05-01T10:20:30Z"}},
		{"go build, modified tree", "", "", "", info("v0.0.0-20260501102030-5eb0501f0e1d+dirty", vcs("true")),
			build{"devel", sha + "+dirty", "2026-05-01T10:20:30Z"}},
		{"pseudo-version after a tag", "", "", "", info("v1.2.4-0.20260501102030-5eb0501f0e1d", vcs("false")),
			build{"devel", sha, "2026-05-01T10:20:30Z"}},
		{"go build on a tagged commit", "", "", "", info("v1.2.3", vcs("false")),
			build{"v1.2.3", sha, "2026-05-01T10:20:30Z"}},
		{"go install module@version (no VCS)", "", "", "", info("v1.2.3", nil),
			build{"v1.2.3", "", ""}},
		{"-buildvcs=false", "", "", "", info("(devel)", []debug.BuildSetting{{Key: "-buildvcs", Value: "false"}}),
			build{"devel", "", ""}},
		{"only the version set by ldflags", "v2.0.0", "", "", info("(devel)", vcs("true")),
			build{"v2.0.0", sha + "+dirty", "2026-05-01T10:20:30Z"}},
		{"no build info at all", "", "", "", nil, build{"devel", "", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := buildInfo(tt.version, tt.commit, tt.at, tt.bi); got != tt.want {
				t.Errorf("buildInfo = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestBuildString(t *testing.T) {
	tests := []struct {
		b    build
		want string
	}{
		{build{"v1.2.3", "abc", "2026-01-02T03:04:05Z"}, "itlag v1.2.3 (commit abc, 2026-01-02T03:04:05Z)"},
		{build{"devel", "", ""}, "itlag devel (commit unknown, unknown)"},
	}
	for _, tt := range tests {
		if got := tt.b.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.b, got, tt.want)
		}
	}
}

// TestVersionCommand runs "itlag version" as a release build would (the
// variables -ldflags -X sets); not parallel: it sets them.
func TestVersionCommand(t *testing.T) {
	saved := [3]string{Version, Commit, Date}
	t.Cleanup(func() { Version, Commit, Date = saved[0], saved[1], saved[2] })
	Version, Commit, Date = "v9.8.7", "0123456789abcdef0123456789abcdef01234567", "2026-01-02T03:04:05Z"

	var stdout, stderr bytes.Buffer
	if code := Main([]string{"--data-dir", t.TempDir(), "version"}, strings.NewReader(""), &stdout, &stderr); code != ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	lines := strings.Split(stdout.String(), "\n")
	if want := "itlag v9.8.7 (commit 0123456789abcdef0123456789abcdef01234567, 2026-01-02T03:04:05Z)"; lines[0] != want {
		t.Errorf("first line %q, want %q", lines[0], want)
	}
	if len(lines) < 3 || !strings.HasPrefix(lines[1], "go1.") || !strings.HasPrefix(lines[2], "data dir: ") {
		t.Errorf("output:\n%s\nwant the Go version and platform, then the data dir", stdout.String())
	}
}
