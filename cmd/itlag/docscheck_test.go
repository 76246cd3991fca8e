package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/cmd/itlag/cli"
	"github.com/lagrieta/itlag/publish/mdlink"
)

// The documentation checker behind TestDocs: what README.md and docs/*.md
// show of the command line must be what the CLI's --help says, and their
// relative links must lead somewhere. Nothing here lists the commands or
// flags: everything is read from "itlag --help" and "itlag CMD --help", so
// a command or flag added to the CLI is known to the check at once. The
// links are package mdlink's to check.

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

var (
	commentRE   = regexp.MustCompile(`\s#.*$`)
	cutRE       = regexp.MustCompile("[\"'`);>→]|&&")
	mentionHead = regexp.MustCompile(`itlag[ \t]+`)
)

// docCode returns the code a page shows: the lines of its fenced blocks
// (shell comments cut) and its inline code spans (spaces made single).
func docCode(text []byte) []string {
	var code []string
	for _, s := range mdlink.Code(text) {
		if s.Fenced {
			code = append(code, commentRE.ReplaceAllString(s.Text, ""))
		} else {
			code = append(code, strings.Join(strings.Fields(s.Text), " "))
		}
	}
	return code
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

// checkDoc checks the page at root/rel: its commands and flags against the
// CLI's help, its relative links against the files under root.
func checkDoc(h *cliHelp, root, rel string) []string {
	text, err := os.ReadFile(filepath.Join(root, rel))
	if err != nil {
		return []string{err.Error()}
	}
	var problems []string
	seen := map[string]bool{}
	for _, code := range docCode(text) {
		for _, m := range mentions(code) {
			for _, prob := range h.checkCommand(m) {
				if !seen[prob] {
					seen[prob] = true
					problems = append(problems, fmt.Sprintf("%s: %s (in %q)", rel, prob, "itlag "+strings.TrimSpace(m)))
				}
			}
		}
	}
	broken, err := mdlink.Check(os.DirFS(root), rel)
	if err != nil {
		return append(problems, err.Error())
	}
	for _, b := range broken {
		problems = append(problems, b.String())
	}
	return problems
}
