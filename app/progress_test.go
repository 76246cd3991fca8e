package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/ops/backup/restic"
)

// recorder is a Progress that writes down every call.
type recorder struct {
	calls []string
}

func (r *recorder) Start(what string, total int) {
	r.calls = append(r.calls, fmt.Sprintf("start %s %d", what, total))
}
func (r *recorder) Phase(name string) { r.calls = append(r.calls, "phase "+name) }
func (r *recorder) Add(n int)         { r.calls = append(r.calls, fmt.Sprintf("add %d", n)) }
func (r *recorder) Done()             { r.calls = append(r.calls, "done") }

// task is one Start…Done of a recording.
type task struct {
	what         string
	total, added int
	phases       []string
	adds         []int
	done         bool
}

// tasks splits the recording into tasks, failing on a call outside one.
func (r *recorder) tasks(t *testing.T) []task {
	t.Helper()
	var out []task
	var cur *task
	for _, c := range r.calls {
		verb, arg, _ := strings.Cut(c, " ")
		if verb == "start" {
			if cur != nil && !cur.done {
				t.Fatalf("start before done: %v", r.calls)
			}
			i := strings.LastIndex(arg, " ")
			out = append(out, task{what: arg[:i]})
			cur = &out[len(out)-1]
			fmt.Sscan(arg[i+1:], &cur.total)
			continue
		}
		if cur == nil || cur.done {
			t.Fatalf("%q outside a task: %v", c, r.calls)
		}
		switch verb {
		case "phase":
			cur.phases = append(cur.phases, arg)
		case "add":
			var n int
			fmt.Sscan(arg, &n)
			if n <= 0 {
				t.Errorf("add %d: want a positive count", n)
			}
			cur.adds = append(cur.adds, n)
			cur.added += n
		case "done":
			cur.done = true
		}
	}
	if cur != nil && !cur.done {
		t.Fatalf("last task not done: %v", r.calls)
	}
	return out
}

// sandboxRuntime loads the quickstart example against the sandbox fakes.
func sandboxRuntime(t *testing.T) *Runtime {
	t.Helper()
	t.Setenv("HOME", t.TempDir())
	state := filepath.Join(t.TempDir(), "state")
	if err := os.MkdirAll(state, 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join("..", "examples", "quickstart", "state.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(state, "state.yaml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	rt, err := Load(Options{StateDir: state, Sandbox: filepath.Join(t.TempDir(), "sb"), DataDir: t.TempDir(), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close() })
	return rt
}

// TestApplyReportsEveryChange: the "observe" task counts every zone and
// the plan; the "apply" task of N changes counts N, and both end.
func TestApplyReportsEveryChange(t *testing.T) {
	rt := sandboxRuntime(t)
	ctx := context.Background()
	rec := &recorder{}
	pa, err := rt.PrepareApply(ctx, ApplyOptions{Progress: rec})
	if err != nil {
		t.Fatal(err)
	}
	defer pa.Close()
	n := len(pa.Plan.Changes)
	if n == 0 {
		t.Fatal("the sandbox plan is empty; want changes to apply")
	}
	if _, err := pa.Run(ctx); err != nil {
		t.Fatal(err)
	}
	ts := rec.tasks(t)
	if len(ts) != 2 || ts[0].what != "observe" || ts[1].what != "apply" {
		t.Fatalf("tasks %+v, want observe then apply", ts)
	}
	if ts[0].added != ts[0].total || ts[0].total < 2 {
		t.Errorf("observe counted %d of %d", ts[0].added, ts[0].total)
	}
	if ts[1].total != n || ts[1].added != n {
		t.Errorf("apply of %d changes: total %d, counted %d", n, ts[1].total, ts[1].added)
	}
}

// TestDriftCountsEveryPhase: a drift run to its end counts its total,
// through every phase, in one task.
func TestDriftCountsEveryPhase(t *testing.T) {
	rt := sandboxRuntime(t)
	rec := &recorder{}
	if _, err := rt.Drift(context.Background(), DriftOptions{Out: t.TempDir(), Progress: rec}); err != nil {
		t.Fatal(err)
	}
	ts := rec.tasks(t)
	if len(ts) != 1 || ts[0].what != "drift" {
		t.Fatalf("tasks %+v, want one drift task", ts)
	}
	if ts[0].added != ts[0].total {
		t.Errorf("drift counted %d of %d", ts[0].added, ts[0].total)
	}
	want := "mail observe plan checks history incidents reports weekly report handbook"
	if got := strings.Join(ts[0].phases, " "); got != want {
		t.Errorf("phases %q, want %q", got, want)
	}
}

// TestImportCountsZones: one step per zone imported.
func TestImportCountsZones(t *testing.T) {
	rt := sandboxRuntime(t)
	rec := &recorder{}
	res, err := rt.Import(context.Background(), ImportOptions{Provider: "cloudflare", Zones: []string{"a.example", "b.example"}, Progress: rec})
	if err != nil {
		t.Fatal(err)
	}
	ts := rec.tasks(t)
	if len(res.Zones) != 2 || len(ts) != 1 || ts[0].total != 2 || ts[0].added != 2 {
		t.Fatalf("imported %d zones; tasks %+v, want one task counting 2", len(res.Zones), ts)
	}
	if got := strings.Join(ts[0].phases, " "); got != "a.example b.example" {
		t.Errorf("phases %q", got)
	}
}

// TestBackupProgress: restic's fractions become one task per destination,
// counting up (never back, never past the scale) and ending with Done.
func TestBackupProgress(t *testing.T) {
	tests := []struct {
		name  string
		lines []string // "dest fraction"
		want  []task
	}{
		{name: "no line", want: nil},
		{
			name:  "two destinations, a fraction that drops",
			lines: []string{"media 0.1", "media 0.05", "media 0.5", "media 1", "offsite 0", "offsite 0.3"},
			want: []task{
				{what: "backup docs/media", total: backupSteps, added: backupSteps, adds: []int{100, 400, 500}, done: true},
				{what: "backup docs/offsite", total: backupSteps, added: 300, adds: []int{300}, done: true},
			},
		},
		{
			name:  "out of range",
			lines: []string{"media -1", "media 2"},
			want:  []task{{what: "backup docs/media", total: backupSteps, added: backupSteps, adds: []int{backupSteps}, done: true}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			hear, finish := backupProgress(rec, "docs")
			for _, l := range tt.lines {
				var dest string
				var f float64
				fmt.Sscan(l, &dest, &f)
				hear(dest, restic.Progress{PercentDone: f})
			}
			finish()
			finish() // a second finish ends nothing more
			got := rec.tasks(t)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("tasks\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}
