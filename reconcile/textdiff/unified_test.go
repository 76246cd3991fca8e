package textdiff

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestUnified(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		context  int
		want     string
	}{
		{name: "equal", old: "a\nb\n", new: "a\nb\n", context: 3, want: ""},
		{name: "both empty", context: 3, want: ""},
		{
			name: "create", old: "", new: "x\ny\n", context: 3,
			want: "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n",
		},
		{
			name: "create without newline", old: "", new: "x", context: 3,
			want: "--- a\n+++ b\n@@ -0,0 +1 @@\n+x\n" + NoNewline + "\n",
		},
		{
			name: "delete all", old: "a\nb\nc\n", new: "", context: 3,
			want: "--- a\n+++ b\n@@ -1,3 +0,0 @@\n-a\n-b\n-c\n",
		},
		{
			name: "newline removed at end", old: "a\nb\nc\n", new: "a\nb\nc", context: 3,
			want: "--- a\n+++ b\n@@ -1,3 +1,3 @@\n a\n b\n-c\n+c\n" + NoNewline + "\n",
		},
		{
			name: "newline added at end", old: "a\nb", new: "a\nb\n", context: 1,
			want: "--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n" + NoNewline + "\n+b\n",
		},
		{
			name: "both lack newline", old: "a\nb", new: "a\nc", context: 0,
			want: "--- a\n+++ b\n@@ -2 +2 @@\n-b\n" + NoNewline + "\n+c\n" + NoNewline + "\n",
		},
		{
			name: "one line changed, no context", old: "a\nb\nc\n", new: "a\nB\nc\n", context: 0,
			want: "--- a\n+++ b\n@@ -2 +2 @@\n-b\n+B\n",
		},
		{
			name: "two changes merged", old: seq(1, 10), new: strings.Replace(strings.Replace(seq(1, 10), "2\n", "two\n", 1), "9\n", "nine\n", 1), context: 3,
			want: "--- a\n+++ b\n@@ -1,10 +1,10 @@\n 1\n-2\n+two\n 3\n 4\n 5\n 6\n 7\n 8\n-9\n+nine\n 10\n",
		},
		{
			name: "two changes apart", old: seq(1, 10), new: strings.Replace(strings.Replace(seq(1, 10), "2\n", "two\n", 1), "9\n", "nine\n", 1), context: 1,
			want: "--- a\n+++ b\n@@ -1,3 +1,3 @@\n 1\n-2\n+two\n 3\n@@ -8,3 +8,3 @@\n 8\n-9\n+nine\n 10\n",
		},
		{
			name: "pure insertions, no context", old: "1\n2\n3\n", new: "0\n1\n2\n3\n4\n", context: 0,
			want: "--- a\n+++ b\n@@ -0,0 +1 @@\n+0\n@@ -3,0 +5 @@\n+4\n",
		},
		{
			name: "pure deletion, no context", old: "1\n2\n3\n", new: "1\n3\n", context: 0,
			want: "--- a\n+++ b\n@@ -2 +1,0 @@\n-2\n",
		},
		{
			name: "insert in the middle", old: "a\nb\nc\nd\n", new: "a\nb\nX\nc\nd\n", context: 1,
			want: "--- a\n+++ b\n@@ -2,2 +2,3 @@\n b\n+X\n c\n",
		},
		{
			name: "negative context is none", old: "a\nb\nc\n", new: "a\nB\nc\n", context: -2,
			want: "--- a\n+++ b\n@@ -2 +2 @@\n-b\n+B\n",
		},
		{
			name: "crlf lines are their own lines", old: "a\r\nb\r\n", new: "a\r\nb\n", context: 3,
			want: "--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+b\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Unified("a", "b", tt.old, tt.new, tt.context)
			if got != tt.want {
				t.Fatalf("Unified:\n%s\nwant:\n%s", got, tt.want)
			}
			if got == "" {
				return
			}
			back, err := applyDiff(tt.old, got)
			if err != nil || back != tt.new {
				t.Fatalf("applying the diff: %q, %v; want %q", back, err, tt.new)
			}
		})
	}
}

func TestUnifiedNames(t *testing.T) {
	got := Unified("/etc/ssh/sshd_config", "/etc/ssh/sshd_config", "a\n", "b\n", 3)
	if !strings.HasPrefix(got, "--- /etc/ssh/sshd_config\n+++ /etc/ssh/sshd_config\n@@ ") {
		t.Fatalf("headers: %q", got)
	}
}

