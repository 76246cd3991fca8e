package incidents

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/finding"
)

func TestLifecycle(t *testing.T) {
	dir := t.TempDir()
	f := disk(finding.High, "91%")
	id := ID(f.Source, f.Fingerprint, t0)
	if !strings.HasPrefix(id, "2026-11-26-nas-office-") || len(id) != len("2026-11-26-nas-office-")+6 {
		t.Fatalf("ID = %q", id)
	}

	steps := []struct {
		name     string
		findings []finding.Finding
		at       time.Time
		opened   []string
		updated  []string
		resolved []string
		summary  string
	}{
		{"1-opened", []finding.Finding{f}, t0, []string{id}, nil, nil, "1 incident opened (high)"},
		{"2-critical", []finding.Finding{disk(finding.Critical, "99%")}, t0.Add(90 * time.Minute), nil, []string{id}, nil, "1 incident updated (critical)"},
		{"3-resolved", nil, t0.Add(3*time.Hour + 20*time.Minute + 15*time.Second), nil, nil, []string{id}, "1 incident resolved"},
	}
	for _, s := range steps {
		ch := mustUpdate(t, dir, s.findings, s.at)
		if !slices.Equal(ids(ch.Opened), s.opened) || !slices.Equal(ids(ch.Updated), s.updated) || !slices.Equal(ids(ch.Resolved), s.resolved) {
			t.Fatalf("%s: changes opened %v updated %v resolved %v", s.name, ids(ch.Opened), ids(ch.Updated), ids(ch.Resolved))
		}
		if got := Summary(ch); got != s.summary {
			t.Errorf("%s: Summary = %q, want %q", s.name, got, s.summary)
		}
		golden(t, "lifecycle/"+s.name+".md", readIncident(t, dir, id))
	}

	inc, err := ReadFile(filepath.Join(dir, Dir, id+".md"))
	if err != nil {
		t.Fatal(err)
	}
	if inc.Status != StatusResolved || inc.Severity != finding.Critical || inc.Duration() != 3*time.Hour+20*time.Minute+15*time.Second {
		t.Errorf("after resolve: status %s severity %s duration %v", inc.Status, inc.Severity, inc.Duration())
	}
	if !strings.Contains(string(readIncident(t, dir, id)), "\nduration: 3h20m\n") {
		t.Error("resolved file has no duration: 3h20m")
	}
	if want := t0.Add(90 * time.Minute); !inc.LastSeen.Equal(want) {
		t.Errorf("LastSeen = %v, want %v (the last change, not the resolution)", inc.LastSeen, want)
	}
}

func TestReopenAfterResolution(t *testing.T) {
	tests := []struct {
		name   string
		back   time.Time
		wantID func(first string) string
	}{
		{"next day", t0.Add(30 * time.Hour), func(string) string {
			f := disk(finding.High, "")
			return ID(f.Source, f.Fingerprint, t0.Add(30*time.Hour))
		}},
		{"same day", t0.Add(5 * time.Hour), func(first string) string { return first + "-2" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			f := disk(finding.High, "91%")
			first := mustUpdate(t, dir, []finding.Finding{f}, t0).Opened[0].ID
			mustUpdate(t, dir, nil, t0.Add(time.Hour))
			resolved := readIncident(t, dir, first)

			ch := mustUpdate(t, dir, []finding.Finding{f}, tt.back)
			if len(ch.Opened) != 1 || len(ch.Updated)+len(ch.Resolved) != 0 {
				t.Fatalf("changes %+v, want one opened", ch)
			}
			if got, want := ch.Opened[0].ID, tt.wantID(first); got != want || got == first {
				t.Errorf("new ID = %q, want %q (not %q)", got, want, first)
			}
			if got := readIncident(t, dir, first); string(got) != string(resolved) {
				t.Error("the resolved incident was rewritten")
			}
			all, err := Load(dir)
			if err != nil || len(all) != 2 {
				t.Fatalf("Load: %d incidents, %v", len(all), err)
			}
			// The next run updates the new one, not the resolved one.
			ch = mustUpdate(t, dir, []finding.Finding{disk(finding.Critical, "99%")}, tt.back.Add(time.Hour))
			if got := ids(ch.Updated); !slices.Equal(got, []string{tt.wantID(first)}) {
				t.Errorf("updated %v", got)
			}
		})
	}
}

