// Package schema turns a directory of YAML files into one typed, validated
// State. The format's one source of truth is the CUE schema embedded in the
// binary (schema.cue, printed by Schema): it defines the fields, their
// defaults and the policy that spans fields. Problems are reported all at
// once, one line each, as file:line:col: path: what is wrong, what is
// allowed (see Problem and Errors).
//
// Reading:
//   - Load reads every *.yaml and *.yml file under the directory, sorted;
//     directories whose name starts with "." are skipped.
//   - Each YAML document of a multi-document file is a part of the state of
//     its own, as if it were a separate file.
//   - YAML aliases are rejected (they would let a small file expand into a
//     huge state); anchors alone are harmless and ignored.
//   - Lists concatenate across files (zones); maps merge (providers,
//     policy): a field set in two files must have the same value in both,
//     else the problem names both places. A zone name declared twice is a
//     problem.
//
// Paths in problems index lists within their file (and document):
// zones[1].records[3].type is the fourth record of the file's second zone.
//
// Validation stays linear in the number of records, and fast: each file is
// checked against #State with its record lists set aside; each record is
// checked against #Record in parts (its shape once per distinct shape, its
// free text in one batch per definition, by a Go predicate compiled from
// the definition when it is a conjunction of simple string constraints,
// else by CUE), in batches of 1,024 spread over GOMAXPROCS goroutines,
// each with its own copy of the schema, compiled only when a memo misses;
// the rule across records of a zone (a CNAME alone at its name) is checked
// against #NameTypes over a summary of counts, each distinct entry once. A
// test checks that the parts accept exactly what #Record accepts. Each
// file's skeleton (the file without its records) is checked once per form,
// its zone names set aside and checked by #ZoneName's predicate
// (skeleton.go, TestSkeletonMemo).
//
// Memory stays bounded too: a zone's records list, in block style or in a
// JSON file, is cut out of the file's text before parsing (split.go), and
// each batch is parsed by the goroutine that checks it, so that a file's
// records are never all in memory as YAML nodes (about 1.5 KB a record).
// A file whose cut does not hold is read whole; the result is the same
// either way (TestSplitEqualsWhole, FuzzSplit).
package schema
