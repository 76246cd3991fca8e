package ci_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

type workflow struct {
	On          map[string]any `yaml:"on"`
	Concurrency concurrency    `yaml:"concurrency"`
	Permissions map[string]string
	Jobs        map[string]job `yaml:"jobs"`
}

type concurrency struct {
	Group            string `yaml:"group"`
	CancelInProgress *bool  `yaml:"cancel-in-progress"`
}

type job struct {
	Needs       any               `yaml:"needs"`
	Environment string            `yaml:"environment"`
	Permissions map[string]string `yaml:"permissions"`
	Steps       []step            `yaml:"steps"`
}

type step struct {
	Uses string         `yaml:"uses"`
	With map[string]any `yaml:"with"`
	Run  string         `yaml:"run"`
}

func loadWorkflows(t *testing.T) map[string]workflow {
	t.Helper()
	files, err := filepath.Glob("github/*.yml")
	if err != nil || len(files) != 3 {
		t.Fatalf("workflows: %v, %v", files, err)
	}
	wfs := map[string]workflow{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var wf workflow
		if err := yaml.Unmarshal(b, &wf); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if len(wf.Jobs) == 0 {
			t.Fatalf("%s: no jobs", f)
		}
		wfs[filepath.Base(f)] = wf
	}
	return wfs
}

var pinnedRE = regexp.MustCompile(`^[\w.-]+/[\w./-]+@[0-9a-f]{40}$`)

// TestWorkflowsPinned: every action is pinned to a full commit SHA with its
// tag in a comment on the same line, and nothing is installed @latest (a
// go install names an exact version).
func TestWorkflowsPinned(t *testing.T) {
	files, _ := filepath.Glob("github/*.yml")
	usesLine := regexp.MustCompile(`^\s*-?\s*uses:\s*(\S+)(.*)$`)
	goInstall := regexp.MustCompile(`go install (\S+)`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "@latest") {
			t.Errorf("%s: @latest", f)
		}
		uses := 0
		for n, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "#") {
				continue
			}
			if m := usesLine.FindStringSubmatch(line); m != nil {
				uses++
				if !pinnedRE.MatchString(m[1]) {
					t.Errorf("%s:%d: %s is not pinned to a commit SHA", f, n+1, m[1])
				}
				if !regexp.MustCompile(`#\s*v\d+(\.\d+){0,2}\b`).MatchString(m[2]) {
					t.Errorf("%s:%d: %s has no tag comment", f, n+1, m[1])
				}
			}
			for _, m := range goInstall.FindAllStringSubmatch(line, -1) {
				if !regexp.MustCompile(`@v\d+\.\d+\.\d+$`).MatchString(m[1]) {
					t.Errorf("%s:%d: go install %s is not pinned to a version", f, n+1, m[1])
				}
			}
		}
		if uses == 0 {
			t.Errorf("%s: no uses: lines found (the scan is broken)", f)
		}
	}
	// the parsed view agrees with the line scan
	for name, wf := range loadWorkflows(t) {
		for jn, j := range wf.Jobs {
			for _, s := range j.Steps {
				if s.Uses != "" && !pinnedRE.MatchString(s.Uses) {
					t.Errorf("%s: job %s: %s not pinned", name, jn, s.Uses)
				}
			}
		}
	}
}

