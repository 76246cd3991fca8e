package mail

import (
	"regexp"
	"sync"
)

// pattern is a regular expression of the built-in classifiers, compiled on
// first use. The package declares dozens, and every itlag command links it:
// compiled at start they cost every command, a plan that never reads a mail
// included, milliseconds and most of a megabyte. An invalid expression
// panics on first use (TestPatternsCompile compiles them all).
type pattern struct {
	expr string
	once sync.Once
	re   *regexp.Regexp
}

// patterns are all the patterns declared, in declaration order.
var patterns []*pattern

// re is a case-insensitive pattern.
func re(expr string) *pattern { return exact("(?i)" + expr) }

// exact is a case-sensitive pattern.
func exact(expr string) *pattern {
	p := &pattern{expr: expr}
	patterns = append(patterns, p)
	return p
}

// compiled is the pattern's regular expression, compiled once.
func (p *pattern) compiled() *regexp.Regexp {
	p.once.Do(func() { p.re = regexp.MustCompile(p.expr) })
	return p.re
}

func (p *pattern) MatchString(s string) bool { return p.compiled().MatchString(s) }

func (p *pattern) FindString(s string) string { return p.compiled().FindString(s) }

func (p *pattern) FindStringSubmatch(s string) []string { return p.compiled().FindStringSubmatch(s) }

func (p *pattern) FindAllString(s string, n int) []string { return p.compiled().FindAllString(s, n) }

func (p *pattern) FindAllStringIndex(s string, n int) [][]int {
	return p.compiled().FindAllStringIndex(s, n)
}

func (p *pattern) FindAllStringSubmatchIndex(s string, n int) [][]int {
	return p.compiled().FindAllStringSubmatchIndex(s, n)
}

func (p *pattern) ReplaceAllString(src, repl string) string {
	return p.compiled().ReplaceAllString(src, repl)
}
