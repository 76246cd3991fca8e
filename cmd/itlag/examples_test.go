package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestCIExamples: the GitHub workflows in examples/ci parse, share one
// concurrency group (runs never overlap) and never force-push; the systemd
// service treats exit 2 (drift found) as success.
func TestCIExamples(t *testing.T) {
	files, err := filepath.Glob("../../examples/ci/github/*.yml")
	if err != nil || len(files) != 3 {
		t.Fatalf("workflows: %v, %v", files, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var wf struct {
			Concurrency struct {
				Group            string `yaml:"group"`
				CancelInProgress bool   `yaml:"cancel-in-progress"`
			} `yaml:"concurrency"`
			Jobs map[string]any `yaml:"jobs"`
		}
		if err := yaml.Unmarshal(b, &wf); err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if wf.Concurrency.Group != "itlag" || wf.Concurrency.CancelInProgress || len(wf.Jobs) == 0 {
			t.Errorf("%s: concurrency %+v, %d jobs; want group itlag, runs queued not cancelled", f, wf.Concurrency, len(wf.Jobs))
		}
		if strings.Contains(string(b), "--force") || strings.Contains(string(b), "push -f") {
			t.Errorf("%s: force push", f)
		}
	}
	svc, err := os.ReadFile("../../examples/ci/systemd/itlag-drift.service")
	if err != nil || !strings.Contains(string(svc), "SuccessExitStatus=2") || !strings.Contains(string(svc), "--known-hosts") {
		t.Errorf("systemd service: %v", err)
	}
}
