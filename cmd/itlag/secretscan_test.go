package main

import (
	"bytes"
	"encoding/base64"
	"flag"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/lagrieta/itlag/app"
	"github.com/lagrieta/itlag/schema"
)

// secretForm is one way a secret may show in output: its name (what a hit
// reports; never the value) and the bytes to look for.
type secretForm struct {
	name string
	text []byte
}

// sandboxSecretPrefix is what every sandbox stand-in secret starts with
// (app.SandboxSecret gives "<prefix><reference>"): finding the prefix finds
// any of them, whichever reference it stands in for.
func sandboxSecretPrefix() (string, error) {
	ref := schema.CredentialRef{Env: "X"}
	v, err := app.SandboxSecret(ref)
	if err != nil || !strings.HasSuffix(v, ref.String()) || len(v) == len(ref.String()) {
		return "", fmt.Errorf("sandbox secret %q, %v: does not end in its reference", v, err)
	}
	return strings.TrimSuffix(v, ref.String()), nil
}

// formsOf is value as it may leak: raw, URL-escaped (query and path), and
// base64 (standard and URL alphabets, as in an Authorization header or a
// data: URL) at each of the three alignments it can have inside a longer
// encoded text; for those, only the characters that value alone decides.
func formsOf(name, value string) []secretForm {
	forms := []secretForm{{name, []byte(value)}}
	add := func(how, s string) {
		if s != value && len(s) >= 8 {
			forms = append(forms, secretForm{name + " (" + how + ")", []byte(s)})
		}
	}
	add("url-escaped", url.QueryEscape(value))
	add("url-escaped", url.PathEscape(value))
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		for lead := 0; lead < 3; lead++ {
			s := enc.EncodeToString(append(make([]byte, lead), value...))
			full := (lead + len(value)) / 3 * 4 // characters of complete groups
			start := 0
			if lead > 0 {
				start = 4 // the first group mixes in bytes before value
			}
			if full > start {
				add("base64", s[start:full])
			}
		}
	}
	return forms
}

// scanHits lists where in data (named file) any form occurs, as
// "file:line: name".
func scanHits(file string, data []byte, forms []secretForm) []string {
	var hits []string
	seen := map[string]bool{} // the same text may match several forms
	for _, f := range forms {
		for off := 0; ; {
			i := bytes.Index(data[off:], f.text)
			if i < 0 {
				break
			}
			line := 1 + bytes.Count(data[:off+i], []byte("\n"))
			if h := fmt.Sprintf("%s:%d: %s", file, line, f.name); !seen[h] {
				seen[h] = true
				hits = append(hits, h)
			}
			off += i + len(f.text)
		}
	}
	return hits
}

// nosecrets [-env NAME]... [-git DIR]... PATH...: no file under the PATHs,
// and nothing in `git log -p --all` of each DIR (every commit's message and
// content), holds a known secret: the sandbox's stand-ins (app.SandboxSecret)
// or the values of the environment variables NAMEd, in any form formsOf
// lists. Hits are listed as file:line and the secret's name, never its
// value. `! nosecrets` expects hits (it proves the scan finds them).
func nosecrets(ts *testscript.TestScript, neg bool, args []string) {
	fset := flag.NewFlagSet("nosecrets", flag.ContinueOnError)
	var envs, gits multiFlag
	fset.Var(&envs, "env", "an environment variable holding a secret")
	fset.Var(&gits, "git", "a repository whose whole history is scanned")
	if err := fset.Parse(args); err != nil {
		ts.Fatalf("nosecrets: %v", err)
	}
	if fset.NArg() == 0 && len(gits) == 0 {
		ts.Fatalf("usage: nosecrets [-env NAME]... [-git DIR]... PATH...")
	}
	prefix, err := sandboxSecretPrefix()
	ts.Check(err)
	forms := formsOf("a sandbox stand-in secret", prefix)
	for _, name := range envs {
		v := ts.Getenv(name)
		if len(v) < 8 {
			ts.Fatalf("nosecrets: $%s is %d characters; a secret to scan for needs at least 8", name, len(v))
		}
		forms = append(forms, formsOf("$"+name, v)...)
	}
	var hits []string
	files := 0
	for _, p := range fset.Args() {
		root := ts.MkAbs(p)
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == ".git" {
				return filepath.SkipDir // scanned through -git: packed objects are compressed
			}
			if !d.Type().IsRegular() {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			files++
			rel, _ := filepath.Rel(ts.MkAbs("."), path)
			hits = append(hits, scanHits(rel, b, forms)...)
			return nil
		})
		ts.Check(err)
	}
	for _, dir := range gits {
		cmd := exec.Command("git", "-C", ts.MkAbs(dir), "log", "-p", "--all", "--no-color", "--no-ext-diff", "--text")
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+ts.MkAbs("."))
		out, err := cmd.Output()
		if err != nil {
			ts.Fatalf("nosecrets: git log -p --all in %s: %v", dir, err)
		}
		files++
		hits = append(hits, scanHits(dir+" (git log -p --all)", out, forms)...)
	}
	switch {
	case files == 0:
		ts.Fatalf("nosecrets: nothing to scan in %v", args)
	case neg && len(hits) == 0:
		ts.Fatalf("nosecrets: no secret found in %d file(s), want some", files)
	case !neg && len(hits) > 0:
		ts.Fatalf("nosecrets: %d secret(s) found:\n%s", len(hits), strings.Join(hits, "\n"))
	}
	ts.Logf("nosecrets: %d file(s), %d form(s) of known secrets, %d hit(s)", files, len(forms), len(hits))
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
