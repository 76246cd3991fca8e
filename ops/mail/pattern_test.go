package mail

import (
	"regexp"
	"testing"
)

// TestPatternsCompile compiles every built-in pattern, which the package
// otherwise compiles only on first use.
func TestPatternsCompile(t *testing.T) {
	if len(patterns) < 40 {
		t.Fatalf("%d patterns declared, want the built-in classifiers' (over 40)", len(patterns))
	}
	for _, p := range patterns {
		if _, err := regexp.Compile(p.expr); err != nil {
			t.Errorf("pattern %q: %v", p.expr, err)
		}
	}
}

// TestPatternCaseFolding: re folds case, exact does not.
func TestPatternCaseFolding(t *testing.T) {
	tests := []struct {
		p    *pattern
		s    string
		want bool
	}{
		{re(`synology`), "Your SYNOLOGY NAS", true},
		{exact(`^Cron <`), "cron <root@nas>", false},
		{exact(`^Cron <`), "Cron <root@nas>", true},
	}
	for _, tt := range tests {
		if got := tt.p.MatchString(tt.s); got != tt.want {
			t.Errorf("%q matches %q: %v, want %v", tt.p.expr, tt.s, got, tt.want)
		}
	}
}
