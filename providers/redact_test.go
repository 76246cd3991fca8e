package providers

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
)

// The digest of redacted content is keyed: not the plain SHA-256 prefix
// that lets anyone holding a plan confirm a guessed secret offline, and
// not the same under another key. Under one key it still shows a change.
func TestRedactedIsKeyed(t *testing.T) {
	const content = "password=hunter2\n"
	sum := sha256.Sum256([]byte(content))
	plain := hex.EncodeToString(sum[:6])
	k1 := RedactionKey([][2]string{{"env:NOIP_PASSWORD", "hunter2"}, {"file:/etc/itlag/nas_ed25519", "-----BEGIN OPENSSH PRIVATE KEY-----…"}})
	k2 := RedactionKey([][2]string{{"env:NOIP_PASSWORD", "hunter2"}, {"file:/etc/itlag/nas_ed25519", "another key"}})
	d1, d2 := Redacted(k1, content), Redacted(k2, content)
	for _, d := range []string{d1, d2} {
		if strings.Contains(d, plain) || strings.Contains(d, hex.EncodeToString(sum[:4])) {
			t.Errorf("%s holds the plain sha256 of the content (%s)", d, plain)
		}
		if !strings.HasPrefix(d, "<redacted hmac-sha256:") || strings.Contains(d, "hunter2") {
			t.Errorf("digest %q, want <redacted hmac-sha256:…>", d)
		}
	}
	if d1 == d2 {
		t.Errorf("the same digest under two keys: %s", d1)
	}
	if Redacted(k1, content) != d1 {
		t.Error("the digest is not stable under one key")
	}
	if Redacted(k1, "password=other\n") == d1 {
		t.Error("a change does not show")
	}
	if got := Redacted(nil, content); got != "<redacted>" {
		t.Errorf("without a key: %q, want no digest at all", got)
	}
	// the material is length-prefixed: moving a byte between entries is
	// another key
	if a, b := RedactionKey([][2]string{{"a", "bc"}}), RedactionKey([][2]string{{"ab", "c"}}); string(a) == string(b) {
		t.Error("ambiguous key material")
	}
	if RedactionKey(nil) != nil {
		t.Error("a key from no material")
	}
}

// A Sensitive resource's JSON holds the keyed digest, and a resource read
// back from JSON is written again as it was read (a saved plan compares
// equal to itself).
func TestResourceJSONRoundTrip(t *testing.T) {
	key := RedactionKey([][2]string{{"env:X", "secret-value"}})
	r := Resource{Kind: KindFile, Name: "/etc/noip2.conf", Content: "password=secret-value\n", Sensitive: true, RedactKey: key}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back Resource
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "secret-value") || back.Content != Redacted(key, r.Content) {
		t.Fatalf("JSON %s, want the content as its keyed digest", b)
	}
	b2, err := json.Marshal(back)
	if err != nil {
		t.Fatal(err)
	}
	if string(b2) != string(b) {
		t.Errorf("written again:\n%s\nwant\n%s", b2, b)
	}
}