// TestShortest checks that the diff is as short as the longest common
// subsequence allows (against a dynamic-programming LCS) whenever the
// shortest edit script has at most exhaustiveEdits edits, and that it
// applies in every case.
func TestShortest(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		alpha := 2 + i%7
		size := 60
		if i%4 == 0 {
			size = 150 // shortest scripts past exhaustiveEdits too
		}
		a := randomLines(rng, rng.IntN(size), alpha)
		b := randomLines(rng, rng.IntN(size), alpha)
		old, new := strings.Join(a, ""), strings.Join(b, "")
		d := Unified("a", "b", old, new, i%4)
		if old == new {
			continue
		}
		if back, err := applyDiff(old, d); err != nil || back != new {
			t.Fatalf("case %d: applying: %q, %v", i, back, err)
		}
		_, _, hs, _ := parseDiff(d)
		var edits int
		for _, h := range hs {
			for _, l := range h.lines {
				if l.op != opEqual {
					edits++
				}
			}
		}
		if want := len(a) + len(b) - 2*lcs(a, b); want <= exhaustiveEdits && edits != want {
			t.Fatalf("case %d: %d edits, shortest is %d\na=%q\nb=%q", i, edits, want, a, b)
		}
	}
}

func randomLines(rng *rand.Rand, n, alphabet int) []string {
	lines := make([]string, n)
	for i := range lines {
		lines[i] = string(rune('a'+rng.IntN(alphabet))) + "\n"
	}
	return lines
}

func lcs(a, b []string) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

func seq(from, to int) string {
	var sb strings.Builder
	for i := from; i <= to; i++ {
		sb.WriteString(itoa(i) + "\n")
	}
	return sb.String()
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

func FuzzUnified(f *testing.F) {
	f.Add("a\nb\nc\n", "a\nB\nc\n", uint8(3))
	f.Add("", "x", uint8(0))
	f.Add("a\nb", "a\nb\n", uint8(1))
	f.Add("x\n\n\ny\n", "\ny\nx\n", uint8(2))
	f.Add("--- a\n+++ b\n@@ -1 +1 @@\n", "@@ -1 +1 @@\n--- b\n", uint8(1))
	f.Add(seq(1, 40), strings.Replace(seq(1, 40), "17\n", "", 1)+"41", uint8(3))
	f.Fuzz(func(t *testing.T, old, new string, ctx uint8) {
		d := Unified("old", "new", old, new, int(ctx%6))
		if old == new {
			if d != "" {
				t.Fatalf("equal texts gave a diff: %q", d)
			}
			return
		}
		back, err := applyDiff(old, d)
		if err != nil {
			t.Fatalf("applying %q: %v", d, err)
		}
		if back != new {
			t.Fatalf("applying the diff gave %q, want %q\n%s", back, new, d)
		}
		r := Redact(d)
		if strings.Count(r, "\n") != strings.Count(d, "\n") {
			t.Fatalf("redacted diff has other line count:\n%s\nfrom\n%s", r, d)
		}
		checkRedacted(t, d, r)
	})
}

// checkRedacted checks that r keeps d's headers and markers and hides every
// other line's text.
func checkRedacted(t *testing.T, d, r string) {
	t.Helper()
	dl, rl := splitLines(d), splitLines(r)
	if len(dl) != len(rl) {
		t.Fatalf("%d lines redacted to %d", len(dl), len(rl))
	}
	_, _, hs, err := parseDiff(r)
	if err != nil {
		t.Fatalf("redacted diff does not parse: %v\n%s", err, r)
	}
	_, _, dh, _ := parseDiff(d)
	if len(hs) != len(dh) {
		t.Fatalf("%d hunks redacted to %d", len(dh), len(hs))
	}
	for i, h := range hs {
		if h.oldStart != dh[i].oldStart || h.oldCount != dh[i].oldCount || h.newStart != dh[i].newStart || h.newCount != dh[i].newCount {
			t.Fatalf("hunk %d header changed", i)
		}
		for j, l := range h.lines {
			if l.op != dh[i].lines[j].op || strings.TrimSuffix(l.text, "\n") != Redacted {
				t.Fatalf("hunk %d line %d: %c%q, from %c%q", i, j, l.op, l.text, dh[i].lines[j].op, dh[i].lines[j].text)
			}
		}
	}
}

// exhaustiveEdits is the size of edit script up to which go-udiff finds a
// shortest one: its lcs package meets a forward search of at most 50 edits
// with a backward one of at most 49 (maxDiffs = 100).
const exhaustiveEdits = 99
