// Package chromiumtest runs Debian's headless Chromium for the tests that
// render what itlag publishes (the status page, the report charts).
package chromiumtest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Path is where Debian's chromium package installs the browser.
const Path = "/usr/bin/chromium"

// Need skips the test when Chromium is missing outside CI and fails it in
// CI, where .ci/run installs it.
func Need(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(Path); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set but %s is missing: %v", Path, err)
		}
		t.Skipf("%s not installed (apt-get install chromium); CI installs it", Path)
	}
}

// Run runs headless Chromium on url with args and returns stdout and
// stderr. The timeout only stops a hung browser; it decides no assertion.
func Run(t testing.TB, url string, args ...string) (stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	base := []string{"--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, Path, append(append(base, args...), url)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\nstderr:\n%s", strings.Join(args, " "), err, errb.String())
	}
	return out.String(), errb.String()
}
