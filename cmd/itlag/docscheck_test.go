package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/lagrieta/itlag/cmd/itlag/cli"
)

// The documentation checker behind TestDocs: what README.md and docs/*.md
// show of the command line must be what the CLI's --help says, and their
// relative links must lead somewhere. Nothing here lists the commands or
// flags: everything is read from "itlag --help" and "itlag CMD --help", so
// a command or flag added to the CLI is known to the check at once.

// cliHelp runs the CLI in-process with --help and remembers the answers.
type cliHelp struct {
	root    string          // "itlag --help"
	globals map[string]bool // global flag → takes a value
	cmds    map[string]*cmdHelp
}

// cmdHelp is what "itlag CMD --help" says.
type cmdHelp struct {
	code  int             // its exit code: 0 for a command that exists
	out   string          // stdout and stderr
	flags map[string]bool // every --flag it lists
	subs  map[string]bool // the words "itlag CMD WORD" in it: its subcommands
}

func runHelp(args ...string) (string, int) {
	var out bytes.Buffer
	code := cli.Main(append(args, "--help"), strings.NewReader(""), &out, &out)
	return out.String(), code
}

var (
	// a global flag in the root help: "  --state DIR   desired-state ..."
	globalFlagRE = regexp.MustCompile(`^\s+--([a-z][a-z0-9-]*)(\s+[A-Z]+\b)?`)
	// a flag listed in a command's help (indented, at the start of a line)
	helpFlagRE = regexp.MustCompile(`(?m)^\s+--([A-Za-z0-9][A-Za-z0-9-]*)`)
	// a flag named in a doc
	docFlagRE = regexp.MustCompile(`(?:^|[\s\[|(,])(--[A-Za-z][A-Za-z0-9-]*)`)
	wordRE    = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
)

func newCLIHelp() (*cliHelp, error) {
	root, code := runHelp()
	if code != 0 {
		return nil, fmt.Errorf("itlag --help: exit %d", code)
	}
	h := &cliHelp{root: root, globals: map[string]bool{}, cmds: map[string]*cmdHelp{}}
	in := false
	for _, line := range strings.Split(root, "\n") {
		switch {
		case strings.HasPrefix(line, "Global flags"):
			in = true
		case in && strings.TrimSpace(line) == "":
			in = false
		case in:
			if m := globalFlagRE.FindStringSubmatch(line); m != nil {
				h.globals[m[1]] = m[2] != ""
			}
		}
	}
	if len(h.globals) == 0 {
		return nil, fmt.Errorf("itlag --help lists no global flags:\n%s", root)
	}
	return h, nil
}

func (h *cliHelp) command(name string) *cmdHelp {
	if c, ok := h.cmds[name]; ok {
		return c
	}
	out, code := runHelp(name)
	c := &cmdHelp{code: code, out: out, flags: map[string]bool{"help": true, "h": true}, subs: map[string]bool{}}
	for _, m := range helpFlagRE.FindAllStringSubmatch(out, -1) {
		c.flags[m[1]] = true
	}
	subRE := regexp.MustCompile(`itlag ` + regexp.QuoteMeta(name) + ` ([a-z][a-z0-9-]*)(?:[\s\[\]"]|$)`)
	for _, m := range subRE.FindAllStringSubmatch(out, -1) {
		c.subs[m[1]] = true
	}
	h.cmds[name] = c
	return c
}