func TestHumanEditsSurvive(t *testing.T) {
	dir := t.TempDir()
	f := disk(finding.High, "91%")
	id := mustUpdate(t, dir, []finding.Finding{f}, t0).Opened[0].ID
	path := filepath.Join(dir, Dir, id+".md")

	human := map[string]string{
		Analysis:   "\nThe photo import job filled the share.\n\n```sh\n## not a heading: inside a fence\ndu -sh /volume1/*\n```\n\n",
		Action:     "\n- Moved 200 GB to the archive (ana).\n\n",
		Verify:     "\nUsage back at 70%.\n\n",
		Prevention: "\nQuota on the import share.\n",
	}
	const timeline = "## Timeline\n\n- 10:05 paged\n- 10:40 fixed\n\n"
	const note = "Human note under itlag's block.\n"
	b := string(readIncident(t, dir, id))
	for title, text := range human {
		if title != Prevention { // the blank line before the next heading stays
			text = strings.TrimSuffix(text, "\n")
		}
		b = strings.Replace(b, "## "+title+"\n\n"+Placeholder+"\n", "## "+title+"\n"+text, 1)
	}
	b = strings.Replace(b, "## "+Verify+"\n", timeline+"## "+Verify+"\n", 1)
	b = strings.Replace(b, endMarker+"\n", endMarker+"\n\n"+note, 1)
	if err := os.WriteFile(path, []byte(b), 0o644); err != nil {
		t.Fatal(err)
	}

	check := func(step string) {
		t.Helper()
		inc, err := ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, s := range inc.Body {
			titles = append(titles, s.Title)
		}
		want := []string{"", Detection, Analysis, Action, "Timeline", Verify, Prevention}
		if !slices.Equal(titles, want) {
			t.Fatalf("%s: sections %q, want %q", step, titles, want)
		}
		for title, text := range human {
			if got := inc.Body[inc.Body.Index(title)].Text; got != text {
				t.Errorf("%s: %s = %q, want %q", step, title, got, text)
			}
		}
		if got := inc.Body[inc.Body.Index("Timeline")].Text; "## Timeline\n"+got != timeline {
			t.Errorf("%s: Timeline = %q", step, got)
		}
		if !strings.Contains(inc.Body[1].Text, endMarker+"\n\n"+note) {
			t.Errorf("%s: the human note in Detection is gone:\n%s", step, inc.Body[1].Text)
		}
	}
	check("edited")
	ch := mustUpdate(t, dir, []finding.Finding{disk(finding.Critical, "99%")}, t0.Add(time.Hour))
	if len(ch.Updated) != 1 {
		t.Fatalf("updated %v", ids(ch.Updated))
	}
	check("updated")
	inc, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	det := inc.Body[1].Text
	for _, want := range []string{"- Severity: **critical**", "- Seen: disk /volume1 99% full", "/volume1: 99% used."} {
		if !strings.Contains(det, want) {
			t.Errorf("Detection block not refreshed, no %q:\n%s", want, det)
		}
	}
	if strings.Contains(det, "91%") || strings.Count(det, "itlag:begin") != 1 {
		t.Errorf("old Detection block kept:\n%s", det)
	}
	mustUpdate(t, dir, nil, t0.Add(2*time.Hour))
	check("resolved")
	golden(t, "human/resolved.md", readIncident(t, dir, id))
}

