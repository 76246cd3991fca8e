package cli

import (
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/lagrieta/itlag/app"
)

// progressFor is how a command shows its progress: a bar on stderr
// (terminalProgress) when showProgress says so, else nil (none).
func progressFor(e *env, format string) app.Progress {
	if !showProgress(isTTY(e.stderr), format, os.Getenv) {
		return nil
	}
	return &terminalProgress{w: e.stderr}
}

// showProgress reports whether a progress bar may be drawn: only for a
// person watching a terminal. stderr must be a terminal, the output
// format text (JSON and Markdown are for programs and files), CI unset
// and TERM not "dumb" (a terminal that cannot redraw a line). The bar is
// plain text, never coloured, so NO_COLOR needs no case of its own.
func showProgress(stderrTTY bool, format string, getenv func(string) string) bool {
	switch {
	case !stderrTTY:
		return false
	case format != "" && format != "text":
		return false
	case getenv("CI") != "":
		return false
	case getenv("TERM") == "dumb":
		return false
	}
	return true
}

// terminalProgress draws each task as one line on w that is redrawn in
// place and erased when the task is done, so that what the command then
// prints starts on a clean line.
type terminalProgress struct {
	w    io.Writer
	what string
	bar  *progressbar.ProgressBar
}

var _ app.Progress = (*terminalProgress)(nil)

// Start begins a bar for what; total <= 0 shows a spinner.
func (t *terminalProgress) Start(what string, total int) {
	t.Done()
	if total <= 0 {
		total = -1
	}
	t.what = what
	t.bar = progressbar.NewOptions(total,
		progressbar.OptionSetWriter(t.w),
		progressbar.OptionSetDescription(what),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(65*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}

// Phase shows the part of the task that runs now after its name.
func (t *terminalProgress) Phase(name string) {
	if t.bar != nil {
		t.bar.Describe(t.what + ": " + name)
	}
}

// Add advances the bar; a bar is only a view, so its errors are ignored.
func (t *terminalProgress) Add(n int) {
	if t.bar != nil {
		_ = t.bar.Add(n)
	}
}

// Done erases the bar.
func (t *terminalProgress) Done() {
	if t.bar != nil {
		_ = t.bar.Finish()
		t.bar = nil
	}
}
