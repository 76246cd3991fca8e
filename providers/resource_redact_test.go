package providers

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestSensitiveJSONRoundTrip: a sensitive resource is written redacted,
// and one read back (from a saved plan) is written again byte for byte,
// not redacted twice (a saved plan's checksum is over those bytes).
func TestSensitiveJSONRoundTrip(t *testing.T) {
	r := Resource{Kind: KindFile, Name: "/etc/app.conf", Content: "password=hunter2-s3cret\n", Sensitive: true}
	first, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(first), "hunter2") || !strings.Contains(string(first), strings.TrimSuffix(strings.TrimPrefix(Redacted(r.Content), "<redacted "), ">")) {
		t.Fatalf("written %s, want the content redacted", first)
	}
	var back Resource
	if err := json.Unmarshal(first, &back); err != nil {
		t.Fatal(err)
	}
	again, err := json.Marshal(back)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, again) {
		t.Errorf("written again differently:\n%s\n%s", first, again)
	}
	// content that only looks like a redaction is still redacted
	for _, c := range []string{"<redacted sha256:zzzzzzzzzzzz>", "<redacted sha256:abc>", "x<redacted sha256:0123456789ab>"} {
		b, _ := json.Marshal(Resource{Kind: KindFile, Content: c, Sensitive: true})
		if strings.Contains(string(b), strings.ReplaceAll(c, "<", `\u003c`)) {
			t.Errorf("%q written as is: %s", c, b)
		}
	}
}
