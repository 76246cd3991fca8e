package incidents

import (
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/finding"
)

func TestReplaceBlock(t *testing.T) {
	const blk = "<!-- itlag:begin x -->\nNEW\n" + endMarker + "\n"
	tests := []struct{ name, in, want string }{
		{"replaces, keeps notes around", "\nabove\n<!-- itlag:begin (old) -->\nOLD\n" + endMarker + "\nbelow\n\n", "\nabove\n" + blk + "below\n\n"},
		{"no block: put first", "\nhuman only\n\n", "\n" + blk + "\nhuman only\n\n"},
		{"empty section", "", "\n" + blk},
		{"begin without end: new block first", "\n<!-- itlag:begin -->\nx\n", "\n" + blk + "\n<!-- itlag:begin -->\nx\n"},
	}
	for _, tt := range tests {
		if got := replaceBlock(tt.in, blk); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

func TestDeletedDetectionSectionComesBack(t *testing.T) {
	dir := t.TempDir()
	id := mustUpdate(t, dir, []finding.Finding{disk(finding.High, "91%")}, t0).Opened[0].ID
	b := string(readIncident(t, dir, id))
	start, end := strings.Index(b, "## "+Detection), strings.Index(b, "## "+Analysis)
	writeRaw(t, dir, id+".md", b[:start]+b[end:])

	ch := mustUpdate(t, dir, []finding.Finding{disk(finding.High, "91%")}, t0.Add(time.Hour))
	if len(ch.Updated) != 1 {
		t.Fatalf("updated %v", ids(ch.Updated))
	}
	want := strings.Replace(b, "last_seen: 2026-11-26T09:30:00Z", "last_seen: 2026-11-26T10:30:00Z", 1)
	if got := string(readIncident(t, dir, id)); got != want {
		t.Errorf("Detection not restored in place:\n%s", got)
	}
}
