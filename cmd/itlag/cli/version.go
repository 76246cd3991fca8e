package cli

import (
	"context"
	"fmt"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/lagrieta/itlag/app"
)

// Version, Commit and Date describe a release build. scripts/release.sh sets
// them with
//
//	-ldflags "-X github.com/lagrieta/itlag/cmd/itlag/cli.Version=v1.2.3
//	          -X github.com/lagrieta/itlag/cmd/itlag/cli.Commit=<full sha>
//	          -X github.com/lagrieta/itlag/cmd/itlag/cli.Date=<commit time, RFC 3339 UTC>"
//
// Left empty (a plain go build or go install), each falls back to what the
// Go toolchain stamped into the binary: see buildInfo.
var (
	Version = ""
	Commit  = ""
	Date    = ""
)

// build is what "itlag version" reports about the binary.
type build struct {
	Version string // a release version, a module version, or "devel"
	Commit  string // the full commit hash, "+dirty" appended when the tree was modified; "" = unknown
	Date    string // the commit's time (RFC 3339); "" = unknown
}

// pseudoVersion matches the versions the go command makes up for an
// untagged commit (v0.0.0-20260102030405-0123456789ab, vX.Y.(Z+1)-0.…):
// they only repeat the commit and date, so such a build is "devel".
var pseudoVersion = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+-(?:[0-9A-Za-z.]+\.)?[0-9]{14}-[0-9a-f]{12}(?:\+dirty)?$`)

// buildInfo resolves the version, commit and date of this binary: each
// ldflags value that is set wins; each one that is not comes from the build
// information the go command records (bi; nil when there is none): the main
// module's version unless it is "(devel)" or a pseudo-version, and the
// vcs.revision, vcs.time and vcs.modified settings, which go build records
// inside a Git work tree (unless -buildvcs=false). Missing everywhere, the
// version is "devel" and commit and date are empty.
func buildInfo(version, commit, date string, bi *debug.BuildInfo) build {
	b := build{Version: version, Commit: commit, Date: date}
	if bi != nil {
		if v := bi.Main.Version; b.Version == "" && v != "" && v != "(devel)" && !pseudoVersion.MatchString(v) {
			b.Version = v
		}
		var rev, at string
		dirty := false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				at = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if b.Commit == "" && rev != "" {
			b.Commit = rev
			if dirty {
				b.Commit += "+dirty"
			}
		}
		if b.Date == "" {
			b.Date = at
		}
	}
	if b.Version == "" {
		b.Version = "devel"
	}
	return b
}

// currentBuild is buildInfo for the running binary.
func currentBuild() build {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		bi = nil
	}
	return buildInfo(Version, Commit, Date, bi)
}

// version is the version alone (User-Agent headers).
func version() string { return currentBuild().Version }

// String is the first line "itlag version" prints:
// "itlag v1.2.3 (commit 0123abc…, 2026-01-02T03:04:05Z)".
func (b build) String() string {
	var s strings.Builder
	s.WriteString("itlag " + b.Version)
	commit, date := b.Commit, b.Date
	if commit == "" {
		commit = "unknown"
	}
	if date == "" {
		date = "unknown"
	}
	fmt.Fprintf(&s, " (commit %s, %s)", commit, date)
	return s.String()
}

const versionHelp = `Usage: itlag version

Prints itlag's version, the commit it was built from and that commit's date,
the Go version and platform it was built for, and the local data directory
it uses:

  itlag v1.2.3 (commit 0123…, 2026-01-02T03:04:05Z)
  go1.26.8 linux/arm64
  data dir: /home/itlag/.local/state/itlag

A release build (scripts/release.sh) carries its version, commit and date;
a plain "go build" in a Git work tree says "devel" with the commit (and
"+dirty" when the tree had uncommitted changes) and its date; "unknown"
where the build recorded nothing.
`

func runVersion(_ context.Context, e *env, args []string) error {
	fs, g := newFlags(e, "version", versionHelp)
	if _, err := parse(fs, g, args); err != nil {
		return err
	}
	dir, err := app.DataDirectory(g.dataDir, false)
	if err != nil {
		dir = "(" + err.Error() + ")"
	}
	fmt.Fprintf(e.stdout, "%s\n%s %s/%s\ndata dir: %s\n", currentBuild(), runtime.Version(), runtime.GOOS, runtime.GOARCH, dir)
	return nil
}
