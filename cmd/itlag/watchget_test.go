package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// watchget LOG DIR: once the watch whose JSON log is LOG serves (its
// "serving" line names the address) and its /metrics has the results of a
// first tick (a monitor's itlag_monitor_up line), save /, /healthz and
// /metrics into DIR as index.html, healthz and metrics. It waits for those
// conditions (and for the page, which answers 503 until the first
// observation), not for a time; the deadline only stops a broken run.
func watchget(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: watchget LOG DIR")
	}
	deadline := time.Now().Add(2 * time.Minute)
	addr := ""
	for addr == "" {
		b, _ := os.ReadFile(ts.MkAbs(args[0]))
		for _, line := range strings.Split(string(b), "\n") {
			var l struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &l) == nil && l.Msg == "serving" {
				addr = l.Addr
			}
		}
		if addr == "" {
			if time.Now().After(deadline) {
				ts.Fatalf("watchget: no serving line in %s:\n%s", args[0], b)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	get := func(path string) (string, error) {
		c := &http.Client{Timeout: 30 * time.Second}
		resp, err := c.Get("http://" + addr + path)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("GET %s: %s", path, resp.Status)
		}
		return string(b), err
	}
	// each page is fetched until it answers 200 (the page is 503 until the
	// first observation) and, for /metrics, holds a monitor's result
	dir := ts.MkAbs(args[1])
	ts.Check(os.MkdirAll(dir, 0o755))
	for _, p := range []struct{ path, file, want string }{
		{"/metrics", "metrics", "itlag_monitor_up{"},
		{"/", "index.html", ""},
		{"/healthz", "healthz", ""},
	} {
		for {
			body, err := get(p.path)
			if err == nil && strings.Contains(body, p.want) {
				ts.Check(os.WriteFile(filepath.Join(dir, p.file), []byte(body), 0o600))
				break
			}
			if time.Now().After(deadline) {
				ts.Fatalf("watchget: %s: %v\n%s", p.path, err, body)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}