// checkCommand checks one command line as a doc shows it, from the word
// after "itlag" on: "plan --out FILE", "--state DIR plan",
// "backup run JOB [--full] | verify JOB [--check]".
func (h *cliHelp) checkCommand(line string) []string {
	toks := strings.Fields(line)
	strip := func(s string) string { return strings.Trim(s, "[]{}()|…") }
	i := 0
	var problems []string
	// Global flags may come before the command.
	for i < len(toks) && strings.HasPrefix(strip(toks[i]), "-") {
		name, _, hasValue := strings.Cut(strings.TrimLeft(strip(toks[i]), "-"), "=")
		takes, ok := h.globals[name]
		if !ok {
			break // "itlag --version": the root takes it as a command
		}
		i++
		if takes && !hasValue {
			i++
		}
	}
	if i >= len(toks) {
		return nil
	}
	name := strip(toks[i])
	if h := strings.TrimLeft(name, "-"); h == "help" || h == "h" {
		// "itlag help [CMD]" is "itlag [CMD] --help"; never run "help
		// --help", which the root turns into itself again.
		if i++; i >= len(toks) {
			return nil
		}
		name = strip(toks[i])
	}
	if !wordRE.MatchString(strings.TrimLeft(name, "-")) {
		return nil // a placeholder ("itlag <command>"), not a command
	}
	c := h.command(name)
	if c.code != 0 {
		return []string{fmt.Sprintf("itlag %s: no such command (itlag %s --help exits %d)", name, name, c.code)}
	}
	if i+1 < len(toks) && wordRE.MatchString(toks[i+1]) && len(c.subs) > 0 && !c.subs[toks[i+1]] {
		problems = append(problems, fmt.Sprintf("itlag %s %s: no such subcommand (itlag %s --help names %s)",
			name, toks[i+1], name, strings.Join(sortedKeys(c.subs), ", ")))
	}
	// "| verify JOB [--check]" is another form of the same command when
	// the word is one of its subcommands; otherwise a shell pipe ends it.
	rest := strings.Join(toks[i+1:], " ")
	segs := strings.Split(rest, " | ")
	kept := segs[:1]
	for _, s := range segs[1:] {
		if f := strings.Fields(s); len(f) > 0 && wordRE.MatchString(f[0]) && !c.subs[f[0]] {
			break
		}
		kept = append(kept, s)
	}
	for _, m := range docFlagRE.FindAllStringSubmatch(strings.Join(kept, " | "), -1) {
		flag := strings.TrimPrefix(m[1], "--")
		if _, global := h.globals[flag]; !global && !c.flags[flag] {
			problems = append(problems, fmt.Sprintf("itlag %s: no flag --%s (not in itlag %s --help)", name, flag, name))
		}
	}
	return problems
}

func sortedKeys(m map[string]bool) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// A markdown page split into what is code (fenced lines, inline code
// spans) and what is prose.
var (
	fenceRE     = regexp.MustCompile("^\\s*(```|~~~)")
	linkRE      = regexp.MustCompile(`!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
	headingRE   = regexp.MustCompile(`^(#{1,6})\s+(.*?)\s*#*\s*$`)
	schemeRE    = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)
	commentRE   = regexp.MustCompile(`\s#.*$`)
	cutRE       = regexp.MustCompile("[\"'`);>→]|&&")
	mentionHead = regexp.MustCompile(`itlag[ \t]+`)
)

type page struct {
	code  []string // fenced lines (comments cut) and inline code spans
	prose []string // paragraphs outside fences
	heads []string // heading texts outside fences
}

func parsePage(text string) page {
	var p page
	var para []string
	flush := func() {
		if len(para) > 0 {
			s := strings.Join(para, "\n")
			p.prose = append(p.prose, s)
			for _, span := range codeSpans(s) {
				p.code = append(p.code, strings.Join(strings.Fields(span), " "))
			}
		}
		para = nil
	}
	fenced := false
	for _, line := range strings.Split(text, "\n") {
		switch {
		case fenceRE.MatchString(line):
			flush()
			fenced = !fenced
		case fenced:
			p.code = append(p.code, commentRE.ReplaceAllString(line, ""))
		case strings.TrimSpace(line) == "":
			flush()
		default:
			if m := headingRE.FindStringSubmatch(line); m != nil {
				p.heads = append(p.heads, m[2])
			}
			para = append(para, line)
		}
	}
	flush()
	return p
}

// codeSpans returns the inline code of a paragraph: what lies between a
// run of backticks and the next run of the same length.
func codeSpans(s string) []string {
	var spans []string
	run := func(i int) int {
		n := 0
		for i+n < len(s) && s[i+n] == '`' {
			n++
		}
		return n
	}
	for i := 0; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		n := run(i)
		closed := false
		for j := i + n; j < len(s); {
			if s[j] != '`' {
				j++
				continue
			}
			if m := run(j); m == n {
				spans = append(spans, s[i+n:j])
				i, closed = j+m, true
				break
			} else {
				j += m
			}
		}
		if !closed {
			i += n
		}
	}
	return spans
}

