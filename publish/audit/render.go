package audit

import (
	"encoding/json"
	"fmt"
	"io"
)

// FormatVersion is the version of the JSON documents WriteJSON and
// WriteVerifyJSON write; within it, fields are only ever added.
const FormatVersion = "1"

// WriteText lists entries for people, one a line, oldest first.
func WriteText(w io.Writer, entries []Entry) error {
	if len(entries) == 0 {
		_, err := fmt.Fprintln(w, "No audit entries.")
		return err
	}
	for _, e := range entries {
		if _, err := fmt.Fprintln(w, e.String()); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSON writes {format_version, entries} for machines.
func WriteJSON(w io.Writer, entries []Entry) error {
	if entries == nil {
		entries = []Entry{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		FormatVersion string  `json:"format_version"`
		Entries       []Entry `json:"entries"`
	}{FormatVersion, entries})
}

// WriteVerifyText says what Verify found: s, and err (nil: intact).
func WriteVerifyText(w io.Writer, s Summary, err error) error {
	if err != nil {
		_, werr := fmt.Fprintf(w, "Audit trail BROKEN: %v\n", err)
		return werr
	}
	if _, err := fmt.Fprintf(w, "Audit trail intact: %d entries in %d file(s), head seq %d (%.12s).\n", s.Entries, s.Files, s.Head.Seq, s.Head.Hash); err != nil {
		return err
	}
	msg := "Not anchored: the local database records nothing for this trail, so a removed tail cannot be seen here."
	if s.Anchored {
		msg = fmt.Sprintf("Anchored: the local database's head is seq %d, and the files match it.", s.Anchor.Seq)
	}
	_, werr := fmt.Fprintln(w, msg)
	return werr
}

// WriteVerifyJSON writes {format_version, ok, entries, files, head,
// anchor, error: {file, line, why}}.
func WriteVerifyJSON(w io.Writer, s Summary, err error) error {
	type bad struct {
		File string `json:"file,omitempty"`
		Line int    `json:"line,omitempty"`
		Why  string `json:"why"`
	}
	doc := struct {
		FormatVersion string `json:"format_version"`
		OK            bool   `json:"ok"`
		Entries       int    `json:"entries"`
		Files         int    `json:"files"`
		Head          Head   `json:"head"`
		Anchor        *Head  `json:"anchor,omitempty"`
		Error         *bad   `json:"error,omitempty"`
	}{FormatVersion: FormatVersion, OK: err == nil, Entries: s.Entries, Files: s.Files, Head: s.Head}
	if s.Anchored {
		doc.Anchor = &s.Anchor
	}
	if ve, ok := err.(*VerifyError); ok {
		doc.Error = &bad{File: ve.File, Line: ve.Line, Why: ve.Why}
	} else if err != nil {
		doc.Error = &bad{Why: err.Error()}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}
