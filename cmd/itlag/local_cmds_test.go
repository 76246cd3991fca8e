package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/lagrieta/itlag/reconcile"
)

// localCmds are the script commands about local files and saved plans.
func localCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		// forgeplan FILE: edit a saved plan as an attacker would: move its
		// refusals into allowed and recompute the checksum (a plain
		// SHA-256 of the file's JSON without it), so the file still reads.
		"forgeplan": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) != 1 {
				ts.Fatalf("usage: forgeplan FILE")
			}
			path := ts.MkAbs(args[0])
			b, err := os.ReadFile(path)
			ts.Check(err)
			var s reconcile.Saved
			ts.Check(json.Unmarshal(b, &s))
			if len(s.Plan.Refusals) == 0 {
				ts.Fatalf("forgeplan: %s has no refusal to move", args[0])
			}
			s.Plan.Allowed = append(s.Plan.Allowed, s.Plan.Refusals...)
			s.Plan.Refusals = []reconcile.Refusal{}
			s.Checksum = ""
			body, err := json.Marshal(&s)
			ts.Check(err)
			sum := sha256.Sum256(body)
			s.Checksum = hex.EncodeToString(sum[:])
			out, err := json.MarshalIndent(&s, "", "  ")
			ts.Check(err)
			ts.Check(os.WriteFile(path, append(out, '\n'), 0o600))
		},
	}
}
