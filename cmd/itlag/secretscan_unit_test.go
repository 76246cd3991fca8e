package main

import (
	"encoding/base64"
	"strings"
	"testing"
)

// TestFormsOfFindEncodedSecrets: the scan finds a secret raw, URL-escaped,
// and base64-encoded at every alignment inside a longer text (as in a
// Basic Authorization header), and reports file:line without the value.
func TestFormsOfFindEncodedSecrets(t *testing.T) {
	const secret = "pa ss/w:rd-0123456789"
	forms := formsOf("$P", secret)
	cases := map[string]string{
		"raw":          "line one\nkey=" + secret + "\n",
		"query":        "line one\nGET /?p=pa+ss%2Fw%3Ard-0123456789\n",
		"path":         "line one\nGET /pa%20ss%2Fw:rd-0123456789\n",
		"base64 lead0": "line one\nBasic " + base64.StdEncoding.EncodeToString([]byte(secret)) + "\n",
		"base64 lead1": "line one\nBasic " + base64.StdEncoding.EncodeToString([]byte("u"+secret)) + "\n",
		"base64 lead2": "line one\nBasic " + base64.StdEncoding.EncodeToString([]byte("u:"+secret)) + "\n",
		"base64url":    "line one\n" + base64.URLEncoding.EncodeToString([]byte("ab"+secret+"xyz")) + "\n",
	}
	for name, text := range cases {
		hits := scanHits("out.txt", []byte(text), forms)
		if len(hits) == 0 {
			t.Errorf("%s: not found in %q", name, text)
			continue
		}
		for _, h := range hits {
			if !strings.HasPrefix(h, "out.txt:2: $P") || strings.Contains(h, "rd-0123") {
				t.Errorf("%s: hit %q, want out.txt:2 naming $P only", name, h)
			}
		}
	}
	if hits := scanHits("out.txt", []byte("pa ss/w:rd-012345678 and sandbox"), forms); len(hits) != 0 {
		t.Errorf("a near miss is a hit: %v", hits)
	}
}

func TestSandboxSecretPrefix(t *testing.T) {
	p, err := sandboxSecretPrefix()
	if err != nil || len(p) < 8 {
		t.Fatalf("prefix %q, %v", p, err)
	}
}