// mentions returns what follows each "itlag " that starts a command in a
// piece of code: at its start, after a space, quote or bracket, or as
// "./itlag" (not "cmd/itlag", "itlag:" or "itlag_...").
func mentions(code string) []string {
	var out []string
	for _, loc := range mentionHead.FindAllStringIndex(code, -1) {
		before := code[:loc[0]]
		ok := before == "" || strings.HasSuffix(before, "./") ||
			strings.ContainsAny(before[len(before)-1:], " \t\"'([{")
		if !ok {
			continue
		}
		rest := code[loc[1]:]
		if c := cutRE.FindStringIndex(rest); c != nil {
			rest = rest[:c[0]]
		}
		if next := mentionHead.FindStringIndex(rest); next != nil {
			rest = rest[:next[0]]
		}
		out = append(out, rest)
	}
	return out
}

// slug is GitHub's anchor for a heading: lower case, everything but
// letters, digits, spaces, hyphens and underscores dropped, spaces made
// hyphens.
func slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteRune('-')
		}
	}
	return b.String()
}

// anchors returns every anchor of a page's headings, duplicates numbered
// as GitHub does (name, name-1, name-2).
func anchors(p page) map[string]bool {
	seen := map[string]int{}
	out := map[string]bool{}
	for _, h := range p.heads {
		s := slug(h)
		if n := seen[s]; n > 0 {
			out[fmt.Sprintf("%s-%d", s, n)] = true
		} else {
			out[s] = true
		}
		seen[s]++
	}
	return out
}

// checkDoc checks the page at root/rel: its commands and flags against the
// CLI's help, its relative links against the files under root.
func checkDoc(h *cliHelp, root, rel string) []string {
	text, err := os.ReadFile(filepath.Join(root, rel))
	if err != nil {
		return []string{err.Error()}
	}
	p := parsePage(string(text))
	var problems []string
	seen := map[string]bool{}
	for _, code := range p.code {
		for _, m := range mentions(code) {
			for _, prob := range h.checkCommand(m) {
				if !seen[prob] {
					seen[prob] = true
					problems = append(problems, fmt.Sprintf("%s: %s (in %q)", rel, prob, "itlag "+strings.TrimSpace(m)))
				}
			}
		}
	}
	for _, para := range p.prose {
		for _, m := range linkRE.FindAllStringSubmatch(para, -1) {
			if prob := checkLink(root, rel, p, m[1]); prob != "" {
				problems = append(problems, fmt.Sprintf("%s: link %s: %s", rel, m[1], prob))
			}
		}
	}
	return problems
}

func checkLink(root, rel string, self page, target string) string {
	if schemeRE.MatchString(target) {
		return "" // https:, mailto:: not checked here
	}
	path, anchor, _ := strings.Cut(target, "#")
	dest := self
	if path != "" {
		full := filepath.Join(root, filepath.Dir(rel), filepath.FromSlash(path))
		if r, err := filepath.Rel(root, full); err != nil || strings.HasPrefix(r, "..") {
			return "leads out of the repository"
		}
		text, err := os.ReadFile(full)
		if err != nil {
			if _, serr := os.Stat(full); serr == nil && anchor == "" {
				return "" // a directory
			}
			return "no such file"
		}
		if anchor == "" {
			return ""
		}
		if !strings.HasSuffix(path, ".md") {
			return "an anchor into a file that is not Markdown"
		}
		dest = parsePage(string(text))
	}
	if anchor != "" && !anchors(dest)[anchor] {
		return "no heading with anchor #" + anchor
	}
	return ""
}
