package cli

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/lagrieta/itlag/app"
)

// Version is set at build time with -ldflags "-X github.com/lagrieta/itlag/cmd/itlag/cli.Version=v1.2.3".
var Version = ""

func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

const versionHelp = `Usage: itlag version

Prints itlag's version, the Go version it was built with, and the local data
directory it uses.
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
	fmt.Fprintf(e.stdout, "itlag %s (%s %s/%s)\ndata dir: %s\n", version(), runtime.Version(), runtime.GOOS, runtime.GOARCH, dir)
	return nil
}
