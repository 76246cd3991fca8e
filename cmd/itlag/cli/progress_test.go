package cli

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
)

func TestShowProgress(t *testing.T) {
	tests := []struct {
		name   string
		tty    bool
		format string
		env    map[string]string
		want   bool
	}{
		{name: "terminal, text", tty: true, format: "text", want: true},
		{name: "terminal, default format", tty: true, want: true},
		{name: "NO_COLOR only drops colour, the bar has none", tty: true, format: "text", env: map[string]string{"NO_COLOR": "1"}, want: true},
		{name: "not a terminal", tty: false, format: "text", want: false},
		{name: "json", tty: true, format: "json", want: false},
		{name: "markdown", tty: true, format: "markdown", want: false},
		{name: "CI", tty: true, format: "text", env: map[string]string{"CI": "true"}, want: false},
		{name: "dumb terminal", tty: true, format: "text", env: map[string]string{"TERM": "dumb"}, want: false},
		{name: "other terminal", tty: true, format: "text", env: map[string]string{"TERM": "xterm-256color"}, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string { return tt.env[k] }
			if got := showProgress(tt.tty, tt.format, getenv); got != tt.want {
				t.Errorf("showProgress(%v, %q, %v) = %v, want %v", tt.tty, tt.format, tt.env, got, tt.want)
			}
		})
	}
}

// TestProgressForNotATerminal: a buffer (as in the testscripts) or a
// regular file never gets a bar.
func TestProgressForNotATerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, w := range []io.Writer{&bytes.Buffer{}, f} {
		e := &env{stderr: w}
		if p := progressFor(e, "text"); p != nil {
			t.Errorf("progressFor(%T) = %T, want none", w, p)
		}
	}
}

// TestTerminalProgressErasesItself: the bar shows the task and its phase,
// and Done leaves the cursor at the start of a blank line.
func TestTerminalProgressErasesItself(t *testing.T) {
	var b bytes.Buffer
	p := &terminalProgress{w: &b}
	p.Start("drift", 3)
	p.Phase("observe")
	p.Add(1)
	p.Add(2)
	p.Done()
	p.Done() // a second Done draws nothing
	p.Add(1) // nor does an Add outside a task
	out := b.String()
	if !strings.Contains(out, "drift: observe") {
		t.Errorf("output %q does not show the task and phase", out)
	}
	last := out[strings.LastIndex(strings.TrimSuffix(out, "\r"), "\r"):]
	if strings.Trim(last, " \r") != "" {
		t.Errorf("output ends %q, want the line blanked", last)
	}
}
