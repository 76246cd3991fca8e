package gitrepo

import (
	"strings"
	"testing"
)

// The checksum names a file in the repository: only a SHA-256 in hex is
// looked up, never a path.
func TestCommittedApprovalChecksum(t *testing.T) {
	for _, sum := range []string{"", "../../etc/passwd", "abc", strings.Repeat("g", 64), strings.Repeat("a", 63) + "/"} {
		if _, _, err := CommittedApproval(t.TempDir(), sum); err == nil {
			t.Errorf("CommittedApproval(%q) accepted the checksum", sum)
		}
	}
}
