package main

import (
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// findingCmds are the commands that compare what several outputs say
// about the same world.
func findingCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		// daysfromnow NAME N: $NAME is today's date (UTC) plus N days,
		// as 2006-01-02.
		"daysfromnow": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) != 2 {
				ts.Fatalf("usage: daysfromnow NAME N")
			}
			n, err := strconv.Atoi(args[1])
			ts.Check(err)
			ts.Setenv(args[0], time.Now().UTC().AddDate(0, 0, n).Format(time.DateOnly))
		},
		// samefingerprints FILE...: every FILE names the same, non-empty
		// set of finding fingerprints (JSON "fingerprint": "…" or HTML
		// data-fingerprint="…"); ! samefingerprints: they differ.
		"samefingerprints": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) < 2 {
				ts.Fatalf("usage: samefingerprints FILE FILE...")
			}
			var first []string
			same := true
			for i, f := range args {
				b, err := os.ReadFile(ts.MkAbs(f))
				ts.Check(err)
				got := fingerprintsIn(string(b))
				ts.Logf("%s: %d finding(s): %s", f, len(got), strings.Join(got, " "))
				if i == 0 {
					if len(got) == 0 {
						ts.Fatalf("%s names no finding", f)
					}
					first = got
					continue
				}
				if !slices.Equal(first, got) {
					same = false
					ts.Logf("%s differs from %s", f, args[0])
				}
			}
			if same == neg {
				ts.Fatalf("samefingerprints: same=%v", same)
			}
		},
	}
}

var fingerprintRE = regexp.MustCompile(`(?:"fingerprint":\s*"|data-fingerprint=")([0-9a-f]{8,64})"`)

// fingerprintsIn returns the distinct fingerprints named in text, sorted.
func fingerprintsIn(text string) []string {
	var out []string
	for _, m := range fingerprintRE.FindAllStringSubmatch(text, -1) {
		out = append(out, m[1])
	}
	slices.Sort(out)
	return slices.Compact(out)
}
