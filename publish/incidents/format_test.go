package incidents

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/lagrieta/itlag/finding"
)

func TestRoundTripGoldenFiles(t *testing.T) {
	paths, err := filepath.Glob("testdata/*/*.md")
	if err != nil || len(paths) < 4 {
		t.Fatalf("golden files %v, %v (run go test -update first)", paths, err)
	}
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			inc, err := Parse(b)
			if err != nil {
				t.Fatal(err)
			}
			if got := inc.Render(); string(got) != string(b) {
				t.Errorf("Render(Parse(file)) differs:\n%s", got)
			}
		})
	}
}

func TestRoundTripEdgeBodies(t *testing.T) {
	head := string(openIncident(disk(finding.High, "91%"), t0, nil).Render())
	head = head[:strings.Index(head, "\n# ")+1]
	tests := []struct {
		name, body string
		sections   int
	}{
		{"no trailing newline", "# s\n\n## A\ntext", 2},
		{"lead text under the title", "# s\nA paragraph.\n\n## A\n\nx\n", 2},
		{"no sections", "# s\n", 0},
		{"heading in a tilde fence", "# s\n\n## A\n~~~~\n## B\n~~~\n## C\n~~~~\n", 2},
		{"unclosed fence swallows headings", "# s\n\n## A\n```\n## B\n", 2},
		{"deeper headings stay inside", "# s\n\n## A\n### sub\n#### sub\n", 2},
		{"CRLF body", "# s\n\r\n## A\r\ntext\r\n", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := head + tt.body
			inc, err := Parse([]byte(in))
			if err != nil {
				t.Fatal(err)
			}
			if got := string(inc.Render()); got != in {
				t.Errorf("round trip:\n got %q\nwant %q", got, in)
			}
			if len(inc.Body) != tt.sections {
				t.Errorf("%d sections, want %d: %q", len(inc.Body), tt.sections, inc.Body)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	good := string(openIncident(disk(finding.High, "91%"), t0, nil).Render())
	repl := func(old, new string) string {
		if !strings.Contains(good, old) {
			t.Fatalf("no %q in the good file", old)
		}
		return strings.Replace(good, old, new, 1)
	}
	tests := []struct {
		name, in string
		line     int
		msg      string
	}{
		{"empty", "", 1, `first line must be "---"`},
		{"no front matter", "# title\n", 1, `first line must be "---"`},
		{"not closed", "---\nid: x\n", 3, "not closed"},
		{"not key value", repl("status: open\n", "status open\n"), 4, `want "key: value"`},
		{"unknown key", repl("status: open\n", "status: open\nowner: ana\n"), 5, `owner: unknown key`},
		{"duplicate key", repl("status: open\n", "status: open\nstatus: open\n"), 5, "duplicate key"},
		{"bad severity", repl("severity: high", "severity: urgent"), 3, `"urgent" is not critical`},
		{"bad status", repl("status: open", "status: closed"), 4, `"closed" is not open or resolved`},
		{"bad time", repl("last_seen: 2026-11-26T09:30:00Z", "last_seen: 26/11/2026"), 6, "RFC 3339"},
		{"missing fingerprint", repl("fingerprint:", "x_fingerprint:"), 8, "x_fingerprint: unknown key"},
		{"missing source", repl("source: nas:office\n", ""), 8, "source: missing"},
		{"resolved without resolved_at", repl("status: open", "status: resolved"), 9, "resolved_at: missing"},
		{"open with resolved_at", repl("source:", "resolved_at: 2026-11-27T00:00:00Z\nsource:"), 7, "set on an open incident"},
		{"bad quoting", repl("source: nas:office", `source: "nas:office`), 7, "bad double-quoted"},
		{"bad id", repl("id: 2026", "id: ../2026"), 2, "not lowercase letters"},
		{"no title", repl("# disk", "disk"), 11, `"# <summary>" title`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in))
			pe, ok := errors.AsType[*ParseError](err)
			if !ok {
				t.Fatalf("err = %v, want a *ParseError", err)
			}
			if pe.Line != tt.line || !strings.Contains(pe.Msg, tt.msg) {
				t.Errorf("err = %v, want line %d and %q", err, tt.line, tt.msg)
			}

			path := filepath.Join(t.TempDir(), "x.md")
			if err := os.WriteFile(path, []byte(tt.in), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err = ReadFile(path)
			if want := path + ":" + itoa(tt.line) + ": "; err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("ReadFile err = %v, want it to name %q", err, want)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// The front matter is YAML that any YAML reader gets the same strings from.
func TestFrontMatterIsYAML(t *testing.T) {
	for _, src := range []string{"nas:office", "cloudflare:lagrieta.es", "a: b", "yes", "No", "null", "123", "0x1F", "1e5",
		"1:20", "2026-11-26", "x:", "-x", "#x", "it's", `say "hi"`, "tab\there", "line\nbreak", "ñandú", "", " lead", "~", ".inf", "@x", "`x`", "[a]", "%x"} {
		f := finding.New(finding.Low, src, "k", "s")
		f.Fingerprint = src + "fp"
		if src == "" {
			f.Fingerprint = "1234567890123456"
		}
		inc := openIncident(f, t0, nil)
		inc.Status, inc.ResolvedAt = StatusResolved, t0.Add(time.Hour)
		b := inc.Render()
		fm := strings.SplitN(string(b), "---\n", 3)[1]
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(fm), &n); err != nil {
			t.Fatalf("source %q: front matter is not YAML: %v\n%s", src, err, fm)
		}
		m := n.Content[0]
		got := map[string]*yaml.Node{}
		for i := 0; i+1 < len(m.Content); i += 2 {
			got[m.Content[i].Value] = m.Content[i+1]
		}
		for k, want := range map[string]string{"id": inc.ID, "source": src, "fingerprint": f.Fingerprint, "severity": "low", "status": "resolved", "duration": "1h"} {
			if got[k] == nil || got[k].Value != want || got[k].ShortTag() != "!!str" {
				t.Errorf("source %q: YAML %s = %+v, want the string %q\n%s", src, k, got[k], want, fm)
			}
		}
		back, err := Parse(b)
		if err != nil || back.Source != src || back.Fingerprint != f.Fingerprint {
			t.Errorf("source %q: Parse gave %q %q, %v", src, back.Source, back.Fingerprint, err)
		}
	}
}

func TestID(t *testing.T) {
	day := time.Date(2026, 11, 26, 23, 59, 0, 0, time.FixedZone("CET", 3600))
	tests := []struct {
		source, fp, want string
	}{
		{"nas:office", "3fa2c1d4e5f60718", "2026-11-26-nas-office-3fa2c1"},
		{"Cloudflare:lagrieta.es", "ABCDEF0123", "2026-11-26-cloudflare-lagrieta-es-abcdef"},
		{"backup:documents/usb", "1a2b3c", "2026-11-26-backup-documents-usb-1a2b3c"},
		{"::", "not-hex-at-all", "2026-11-26-unknown-" + shortHex("not-hex-at-all")},
		{strings.Repeat("a", 60), "000000", "2026-11-26-" + strings.Repeat("a", 40) + "-000000"},
	}
	for _, tt := range tests {
		got := ID(tt.source, tt.fp, day)
		if got != tt.want {
			t.Errorf("ID(%q, %q) = %q, want %q", tt.source, tt.fp, got, tt.want)
		}
		if got != ID(tt.source, tt.fp, day) || !idRE.MatchString(got) {
			t.Errorf("ID %q unstable or not a valid id", got)
		}
	}
	if len(shortHex("x")) != 6 {
		t.Error("shortHex of a short fingerprint is not 6 hex")
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"}, {45 * time.Second, "45s"}, {time.Minute, "1m"}, {3*time.Hour + 20*time.Minute + 59*time.Second, "3h20m"},
		{5 * time.Hour, "5h"}, {50*time.Hour + 5*time.Minute, "2d2h5m"},
	}
	for _, tt := range tests {
		if got := formatDuration(tt.d); got != tt.want {
			t.Errorf("formatDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}
