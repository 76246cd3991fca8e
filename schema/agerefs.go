package schema

import (
	"io/fs"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/lagrieta/itlag/schema/secret/agefile"
)

// AgeRef is one credential reference to an age-encrypted secrets file
// ({age: secrets/office.age, key: NOIP_PASSWORD}), where the state
// declares it.
type AgeRef struct {
	// File is the secrets file, relative to the state directory; Key the
	// name of the value in it.
	File, Key string
	// Pos is where the age field is; Path its field path in that file
	// (providers.noip.password.age).
	Pos  Pos
	Path string
}

// collectAgeRefs appends the credential references to age files found
// under n (a mapping holding an age field beside a key field; the schema
// allows an age field nowhere else).
func collectAgeRefs(file string, n *yaml.Node, path string, out *[]AgeRef) {
	switch n.Kind {
	case yaml.MappingNode:
		var ref *AgeRef
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "age" && v.Kind == yaml.ScalarNode {
				ref = &AgeRef{File: v.Value, Pos: Pos{File: file, Line: v.Line, Col: v.Column}, Path: joinKey(path, "age")}
			}
		}
		if ref != nil {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == "key" {
					ref.Key = n.Content[i+1].Value
				}
			}
			*out = append(*out, *ref)
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if isZone(path) && n.Content[i].Value == "records" {
				continue // no credentials in records: the bulk of a large state
			}
			collectAgeRefs(file, n.Content[i+1], joinKey(path, n.Content[i].Value), out)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			collectAgeRefs(file, c, joinIndex(path, i), out)
		}
	}
}

// checkAgeRefs checks, without decrypting, that every referenced secrets
// file is a safe path inside the state directory (fsys) to a well-formed
// age file; a file referenced several times is read once and reported at
// each reference. A reference the schema already found wrong (a problem
// at the reference or in it) is left out.
func checkAgeRefs(fsys fs.FS, refs []AgeRef, found []Problem) []Problem {
	errs := map[string]error{}
	var probs []Problem
	for _, r := range refs {
		ref := strings.TrimSuffix(r.Path, ".age")
		if slices.ContainsFunc(found, func(p Problem) bool {
			return p.File == r.Pos.File && (p.Path == ref || strings.HasPrefix(p.Path, ref+"."))
		}) {
			continue
		}
		err, seen := errs[r.File]
		if !seen {
			_, err = agefile.Inspect(fsys, r.File)
			errs[r.File] = err
		}
		if err != nil {
			probs = append(probs, Problem{File: r.Pos.File, Line: r.Pos.Line, Col: r.Pos.Col, Path: r.Path,
				Msg: "secrets file " + err.Error()})
		}
	}
	return probs
}

// AgeFiles returns the secrets files the state references, sorted, once
// each, with those that secrets.files names.
func (s *State) AgeFiles() []string {
	var files []string
	for _, r := range s.AgeRefs {
		files = append(files, r.File)
	}
	for f := range s.Secrets.Files {
		files = append(files, f)
	}
	slices.Sort(files)
	return slices.Compact(files)
}

// isZone says whether path is a zone's (zones[3]).
func isZone(path string) bool {
	return strings.HasPrefix(path, "zones[") && strings.IndexByte(path, ']') == len(path)-1
}
