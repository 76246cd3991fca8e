package nas

import (
	"errors"
	"fmt"
	"path"
	"strings"
)

// DefaultComment starts the marker lines of a block whose resource sets no
// "comment" attribute.
const DefaultComment = "#"

// ErrBrokenMarkers is wrapped when a file's markers for a block are not one
// BEGIN line followed by one END line: itlag will not guess where the block
// ends, and leaves the file alone until someone fixes it by hand.
var ErrBrokenMarkers = errors.New("broken block markers")

// Markers returns the marker lines (without newline) around block: comment
// then " BEGIN itlag: " or " END itlag: " then the block's name.
func Markers(comment, block string) (begin, end string) {
	if comment == "" {
		comment = DefaultComment
	}
	return comment + " BEGIN itlag: " + block, comment + " END itlag: " + block
}

// SplitBlockName splits a block resource's name "path#block" at its last
// "#" and checks both halves: an absolute, clean path and a one-line,
// non-empty block name.
func SplitBlockName(name string) (file, block string, err error) {
	i := strings.LastIndexByte(name, '#')
	if i < 0 {
		return "", "", fmt.Errorf("block %q: name is not \"path#block\"", name)
	}
	file, block = name[:i], name[i+1:]
	if err := checkPath(file); err != nil {
		return "", "", fmt.Errorf("block %q: %w", name, err)
	}
	if strings.TrimSpace(block) != block || block == "" || strings.ContainsAny(block, "\r\n") {
		return "", "", fmt.Errorf("block %q: block name must be one word-like line without surrounding space", name)
	}
	return file, block, nil
}

// checkPath accepts an absolute, clean path of one line.
func checkPath(p string) error {
	switch {
	case !strings.HasPrefix(p, "/"):
		return fmt.Errorf("path %q is not absolute", p)
	case strings.ContainsAny(p, "\x00\r\n"):
		return fmt.Errorf("path %q holds a control character", p)
	case path.Clean(p) != p || p == "/":
		return fmt.Errorf("path %q is not a clean file path (want %q)", p, path.Clean(p))
	}
	return nil
}

// span locates a block in a file's text: [start, end) covers both marker
// lines (end is after the END line's newline, if any); [inner, innerEnd)
// is the content between them.
type span struct {
	start, inner, innerEnd, end int
}

// findBlock finds the block delimited by the lines begin and end (compared
// after trimming surrounding white space, so a CRLF file's markers match).
// found is false when neither marker is there; markers out of order,
// repeated or unpaired are an error wrapping ErrBrokenMarkers.
func findBlock(text, begin, end string) (s span, found bool, err error) {
	beginLine, endLine := 0, 0
	off := 0
	for n, line := range strings.SplitAfter(text, "\n") {
		lineNo := n + 1
		next := off + len(line)
		switch strings.TrimSpace(line) {
		case begin:
			if beginLine != 0 {
				return span{}, false, fmt.Errorf("%w: %q on lines %d and %d", ErrBrokenMarkers, begin, beginLine, lineNo)
			}
			if !strings.HasSuffix(line, "\n") {
				return span{}, false, fmt.Errorf("%w: %q on the last line, with no %q after it", ErrBrokenMarkers, begin, end)
			}
			beginLine = lineNo
			s.start, s.inner = off, next
		case end:
			if endLine != 0 {
				return span{}, false, fmt.Errorf("%w: %q on lines %d and %d", ErrBrokenMarkers, end, endLine, lineNo)
			}
			if beginLine == 0 {
				return span{}, false, fmt.Errorf("%w: %q on line %d with no %q before it", ErrBrokenMarkers, end, lineNo, begin)
			}
			endLine = lineNo
			s.innerEnd, s.end = off, next
		}
		off = next
	}
	if beginLine != 0 && endLine == 0 {
		return span{}, false, fmt.Errorf("%w: %q on line %d with no %q after it", ErrBrokenMarkers, begin, beginLine, end)
	}
	return s, beginLine != 0, nil
}

// BlockText ends a block's content with a newline, as it will read back
// from the file: "" stays "", "a\nb" becomes "a\nb\n".
func BlockText(content string) string {
	if content == "" || strings.HasSuffix(content, "\n") {
		return content
	}
	return content + "\n"
}

// readBlock returns the content of block in text, and whether its markers
// are there.
func readBlock(text, comment, block string) (string, bool, error) {
	begin, end := Markers(comment, block)
	s, found, err := findBlock(text, begin, end)
	if err != nil || !found {
		return "", false, err
	}
	return text[s.inner:s.innerEnd], true, nil
}

// setBlock returns text with block's content replaced by content (ended
// with a newline), every byte outside the content kept, markers included.
// A block not there is appended at the end with its markers, after a
// newline ending the last line when it has none.
func setBlock(text, comment, block, content string) (string, error) {
	begin, end := Markers(comment, block)
	content = BlockText(content)
	for _, line := range strings.SplitAfter(content, "\n") {
		if l := strings.TrimSpace(line); l == begin || l == end {
			return "", fmt.Errorf("the content holds the block's own marker %q", l)
		}
	}
	s, found, err := findBlock(text, begin, end)
	if err != nil {
		return "", err
	}
	if found {
		return text[:s.inner] + content + text[s.innerEnd:], nil
	}
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	return text + begin + "\n" + content + end + "\n", nil
}

// removeBlock returns text without block, its marker lines included; text
// as it was when the block is not there.
func removeBlock(text, comment, block string) (string, error) {
	begin, end := Markers(comment, block)
	s, found, err := findBlock(text, begin, end)
	if err != nil || !found {
		return text, err
	}
	return text[:s.start] + text[s.end:], nil
}
