package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/reconcile"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// renderers are the golden sections each testdata/*.txtar holds besides
// its input, plan.json.
var renderers = []struct {
	section string
	render  func(*bytes.Buffer, *reconcile.Planned) error
}{
	{"text", func(b *bytes.Buffer, p *reconcile.Planned) error { return Text(b, p, Options{}) }},
	{"text-color", func(b *bytes.Buffer, p *reconcile.Planned) error { return Text(b, p, Options{Color: true}) }},
	{"markdown", func(b *bytes.Buffer, p *reconcile.Planned) error { return Markdown(b, p) }},
	{"json", func(b *bytes.Buffer, p *reconcile.Planned) error { return JSON(b, p) }},
}

func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			sections := map[string][]byte{}
			for _, f := range ar.Files {
				sections[f.Name] = f.Data
			}
			var p reconcile.Planned
			if err := json.Unmarshal(sections["plan.json"], &p); err != nil {
				t.Fatalf("plan.json: %v", err)
			}
			out := &txtar.Archive{Comment: ar.Comment, Files: []txtar.File{{Name: "plan.json", Data: sections["plan.json"]}}}
			for _, r := range renderers {
				var b bytes.Buffer
				if err := r.render(&b, &p); err != nil {
					t.Fatalf("%s: %v", r.section, err)
				}
				out.Files = append(out.Files, txtar.File{Name: r.section, Data: b.Bytes()})
				if !*update && !bytes.Equal(b.Bytes(), sections[r.section]) {
					t.Errorf("%s differs (go test ./render -update to accept):\n--- got\n%s\n--- want\n%s", r.section, b.Bytes(), sections[r.section])
				}
			}
			if *update {
				if err := os.WriteFile(file, txtar.Format(out), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func TestTextHasNoANSIWithoutColor(t *testing.T) {
	p := longPlan(5)
	var plain, color bytes.Buffer
	if err := Text(&plain, p, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := Text(&color, p, Options{Color: true}); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(plain.Bytes(), []byte("\x1b[")) {
		t.Error("plain text holds ANSI escapes")
	}
	if !bytes.Contains(color.Bytes(), []byte("\x1b[32m+ create")) {
		t.Errorf("colour text lacks a green create:\n%q", color.String())
	}
	var md bytes.Buffer
	if err := Markdown(&md, p); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(md.Bytes(), []byte("\x1b[")) || strings.Contains(md.String(), "truncated") {
		t.Error("markdown holds ANSI escapes")
	}
}

// longPlan returns a plan of n creates spread over a few zones.
func longPlan(n int) *reconcile.Planned {
	p := &reconcile.Planned{FormatVersion: reconcile.FormatVersion, Changes: []providers.Change{}, Findings: []finding.Finding{}, Refusals: []reconcile.Refusal{}}
	for i := range n {
		zone := fmt.Sprintf("zone%d.example", i*4/n)
		r := providers.Record{Zone: zone, Name: fmt.Sprintf("host-%05d", i), Type: "A", Content: fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255), TTL: 1}
		p.Changes = append(p.Changes, providers.Change{Action: providers.Create, Provider: "cloudflare", Zone: zone,
			Address: reconcile.Address("cloudflare", zone, r, true), After: &r, Reason: "missing"})
	}
	p.Summary.Create = n
	return p
}

func TestMarkdownTruncates(t *testing.T) {
	for _, n := range []int{3000, 20000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			p := longPlan(n)
			var b bytes.Buffer
			if err := Markdown(&b, p); err != nil {
				t.Fatal(err)
			}
			md := b.String()
			if len(md) > 65536 || len(md) > MaxMarkdown {
				t.Fatalf("markdown is %d bytes", len(md))
			}
			rows := strings.Count(md, "| create | `")
			want := fmt.Sprintf("… %d more changes not shown; see the full plan artifact (itlag plan --format json)\n", n-rows)
			if rows == 0 || rows >= n || !strings.HasSuffix(md, want) {
				t.Errorf("%d rows shown; tail %q, want %q", rows, md[len(md)-120:], want)
			}
			if !strings.HasPrefix(md, "### itlag plan\n\n**Plan: "+fmt.Sprint(n)+" to create") {
				t.Errorf("summary missing: %q", md[:80])
			}
			if strings.Count(md, "<details>") != strings.Count(md, "</details>") {
				t.Error("unbalanced <details>")
			}
		})
	}
	small := longPlan(10)
	var b bytes.Buffer
	if err := Markdown(&b, small); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "more changes not shown") || strings.Count(b.String(), "| create | `") != 10 {
		t.Errorf("small plan truncated:\n%s", b.String())
	}
}

func TestOutcomes(t *testing.T) {
	c := func(a providers.Action, name string) providers.Change {
		return providers.Change{Action: a, Address: "cloudflare:example.com/" + name + "/A"}
	}
	outs := []reconcile.Outcome{
		{Change: c(providers.Delete, "old")},
		{Change: c(providers.Update, "www")},
		{Change: c(providers.Create, "api"), Err: errors.New("cloudflare: 400 record exists")},
		{Change: c(providers.Create, "new")},
	}
	var b bytes.Buffer
	if err := Outcomes(&b, outs, Options{}); err != nil {
		t.Fatal(err)
	}
	want := `deleted cloudflare:example.com/old/A
updated cloudflare:example.com/www/A
FAILED cloudflare:example.com/api/A: cloudflare: 400 record exists
created cloudflare:example.com/new/A
Apply: 3 done, 1 failed.
`
	if b.String() != want {
		t.Errorf("Outcomes:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	if err := OutcomesJSON(&b, outs); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Outcomes []struct {
			Change providers.Change `json:"change"`
			Error  string           `json:"error"`
		} `json:"outcomes"`
		Done, Failed int
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Done != 3 || doc.Failed != 1 || len(doc.Outcomes) != 4 || doc.Outcomes[2].Error != "cloudflare: 400 record exists" || doc.Outcomes[0].Error != "" {
		t.Errorf("OutcomesJSON: %s", b.String())
	}
}