func TestSameFindingsWriteNothing(t *testing.T) {
	dir := t.TempDir()
	fs := []finding.Finding{disk(finding.High, "91%"), expiry()}
	mustUpdate(t, dir, fs, t0)
	mustUpdate(t, dir, fs[:1], t0.Add(time.Hour)) // resolve the expiry: a resolved file too

	paths, _ := filepath.Glob(filepath.Join(dir, Dir, "*"))
	if len(paths) != 2 {
		t.Fatalf("files %v", paths)
	}
	old := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	before := map[string]string{}
	for _, p := range paths {
		b, _ := os.ReadFile(p)
		before[p] = string(b)
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	for _, later := range []time.Duration{2 * time.Hour, 48 * time.Hour} {
		ch := mustUpdate(t, dir, fs[:1], t0.Add(later))
		if !ch.Empty() || Summary(ch) != "" {
			t.Fatalf("+%v: changes %+v, summary %q", later, ch, Summary(ch))
		}
	}
	after, _ := filepath.Glob(filepath.Join(dir, Dir, "*"))
	if !slices.Equal(after, paths) {
		t.Errorf("files now %v", after)
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(p)
		if !st.ModTime().Equal(old) || string(b) != before[p] {
			t.Errorf("%s was rewritten (mtime %v)", p, st.ModTime())
		}
	}
}

func TestSummaryOnlyChangeIsAnUpdate(t *testing.T) {
	dir := t.TempDir()
	mustUpdate(t, dir, []finding.Finding{disk(finding.High, "91%")}, t0)
	ch := mustUpdate(t, dir, []finding.Finding{disk(finding.High, "93%")}, t0.Add(time.Hour))
	if len(ch.Updated) != 1 || !ch.Updated[0].LastSeen.Equal(t0.Add(time.Hour)) {
		t.Fatalf("changes %+v", ch)
	}
	if ch.Updated[0].Summary != "disk /volume1 91% full" {
		t.Errorf("title rewritten to %q; it stays the opening summary", ch.Updated[0].Summary)
	}
}

func TestDuplicateFindingsCountOnceAtWorst(t *testing.T) {
	dir := t.TempDir()
	ch := mustUpdate(t, dir, []finding.Finding{disk(finding.Medium, "91%"), disk(finding.Critical, "91%"), disk(finding.High, "91%")}, t0)
	if len(ch.Opened) != 1 || ch.Opened[0].Severity != finding.Critical {
		t.Fatalf("opened %+v", ch.Opened)
	}
}

func TestUpdateErrors(t *testing.T) {
	f := disk(finding.High, "91%")
	noFP := f
	noFP.Fingerprint = ""
	badSev := f
	badSev.Severity = "urgent"
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
		fs    []finding.Finding
		want  string
	}{
		{"finding without fingerprint", nil, []finding.Finding{noFP}, "no fingerprint"},
		{"unknown severity", nil, []finding.Finding{badSev}, `unknown severity "urgent"`},
		{"malformed file", func(t *testing.T, dir string) {
			inc := openIncident(f, t0, nil)
			writeRaw(t, dir, "bad.md", strings.Replace(string(inc.Render()), "first_seen: 2026-11-26T09:30:00Z", "first_seen: yesterday", 1))
		}, []finding.Finding{f}, "bad.md:5: front matter: first_seen: want an RFC 3339 time"},
		{"id is not the file name", func(t *testing.T, dir string) {
			inc := openIncident(f, t0, nil)
			writeRaw(t, dir, "renamed.md", string(inc.Render()))
		}, []finding.Finding{f}, "is not the file name"},
		{"two open for one fingerprint", func(t *testing.T, dir string) {
			a := openIncident(f, t0, nil)
			b := a
			b.ID += "-2"
			writeRaw(t, dir, a.ID+".md", string(a.Render()))
			writeRaw(t, dir, b.ID+".md", string(b.Render()))
		}, []finding.Finding{f}, "are both open for fingerprint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			_, err := Update(dir, tt.fs, t0)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func writeRaw(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, Dir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, Dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestNoTempFilesLeft(t *testing.T) {
	dir := t.TempDir()
	mustUpdate(t, dir, []finding.Finding{disk(finding.High, "91%"), expiry()}, t0)
	mustUpdate(t, dir, nil, t0.Add(time.Hour))
	entries, err := os.ReadDir(filepath.Join(dir, Dir))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".md") || strings.HasPrefix(e.Name(), ".") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
	if len(entries) != 2 {
		t.Errorf("%d files, want 2", len(entries))
	}
}

func TestSummary(t *testing.T) {
	inc := func(sev finding.Severity) Incident { return Incident{Severity: sev} }
	tests := []struct {
		ch   Changes
		want string
	}{
		{Changes{}, ""},
		{Changes{Opened: []Incident{inc(finding.High)}, Resolved: []Incident{inc(finding.Low), inc(finding.Medium)}}, "1 incident opened (high), 2 resolved"},
		{Changes{Resolved: []Incident{inc(finding.Low), inc(finding.Medium)}}, "2 incidents resolved"},
		{Changes{Opened: []Incident{inc(finding.Low), inc(finding.Critical), inc(finding.Low)}}, "3 incidents opened (1 critical, 2 low)"},
		{Changes{Opened: []Incident{inc(finding.Medium), inc(finding.Medium)}, Updated: []Incident{inc(finding.Critical)}}, "2 incidents opened (medium), 1 updated (critical)"},
		{Changes{Updated: []Incident{inc(finding.High)}, Resolved: []Incident{inc(finding.High)}}, "1 incident updated (high), 1 resolved"},
	}
	for _, tt := range tests {
		if got := Summary(tt.ch); got != tt.want {
			t.Errorf("Summary = %q, want %q", got, tt.want)
		}
	}
}
