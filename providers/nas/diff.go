package nas

import (
	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/textdiff"
)

// DiffContext is the number of unchanged lines shown around each change.
const DiffContext = 3

// Diff is the unified diff of a file or block change for a plan: named by
// the resource's Name (a path, or "path#block"), with /dev/null for the
// side of a create or delete, redacted (textdiff.Redact) when either side
// is Sensitive. It is "" when the contents are equal or both sides nil.
func Diff(before, after *providers.Resource) string {
	if before == nil && after == nil {
		return ""
	}
	oldName, newName := "/dev/null", "/dev/null"
	var old, new string
	sensitive := false
	if before != nil {
		oldName, old = before.Name, before.Content
		sensitive = sensitive || before.Sensitive
	}
	if after != nil {
		newName, new = after.Name, after.Content
		sensitive = sensitive || after.Sensitive
	}
	d := textdiff.Unified(oldName, newName, old, new, DiffContext)
	if sensitive {
		d = textdiff.Redact(d)
	}
	return d
}
