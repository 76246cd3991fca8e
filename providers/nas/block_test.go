package nas

import (
	"errors"
	"strings"
	"testing"
)

func TestSetBlock(t *testing.T) {
	const b, e = "# BEGIN itlag: x\n", "# END itlag: x\n"
	tests := []struct {
		name, text, comment, content, want string
	}{
		{name: "empty file", text: "", content: "a\n", want: b + "a\n" + e},
		{name: "append keeps the rest", text: "one\n\ttwo  \n\n", content: "a\n", want: "one\n\ttwo  \n\n" + b + "a\n" + e},
		{name: "append ends a last line without newline", text: "one", content: "a\n", want: "one\n" + b + "a\n" + e},
		{name: "content gets its newline", text: "", content: "a\nb", want: b + "a\nb\n" + e},
		{name: "empty content", text: "one\n", content: "", want: "one\n" + b + e},
		{name: "update in the middle", text: "top\n" + b + "old\nolder\n" + e + "bottom", content: "new\n", want: "top\n" + b + "new\n" + e + "bottom"},
		{name: "update keeps odd markers and CRLF outside", text: "x\r\n  # BEGIN itlag: x  \r\nold\r\n# END itlag: x\r\ny\r\n", content: "new\n",
			want: "x\r\n  # BEGIN itlag: x  \r\nnew\n# END itlag: x\r\ny\r\n"},
		{name: "END on the last line without newline", text: b + "old\n# END itlag: x", content: "new\n", want: b + "new\n# END itlag: x"},
		{name: "other block untouched", text: "# BEGIN itlag: y\nkeep\n# END itlag: y\n", content: "a\n",
			want: "# BEGIN itlag: y\nkeep\n# END itlag: y\n" + b + "a\n" + e},
		{name: "another comment", text: "[a]\n", comment: ";", content: "k=v\n", want: "[a]\n; BEGIN itlag: x\nk=v\n; END itlag: x\n"},
		{name: "markers of another comment are not ours", text: "; BEGIN itlag: x\n", content: "a\n", want: "; BEGIN itlag: x\n" + b + "a\n" + e},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := setBlock(tt.text, tt.comment, "x", tt.content)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("got  %q\nwant %q", got, tt.want)
			}
			back, found, err := readBlock(got, tt.comment, "x")
			if err != nil || !found || back != BlockText(tt.content) {
				t.Fatalf("read back %q, %v, %v; want %q", back, found, err, BlockText(tt.content))
			}
			if !strings.Contains(tt.text, "\r") && strings.Contains(got, "\r") {
				t.Fatalf("a carriage return appeared: %q", got)
			}
		})
	}
}

func TestRemoveBlock(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{name: "absent", text: "one\ntwo", want: "one\ntwo"},
		{name: "middle", text: "one\n# BEGIN itlag: x\na\n# END itlag: x\ntwo\n", want: "one\ntwo\n"},
		{name: "at the end without newline", text: "one\n# BEGIN itlag: x\na\n# END itlag: x", want: "one\n"},
		{name: "keeps the other block", text: "# BEGIN itlag: y\nb\n# END itlag: y\n# BEGIN itlag: x\na\n# END itlag: x\n",
			want: "# BEGIN itlag: y\nb\n# END itlag: y\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := removeBlock(tt.text, "#", "x")
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestAppendThenRemoveRestoresFile(t *testing.T) {
	for _, orig := range []string{"", "a\n", "a\r\nb\r\n", "x\n\n\ty \n"} {
		withBlock, err := setBlock(orig, "#", "x", "content\n")
		if err != nil {
			t.Fatal(err)
		}
		back, err := removeBlock(withBlock, "#", "x")
		if err != nil || back != orig {
			t.Errorf("%q: append then remove gave %q, %v", orig, back, err)
		}
	}
}

func TestBrokenMarkers(t *testing.T) {
	const b, e = "# BEGIN itlag: x\n", "# END itlag: x\n"
	for name, text := range map[string]string{
		"BEGIN without END":    "a\n" + b + "b\n",
		"END without BEGIN":    e + "a\n",
		"END before BEGIN":     e + b,
		"BEGIN twice":          b + b + e,
		"END twice":            b + e + e,
		"BEGIN as last line":   "a\n# BEGIN itlag: x",
		"second block, no END": b + e + b,
	} {
		t.Run(name, func(t *testing.T) {
			if _, _, err := readBlock(text, "#", "x"); !errors.Is(err, ErrBrokenMarkers) {
				t.Errorf("read: err = %v, want ErrBrokenMarkers", err)
			}
			if _, err := setBlock(text, "#", "x", "c\n"); !errors.Is(err, ErrBrokenMarkers) {
				t.Errorf("set: err = %v, want ErrBrokenMarkers", err)
			}
			if _, err := removeBlock(text, "#", "x"); !errors.Is(err, ErrBrokenMarkers) {
				t.Errorf("remove: err = %v, want ErrBrokenMarkers", err)
			}
		})
	}
}

func TestSetBlockRefusesItsMarkersInContent(t *testing.T) {
	if _, err := setBlock("", "#", "x", "a\n  # END itlag: x\n"); err == nil || !strings.Contains(err.Error(), "marker") {
		t.Fatalf("err = %v, want a marker error", err)
	}
}

func TestSplitBlockName(t *testing.T) {
	tests := []struct {
		name, file, block string
		ok                bool
	}{
		{"/etc/cron.d/itlag#itlag-tasks", "/etc/cron.d/itlag", "itlag-tasks", true},
		{"/etc/a#b#c", "/etc/a#b", "c", true},
		{"/etc/a", "", "", false},
		{"/etc/a#", "", "", false},
		{"etc/a#b", "", "", false},
		{"/etc/../a#b", "", "", false},
		{"/etc/a/#b", "", "", false},
		{"/etc/a# b", "", "", false},
		{"/etc/a#b\nc", "", "", false},
	}
	for _, tt := range tests {
		f, b, err := SplitBlockName(tt.name)
		if (err == nil) != tt.ok || f != tt.file || b != tt.block {
			t.Errorf("SplitBlockName(%q) = %q, %q, %v", tt.name, f, b, err)
		}
	}
}

func TestParseMode(t *testing.T) {
	for in, want := range map[string]string{"644": "0644", "0600": "0600", "0o755": "0755", "0": "0000", "777": "0777"} {
		m, err := ParseMode(in)
		if err != nil || FormatMode(m) != want {
			t.Errorf("ParseMode(%q) = %s, %v; want %s", in, FormatMode(m), err, want)
		}
	}
	for _, bad := range []string{"", "rw-r--r--", "0x1ff", "888", "4755", "-1", "10000"} {
		if _, err := ParseMode(bad); err == nil {
			t.Errorf("ParseMode(%q) accepted", bad)
		}
	}
}
