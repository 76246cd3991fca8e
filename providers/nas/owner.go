package nas

import (
	"context"
	"fmt"
	"strings"

	"github.com/lagrieta/itlag/providers/nas/remote"
)

// owner is a file's owner and group names.
type owner struct{ user, group string }

// rootPath is p as a shell word under "${ITLAG_ROOT}", which is empty over
// SSH and the stand-in root directory with remote.Local.
func rootPath(p string) string { return `"${ITLAG_ROOT}"` + remote.ShellQuote(p) }

// readOwners asks, in one command, for the owner and group of every
// distinct path whose resource manages them; nothing when none does. A
// missing file has no entry.
func readOwners(ctx context.Context, t remote.Transport, specs []spec) (map[string]owner, error) {
	var paths []string
	seen := map[string]bool{}
	for _, s := range specs {
		if (s.owner != "" || s.group != "") && !seen[s.path] {
			seen[s.path] = true
			paths = append(paths, s.path)
		}
	}
	if len(paths) == 0 {
		return nil, nil
	}
	var cmd strings.Builder
	for _, p := range paths {
		// One line per path, in order: "user group", or "-" when absent.
		fmt.Fprintf(&cmd, "stat -c '%%U %%G' -- %s 2>/dev/null || echo -\n", rootPath(p))
	}
	res, err := t.Run(ctx, cmd.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("owners: %w", classify(err))
	}
	lines := strings.Split(strings.TrimSuffix(string(res.Stdout), "\n"), "\n")
	if len(lines) != len(paths) {
		return nil, fmt.Errorf("owners: stat printed %d lines for %d files: %s", len(lines), len(paths), firstLine(res.Stderr))
	}
	out := make(map[string]owner, len(paths))
	for i, l := range lines {
		f := strings.Fields(l)
		if len(f) == 2 {
			out[paths[i]] = owner{f[0], f[1]}
		}
	}
	return out, nil
}
