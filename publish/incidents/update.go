package incidents

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/store/safefile"
)

// Dir is the directory of the incident files, relative to the repository.
const Dir = "incidents"

// Changes is what one Update did. Each list is sorted by ID and holds the
// incidents as written.
type Changes struct {
	Opened, Updated, Resolved []Incident
}

// Empty reports whether Update changed nothing.
func (c Changes) Empty() bool {
	return len(c.Opened)+len(c.Updated)+len(c.Resolved) == 0
}

// ReadFile parses one incident file; errors name the file.
func ReadFile(path string) (Incident, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Incident{}, fmt.Errorf("incidents: %w", err)
	}
	inc, err := Parse(data)
	if pe, ok := errors.AsType[*ParseError](err); ok {
		pe.File = path
		return Incident{}, fmt.Errorf("incidents: %w", pe)
	}
	return inc, err
}

// Load reads every <dir>/incidents/*.md, sorted by ID. A missing directory
// is no incidents. A file whose id is not its name is an error.
// Neither the directory nor a file may be a symlink: itlag writes them,
// and reads nothing it did not expect.
func Load(dir string) ([]Incident, error) {
	if fi, err := os.Lstat(filepath.Join(dir, Dir)); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return nil, fmt.Errorf("incidents: %s %w", filepath.Join(dir, Dir), safefile.ErrSymlink)
	}
	paths, err := filepath.Glob(filepath.Join(dir, Dir, "*.md"))
	if err != nil {
		return nil, fmt.Errorf("incidents: %w", err)
	}
	slices.Sort(paths)
	var all []Incident
	for _, p := range paths {
		if fi, err := os.Lstat(p); err != nil {
			return nil, fmt.Errorf("incidents: %w", err)
		} else if fi.Mode()&fs.ModeSymlink != 0 {
			return nil, fmt.Errorf("incidents: %s %w", p, safefile.ErrSymlink)
		} else if !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("incidents: %s %w", p, safefile.ErrNotRegular)
		}
		inc, err := ReadFile(p)
		if err != nil {
			return nil, err
		}
		if name := strings.TrimSuffix(filepath.Base(p), ".md"); inc.ID != name {
			return nil, fmt.Errorf("incidents: %s: id %q is not the file name", p, inc.ID)
		}
		all = append(all, inc)
	}
	slices.SortFunc(all, func(a, b Incident) int { return strings.Compare(a.ID, b.ID) })
	return all, nil
}

// Update reconciles the incident files in <dir>/incidents with one run's
// findings, seen at now:
//   - a finding whose fingerprint has an open incident updates it: the
//     severity and itlag's block in the Detection section are refreshed;
//   - any other finding opens a new incident (a resolved one is never
//     reopened);
//   - an open incident whose fingerprint is not among the findings is
//     resolved at now.
//
// Findings with the same fingerprint count once, at their worst severity.
// A file is written (atomically) only when its content other than last_seen
// changes; last_seen is set to now only then, and only then is the incident
// listed in Changes. On a write error, Changes lists what was written before.
func Update(dir string, findings []finding.Finding, now time.Time) (Changes, error) {
	now = now.UTC().Truncate(time.Second)
	byFP, err := dedupe(findings)
	if err != nil {
		return Changes{}, err
	}
	existing, err := Load(dir)
	if err != nil {
		return Changes{}, err
	}
	taken := map[string]bool{}
	open := map[string]Incident{}
	for _, inc := range existing {
		taken[inc.ID] = true
		if inc.Status != StatusOpen {
			continue
		}
		if other, dup := open[inc.Fingerprint]; dup {
			return Changes{}, fmt.Errorf("incidents: %s and %s are both open for fingerprint %s; resolve one by hand",
				other.ID, inc.ID, inc.Fingerprint)
		}
		open[inc.Fingerprint] = inc
	}

	var ch Changes
	for _, f := range byFP {
		old, ok := open[f.Fingerprint]
		if !ok {
			inc := openIncident(f, now, taken)
			taken[inc.ID] = true
			ch.Opened = append(ch.Opened, inc)
			continue
		}
		delete(open, f.Fingerprint)
		if inc, changed := refresh(old, f); changed {
			inc.LastSeen = now
			ch.Updated = append(ch.Updated, inc)
		}
	}
	for _, inc := range open {
		inc.Status, inc.ResolvedAt = StatusResolved, now
		ch.Resolved = append(ch.Resolved, inc)
	}
	byID := func(a, b Incident) int { return strings.Compare(a.ID, b.ID) }
	slices.SortFunc(ch.Opened, byID)
	slices.SortFunc(ch.Updated, byID)
	slices.SortFunc(ch.Resolved, byID)

	var done Changes
	if ch.Empty() {
		return done, nil
	}
	for _, step := range []struct {
		in  []Incident
		out *[]Incident
	}{{ch.Opened, &done.Opened}, {ch.Updated, &done.Updated}, {ch.Resolved, &done.Resolved}} {
		for _, inc := range step.in {
			if err := safefile.WriteFile(dir, Dir+"/"+inc.ID+".md", inc.Render(), 0o644); err != nil {
				return done, fmt.Errorf("incidents: write %s: %w", inc.ID, err)
			}
			*step.out = append(*step.out, inc)
		}
	}
	return done, nil
}

// dedupe checks the findings and keeps one per fingerprint (the worst
// severity, the first of equals), sorted by fingerprint.
func dedupe(findings []finding.Finding) ([]finding.Finding, error) {
	seen := map[string]int{}
	var out []finding.Finding
	for _, f := range findings {
		if f.Fingerprint == "" {
			return nil, fmt.Errorf("incidents: finding %q: no fingerprint", f.String())
		}
		if !validSeverity(f.Severity) {
			return nil, fmt.Errorf("incidents: finding %q: unknown severity %q", f.String(), f.Severity)
		}
		if i, ok := seen[f.Fingerprint]; ok {
			if f.Severity.Rank() < out[i].Severity.Rank() {
				out[i] = f
			}
			continue
		}
		seen[f.Fingerprint] = len(out)
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b finding.Finding) int { return strings.Compare(a.Fingerprint, b.Fingerprint) })
	return out, nil
}

func openIncident(f finding.Finding, now time.Time, taken map[string]bool) Incident {
	base := ID(f.Source, f.Fingerprint, now)
	id := base
	for n := 2; taken[id]; n++ {
		id = fmt.Sprintf("%s-%d", base, n)
	}
	return Incident{
		ID: id, Severity: f.Severity, Status: StatusOpen,
		FirstSeen: now, LastSeen: now,
		Source: f.Source, Fingerprint: f.Fingerprint,
		Summary: oneLine(f.Summary), Body: newBody(f),
	}
}

// refresh applies f to an open incident and reports whether the file
// would change (last_seen left out).
func refresh(old Incident, f finding.Finding) (Incident, bool) {
	inc := old
	inc.Severity = f.Severity
	inc.Body = slices.Clone(old.Body)
	block := detectionBlock(f)
	if i := inc.Body.Index(Detection); i >= 0 {
		inc.Body[i].Text = replaceBlock(inc.Body[i].Text, block)
	} else {
		at := 0
		if len(inc.Body) > 0 && inc.Body[0].Title == "" {
			at = 1
		}
		inc.Body = slices.Insert(inc.Body, at, Section{Title: Detection, Text: "\n" + block + "\n"})
	}
	return inc, !bytes.Equal(inc.Render(), old.Render())
}
