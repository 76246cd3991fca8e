package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocs holds README.md, every docs/*.md page (not docs/drafts/) and
// the handbooks' pages (docs/ops, and the golden ones of the examples) to
// the CLI: each "itlag COMMAND [SUBCOMMAND] ... --flag" they show in code
// (fenced blocks and inline code) names a command whose --help succeeds, a
// subcommand its --help names, and flags its --help lists (or global ones,
// which may also come before the command); and each relative link leads to
// a file, and each #anchor to a heading there (GitHub's slugs).
func TestDocs(t *testing.T) {
	h, err := newCLIHelp()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join("..", "..")
	pages, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) == 0 {
		t.Fatal("no docs/*.md page")
	}
	pages = append([]string{filepath.Join(root, "README.md")}, pages...)
	// the handbooks: LaGrieta's (docs/ops) and the examples' golden ones,
	// in both languages
	for _, dir := range []string{filepath.Join(root, "docs", "ops"), filepath.Join(root, "publish", "handbook", "testdata", "golden")} {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
				pages = append(pages, p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range pages {
		rel, err := filepath.Rel(root, p)
		if err != nil {
			t.Fatal(err)
		}
		rel = filepath.ToSlash(rel)
		t.Run(rel, func(t *testing.T) {
			for _, prob := range checkDoc(h, root, rel) {
				t.Error(prob)
			}
		})
	}
}

// TestDocsCheckFails proves the check finds what it is for: each page below
// is written into a scratch repository and checked.
func TestDocsCheckFails(t *testing.T) {
	h, err := newCLIHelp()
	if err != nil {
		t.Fatal(err)
	}
	const other = "# Other page\n\n## Real heading\n\n## Real heading\n"
	tests := []struct {
		name, page string
		want       []string // substrings of the problems, in order; none: no problem
	}{
		{"commands that exist", "```sh\nitlag validate\n./itlag plan --sandbox .sandbox --detailed-exitcode # comment --nope\n" +
			"itlag backup run daily --full\nitlag --state infra-state plan --out plan.json\nitlag help\nitlag help plan\n```\n" +
			"Run `itlag backup run JOB [--full] | verify JOB [--check] [--drill]`, `itlag\napply plan.json --auto-approve`.\n", nil},
		{"not commands", "`/etc/itlag/key`, `itlag: warning: x`, `go test ./cmd/itlag -update`, `itlag_monitor_up`, `itlag <command> --nope`\n" +
			"```yaml\nuser: itlag   # --nope\nfrom: itlag@example.org\n```\n", nil},
		{"shell pipe", "`itlag backup status --format json | jq --raw-output .`", nil},
		{"unknown command", "```\nitlag frobnicate --state x\n```\n", []string{"itlag frobnicate: no such command"}},
		{"unknown flag", "Try `itlag plan --no-such-flag`.", []string{"itlag plan: no flag --no-such-flag"}},
		{"another command's flag", "`itlag validate --auto-approve`", []string{"itlag validate: no flag --auto-approve"}},
		{"help on an unknown command", "`itlag help frobnicate`", []string{"itlag frobnicate: no such command"}},
		{"unknown subcommand", "`itlag backup frob JOB`", []string{"itlag backup frob: no such subcommand"}},
		{"flag of an alternate form", "`itlag audit | verify --bogus`", []string{"itlag audit: no flag --bogus"}},
		{"non-global flag before the command", "`itlag --bogus plan`", []string{"itlag --bogus: no such command"}},
		{"links that resolve", "[a](other.md), [b](other.md#real-heading), [c](other.md#real-heading-1), [d](#here), [e](https://example.org/x), [f](.)\n\n## Here\n", nil},
		{"missing file", "See [x](missing.md).", []string{`docs/page.md:1: link "missing.md": no such file`}},
		{"missing anchor", "See [x](other.md#nope) and [y](#nor-here).", []string{`link "other.md#nope": no heading with anchor #nope`, `link "#nor-here": no heading`}},
		{"link out of the repository", "[x](../../etc/passwd)", []string{"leads out of the files checked"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			if err := os.MkdirAll(filepath.Join(root, "docs"), 0o755); err != nil {
				t.Fatal(err)
			}
			for name, text := range map[string]string{"docs/page.md": tt.page, "docs/other.md": other} {
				if err := os.WriteFile(filepath.Join(root, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got := checkDoc(h, root, "docs/page.md")
			if len(got) != len(tt.want) {
				t.Fatalf("problems:\n%s\nwant %d: %q", strings.Join(got, "\n"), len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("problem %d = %q, want it to hold %q", i, got[i], w)
				}
			}
		})
	}
}
