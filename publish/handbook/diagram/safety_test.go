package diagram

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/schema"
)

const long = "a-very-long-backup-destination-name-that-cannot-fit-in-any-box-of-the-diagram"

// oddState declares a bit of everything with names that must be escaped,
// a name too long for its box and secrets inside URLs.
func oddState() *schema.State {
	tag := `<b&"x">'`
	return &schema.State{
		Domains: map[string]schema.Domain{tag + ".es": {Registrar: "manual"}},
		Zones: []schema.Zone{{Name: tag + ".es", Provider: "cloudflare", Records: []schema.Record{
			{Name: "@", Type: "A", Value: "192.0.2.1</text><script>alert(1)</script>", Proxied: true}}}},
		DDNS: map[string]schema.DDNSHost{"office.ddns.net": {Provider: "noip"}},
		NAS:  map[string]schema.NAS{"nas&1": {Host: "office.ddns.net", User: "u<1>"}},
		Backups: map[string]schema.Backup{"docs": {RunsOn: "local", Sources: []string{"/a", "/b"},
			Destinations: map[string]schema.Destination{
				long:  {Repository: "rest:https://user:s3cr3tpass@backup.example:8000/repo?token=qwerty", Media: "nas", Offsite: true},
				"usb": {Repository: "/mnt/usb", Media: "usb"},
			}}},
		Monitors: map[string]schema.Monitor{"web\"site": {Kind: "http", Target: "https://admin:hunter22@www.example.org/?key=abcdef"}},
		Alerts: schema.Alerts{Routes: map[string]schema.Route{"it<&>": {Severities: []string{"critical"},
			Email: &schema.EmailRoute{To: []string{"a@example.org", "b@example.org"}}}}},
	}
}

var (
	externalRef = regexp.MustCompile(`(?i)(href|src)\s*=\s*"[^"]*(https?:|//)`)
	forbidden   = []string{"<script", "foreignObject", "<style", "<image", "<use", "@import", "javascript:"}
)

// TestSafeDocument checks the rules every diagram keeps, on the examples
// and on a state of odd names: well-formed XML, escaped text, no external
// reference or script, a <title> and <desc>, a generic font, cut names
// kept whole in their box's <title>, and no secret from inside a URL.
func TestSafeDocument(t *testing.T) {
	states := map[string]*schema.State{
		"odd":    oddState(),
		"empty":  {},
		"office": load(t, "examples/office"),
		"infra":  load(t, "infra-state"),
	}
	for _, name := range []string{"odd", "empty", "office", "infra"} {
		for _, lang := range []string{"es", "en"} {
			t.Run(name+"/"+lang, func(t *testing.T) {
				svg := draw(t, states[name], lang)
				root := parse(t, svg)
				for _, bad := range forbidden {
					if bytes.Contains(svg, []byte(bad)) {
						t.Errorf("document holds %q", bad)
					}
				}
				if m := externalRef.Find(svg); m != nil {
					t.Errorf("document holds an external reference: %s", m)
				}
				if root.attr("font-family") != "sans-serif" {
					t.Errorf("font-family %q, want sans-serif", root.attr("font-family"))
				}
				for _, a := range []string{"width", "height", "viewBox"} {
					if root.attr(a) == "" {
						t.Errorf("root lacks %s", a)
					}
				}
				if len(root.Nodes) < 2 || root.Nodes[0].XMLName.Local != "title" || root.Nodes[0].Text == "" ||
					root.Nodes[1].XMLName.Local != "desc" || root.Nodes[1].Text == "" {
					t.Errorf("the document does not open with a <title> and a <desc>")
				}
				for _, secret := range []string{"s3cr3tpass", "qwerty", "hunter22", "abcdef"} {
					if bytes.Contains(svg, []byte(secret)) {
						t.Errorf("document shows %q", secret)
					}
				}
			})
		}
	}
}

// TestOddNames checks that odd names come back as written (escaped in the
// document, decoded by the parser) and that a long name is cut with "…"
// and kept whole in its box's <title>.
func TestOddNames(t *testing.T) {
	root := parse(t, draw(t, oddState(), "en"))
	bs := boxes(root)
	names := map[string]bool{}
	for _, b := range bs {
		names[b.texts[0]] = true
	}
	for _, want := range []string{`<b&"x">'.es`, "nas&1", "it<&>", `web"site`} {
		if want == `web"site` { // a monitor's name is a line of its group
			want = "HTTP · 1 monitor"
		}
		if !names[want] {
			t.Errorf("no box named %q; boxes: %v", want, names)
		}
	}
	var cut *drawnBox
	for i, b := range bs {
		if strings.HasPrefix(b.title, long+"\n") {
			cut = &bs[i]
		}
	}
	if cut == nil {
		t.Fatalf("no box's <title> holds the long name whole")
	}
	if name := cut.texts[0]; !strings.HasSuffix(name, "…") || !strings.HasPrefix(long, strings.TrimSuffix(name, "…")) {
		t.Errorf("long name drawn as %q, want a prefix of it and …", name)
	}
	if cut.tag != "offsite" {
		t.Errorf("long destination tagged %q, want offsite", cut.tag)
	}
	if !strings.Contains(cut.title, "rest:https://***@backup.example:8000/repo?***") {
		t.Errorf("repository not shown redacted in %q", cut.title)
	}
}

// TestEmptyState checks the small document of a state that declares
// nothing the diagram shows, and the errors.
func TestEmptyState(t *testing.T) {
	for _, tc := range []struct{ lang, says string }{
		{"es", "El estado no declara nada que dibujar."},
		{"en", "The state declares nothing to draw."},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			svg := draw(t, &schema.State{Subscriptions: map[string]schema.Subscription{"x": {}}}, tc.lang)
			root := parse(t, svg)
			if len(boxes(root)) != 0 || bytes.Contains(svg, []byte(`class="band"`)) {
				t.Errorf("empty state draws boxes or bands:\n%s", svg)
			}
			if !bytes.Contains(svg, []byte(">"+tc.says+"<")) {
				t.Errorf("empty state does not say %q:\n%s", tc.says, svg)
			}
			var w, h int
			fmt.Sscan(root.attr("width"), &w)
			fmt.Sscan(root.attr("height"), &h)
			if w > 600 || h > 200 || w == 0 || h == 0 {
				t.Errorf("empty diagram is %dx%d, want small", w, h)
			}
		})
	}
	if _, err := Draw(&schema.State{}, "fr"); err == nil || !strings.Contains(err.Error(), `"fr"`) {
		t.Errorf(`Draw(lang "fr") = %v, want an error naming it`, err)
	}
	if _, err := Draw(nil, "es"); err == nil {
		t.Errorf("Draw(nil) gave no error")
	}
}
