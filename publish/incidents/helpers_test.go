package incidents

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lagrieta/itlag/finding"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/<name>, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs (go test -update rewrites it)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

var t0 = time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)

func disk(sev finding.Severity, pct string) finding.Finding {
	f := finding.New(sev, "nas:office", "disk:/volume1", "disk /volume1 "+pct+" full")
	f.Detail = "Filesystem /volume1: " + pct + " used.\nThreshold: 90%."
	return f
}

func expiry() finding.Finding {
	return finding.New(finding.Medium, "godaddy:lagrieta.es", "expiry", "domain lagrieta.es expires in 20 days")
}

func mustUpdate(t *testing.T, dir string, fs []finding.Finding, now time.Time) Changes {
	t.Helper()
	ch, err := Update(dir, fs, now)
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	return ch
}

func readIncident(t *testing.T, dir, id string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, Dir, id+".md"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func ids(list []Incident) []string {
	var out []string
	for _, inc := range list {
		out = append(out, inc.ID)
	}
	return out
}
