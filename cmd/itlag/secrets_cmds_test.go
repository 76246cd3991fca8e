package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/age"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/lagrieta/itlag/schema/secret/agefile"
)

// secretsCmds are the testscript commands of the secrets scripts.
func secretsCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		// agekey NAME: make an age identity: $NAME_IDENTITY holds the key,
		// $NAME_RECIPIENT its public key, and $WORK/NAME.key the key as
		// age-keygen writes it.
		"agekey": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) != 1 {
				ts.Fatalf("usage: agekey NAME")
			}
			id, err := age.GenerateX25519Identity()
			ts.Check(err)
			ts.Setenv(args[0]+"_IDENTITY", id.String())
			ts.Setenv(args[0]+"_RECIPIENT", id.Recipient().String())
			ts.Check(os.WriteFile(ts.MkAbs(args[0]+".key"), []byte("# public key: "+id.Recipient().String()+"\n"+id.String()+"\n"), 0o600))
		},
		// agehas KEYFILE FILE KEY [VALUE]: FILE decrypts with KEYFILE's
		// identity and holds KEY (with VALUE); with !, it does not.
		"agehas": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) != 3 && len(args) != 4 {
				ts.Fatalf("usage: agehas KEYFILE FILE KEY [VALUE]")
			}
			kf, err := os.Open(ts.MkAbs(args[0]))
			ts.Check(err)
			defer kf.Close()
			ids, err := age.ParseIdentities(kf)
			ts.Check(err)
			data, err := os.ReadFile(ts.MkAbs(args[1]))
			ts.Check(err)
			plain, err := agefile.Decrypt(args[1], data, ids)
			if err != nil {
				if neg {
					return
				}
				ts.Fatalf("agehas: %v", err)
			}
			vals, err := agefile.Parse(plain)
			ts.Check(err)
			v, ok := vals[args[2]]
			if len(args) == 4 {
				ok = ok && v == args[3]
			}
			if ok == neg {
				ts.Fatalf("agehas: %s key %s: found=%v, want %v", args[1], args[2], ok, !neg)
			}
		},
		// noplaintext TEXT DIR...: no file under the DIRs holds TEXT.
		"noplaintext": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) < 2 || neg {
				ts.Fatalf("usage: noplaintext TEXT DIR...")
			}
			for _, d := range args[1:] {
				err := filepath.WalkDir(ts.MkAbs(d), func(p string, de fs.DirEntry, err error) error {
					if err != nil || !de.Type().IsRegular() {
						return nil
					}
					b, err := os.ReadFile(p)
					if err == nil && bytes.Contains(b, []byte(args[0])) {
						ts.Fatalf("noplaintext: %s holds %q", p, args[0])
					}
					return nil
				})
				ts.Check(err)
			}
		},
		// gone LISTFILE: none of the paths listed in LISTFILE (one a line)
		// exists any more, nor their directories.
		"gone": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) != 1 || neg {
				ts.Fatalf("usage: gone LISTFILE")
			}
			b, err := os.ReadFile(ts.MkAbs(args[0]))
			ts.Check(err)
			lines := strings.Fields(string(b))
			if len(lines) == 0 {
				ts.Fatalf("gone: %s lists nothing", args[0])
			}
			for _, p := range lines {
				for _, x := range []string{p, filepath.Dir(p)} {
					if _, err := os.Lstat(x); err == nil {
						ts.Fatalf("gone: %s still exists", x)
					}
				}
			}
		},
	}
}
