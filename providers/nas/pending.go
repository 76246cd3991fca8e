package nas

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/providers/nas/remote"
)

// PendingSuffix is appended to a managed file's path to name the file, on
// the NAS beside it, that remembers the reload commands that failed after
// the file changed, one a line, until they succeed. It lives on the NAS,
// not in itlag's local data, so that a runner starting clean (CI) still
// sees the reload owed; ObserveResources reports it as ReloadPending.
const PendingSuffix = ".itlag-reload-pending"

// pendingMode is the mode of a pending-reload file: root's only.
const pendingMode fs.FileMode = 0o600

// pendingCommands are the commands a pending-reload file lists.
func pendingCommands(data string) []string {
	var cmds []string
	for line := range strings.SplitSeq(data, "\n") {
		if line = strings.TrimSpace(line); line != "" && !slices.Contains(cmds, line) {
			cmds = append(cmds, line)
		}
	}
	return cmds
}

// readPending reads the pending-reload file of each distinct path of specs
// whose resource has a Reload, and returns the commands pending by path.
// A pending file that cannot be read counts as none.
func readPending(ctx context.Context, t remote.Transport, specs []spec) (map[string][]string, error) {
	var marks []spec
	seen := map[string]bool{}
	for _, s := range specs {
		if s.res.Reload != "" && !seen[s.path] {
			seen[s.path] = true
			marks = append(marks, spec{path: s.path + PendingSuffix})
		}
	}
	files, err := readFiles(ctx, t, marks)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, m := range marks {
		if f := files[m.path]; f.exists {
			out[strings.TrimSuffix(m.path, PendingSuffix)] = pendingCommands(f.data)
		}
	}
	return out, nil
}

// markPending records, or with ok forgets, that cmd is owed for the file
// at path p: the file lists the commands still owed and is removed when
// none is left.
func markPending(ctx context.Context, t remote.Transport, p, cmd string, ok bool) error {
	mark := p + PendingSuffix
	data, _, err := t.ReadFile(ctx, mark)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read %s: %w", mark, classify(err))
	}
	cmds := pendingCommands(string(data))
	has := slices.Contains(cmds, cmd)
	switch {
	case ok && !has, !ok && has:
		return nil
	case ok:
		cmds = slices.DeleteFunc(cmds, func(c string) bool { return c == cmd })
	default:
		cmds = append(cmds, cmd)
	}
	if len(cmds) == 0 {
		// rm removes a link itself, never what it points at
		res, err := t.Run(ctx, "rm -f -- "+rootPath(mark), nil)
		if err != nil {
			return fmt.Errorf("remove %s: %w", mark, classify(err))
		}
		if res.ExitCode != 0 {
			return fmt.Errorf("remove %s: exit %d: %s", mark, res.ExitCode, firstLine(res.Stderr))
		}
		return nil
	}
	if err := t.WriteFile(ctx, mark, []byte(strings.Join(cmds, "\n")+"\n"), pendingMode); err != nil {
		return fmt.Errorf("write %s: %w", mark, classify(err))
	}
	return nil
}
