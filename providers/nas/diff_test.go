package nas

import (
	"strings"
	"testing"

	"github.com/lagrieta/itlag/providers"
)

func TestDiff(t *testing.T) {
	file := func(content string, sensitive bool) *providers.Resource {
		return &providers.Resource{Kind: providers.KindFile, Name: "/etc/app.env", Content: content, Sensitive: sensitive}
	}
	tests := []struct {
		name          string
		before, after *providers.Resource
		want          string
	}{
		{name: "none", want: ""},
		{name: "equal", before: file("a\n", false), after: file("a\n", false), want: ""},
		{name: "update", before: file("a\nb\n", false), after: file("a\nc\n", false),
			want: "--- /etc/app.env\n+++ /etc/app.env\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"},
		{name: "create", after: file("a\n", false), want: "--- /dev/null\n+++ /etc/app.env\n@@ -0,0 +1 @@\n+a\n"},
		{name: "delete", before: file("a\n", false), want: "--- /etc/app.env\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n"},
		{name: "sensitive after", before: file("PASS=old\n", false), after: file("PASS=new\n", true),
			want: "--- /etc/app.env\n+++ /etc/app.env\n@@ -1 +1 @@\n-<redacted>\n+<redacted>\n"},
		{name: "sensitive before", before: file("PASS=old\n", true), after: file("PASS=new\n", false),
			want: "--- /etc/app.env\n+++ /etc/app.env\n@@ -1 +1 @@\n-<redacted>\n+<redacted>\n"},
		{name: "block", before: &providers.Resource{Kind: providers.KindBlock, Name: "/etc/crontab#itlag-tasks", Content: "x\n"},
			after: &providers.Resource{Kind: providers.KindBlock, Name: "/etc/crontab#itlag-tasks", Content: "y\n"},
			want:  "--- /etc/crontab#itlag-tasks\n+++ /etc/crontab#itlag-tasks\n@@ -1 +1 @@\n-x\n+y\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Diff(tt.before, tt.after)
			if got != tt.want {
				t.Fatalf("Diff:\n%s\nwant:\n%s", got, tt.want)
			}
			if strings.Contains(got, "PASS") {
				t.Fatal("sensitive content in the diff")
			}
		})
	}
}