// TestWorkflowsLeastPrivilege: checkout never leaves the token in .git,
// every job says what its token may do, and only the jobs listed here may
// write, and only what is listed.
func TestWorkflowsLeastPrivilege(t *testing.T) {
	writes := map[string][]string{
		"itlag-pr.yml/comment":  {"pull-requests"},
		"itlag-drift.yml/drift": {"contents"},
	}
	for name, wf := range loadWorkflows(t) {
		if _, ok := wf.On["pull_request_target"]; ok {
			t.Errorf("%s: pull_request_target runs with secrets and a write token", name)
		}
		for k, v := range wf.Permissions {
			t.Errorf("%s: workflow-wide permission %s: %s; give it to the job that needs it", name, k, v)
		}
		for jn, j := range wf.Jobs {
			if j.Permissions == nil {
				t.Errorf("%s: job %s has no explicit permissions", name, jn)
			}
			var wrote []string
			for scope, level := range j.Permissions {
				switch level {
				case "read", "none":
				case "write":
					wrote = append(wrote, scope)
				default:
					t.Errorf("%s: job %s: %s: %s", name, jn, scope, level)
				}
			}
			slices.Sort(wrote)
			if want := writes[name+"/"+jn]; !slices.Equal(wrote, want) {
				t.Errorf("%s: job %s writes %v, want %v", name, jn, wrote, want)
			}
			for _, s := range j.Steps {
				if strings.HasPrefix(s.Uses, "actions/checkout@") {
					if pc, ok := s.With["persist-credentials"].(bool); !ok || pc {
						t.Errorf("%s: job %s: checkout without persist-credentials: false", name, jn)
					}
				}
			}
		}
	}
}

// TestWorkflowsConcurrency: plan and apply are in different concurrency
// groups; apply's is never cancelled; drift does not share apply's either
// (a queued drift would replace a pending apply).
func TestWorkflowsConcurrency(t *testing.T) {
	wfs := loadWorkflows(t)
	plan, apply, drift := wfs["itlag-pr.yml"], wfs["itlag-apply.yml"], wfs["itlag-drift.yml"]
	groups := map[string]string{"plan": plan.Concurrency.Group, "apply": apply.Concurrency.Group, "drift": drift.Concurrency.Group}
	for k, g := range groups {
		if g == "" {
			t.Errorf("%s: no concurrency group", k)
		}
	}
	if groups["plan"] == groups["apply"] || groups["drift"] == groups["apply"] {
		t.Errorf("concurrency groups %v: apply must have its own", groups)
	}
	if c := apply.Concurrency.CancelInProgress; c == nil || *c {
		t.Errorf("apply: cancel-in-progress must be set to false")
	}
	if !strings.Contains(plan.Concurrency.Group, "github.event.pull_request.number") {
		t.Errorf("plan: group %q is not per pull request", plan.Concurrency.Group)
	}
}

// TestApplyRunsTheReviewedPlan: the apply workflow applies the plan file
// its plan job saved, in the protected environment, never a fresh
// unreviewed one (--auto-approve).
func TestApplyRunsTheReviewedPlan(t *testing.T) {
	wf := loadWorkflows(t)["itlag-apply.yml"]
	plan, apply := wf.Jobs["plan"], wf.Jobs["apply"]
	if apply.Environment != "production" || apply.Needs != "plan" {
		t.Fatalf("apply: environment %q, needs %v; want production after plan", apply.Environment, apply.Needs)
	}
	var saved, uploaded, downloaded, applied bool
	for _, s := range plan.Steps {
		saved = saved || strings.Contains(s.Run, "itlag plan --state infra-state --out plan.json")
		uploaded = uploaded || strings.HasPrefix(s.Uses, "actions/upload-artifact@") && s.With["path"] == "plan.json"
	}
	for _, s := range apply.Steps {
		downloaded = downloaded || strings.HasPrefix(s.Uses, "actions/download-artifact@") && s.With["name"] == "plan"
		if strings.Contains(s.Run, "itlag apply") {
			applied = strings.Contains(s.Run, "plan.json") && !strings.Contains(s.Run, "--auto-approve")
		}
		if strings.Contains(s.Run, "itlag plan") {
			t.Errorf("apply job plans again: %q", s.Run)
		}
	}
	if !saved || !uploaded || !downloaded || !applied {
		t.Errorf("saved %v, uploaded %v, downloaded %v, applied the saved file %v", saved, uploaded, downloaded, applied)
	}
}

// TestWorkflowsNeverForcePush: drift pushes its commits, never with force.
func TestWorkflowsNeverForcePush(t *testing.T) {
	for name, wf := range loadWorkflows(t) {
		for _, j := range wf.Jobs {
			for _, s := range j.Steps {
				if strings.Contains(s.Run, "--force") || strings.Contains(s.Run, "push -f") {
					t.Errorf("%s: force push: %q", name, s.Run)
				}
			}
		}
	}
}
