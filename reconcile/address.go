package reconcile

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lagrieta/itlag/providers"
)

// maxAddressContent bounds the content part of an address.
const maxAddressContent = 40

// Address names a change: "cloudflare:lagrieta.es/www/A" when its name and
// type hold at most one record on each side (single), otherwise
// "cloudflare:lagrieta.es/www/A/<content>" with the content shortened by
// ShortContent.
func Address(provider, zone string, r providers.Record, single bool) string {
	a := ZoneKey(provider, zone) + "/" + r.Name + "/" + r.Type
	if single {
		return a
	}
	return a + "/" + ShortContent(r.Content)
}

// ShortContent returns s when it has at most 40 bytes, otherwise a prefix
// and a short hash of the whole: "v=DKIM1; k=rsa; p=MIGfMA0G~3f2a9c1b7e4d"
// (deterministic, at most 40 bytes).
func ShortContent(s string) string {
	if len(s) <= maxAddressContent {
		return s
	}
	sum := sha256.Sum256([]byte(s))
	h := hex.EncodeToString(sum[:6]) // 12 hex digits
	n := maxAddressContent - len(h) - 1
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "~" + h
}

// Reason explains a change in a few words: "missing", "not declared",
// "content 1.2.3.4 → 5.6.7.8, ttl auto → 3600".
func Reason(c providers.Change) string {
	switch {
	case c.Before == nil:
		return "missing"
	case c.After == nil:
		return "not declared"
	}
	return strings.Join(Diffs(*c.Before, *c.After), ", ")
}

// Diffs lists what differs between two records, one "field before → after"
// each, in a fixed order (content, ttl, priority, proxied, comment); long
// contents are shortened.
func Diffs(b, a providers.Record) []string {
	var d []string
	for _, f := range Fields(b, a) {
		if f.Name == "content" {
			d = append(d, fmt.Sprintf("content %s → %s", ShortContent(f.Before), ShortContent(f.After)))
			continue
		}
		d = append(d, f.Name+" "+f.Before+" → "+f.After)
	}
	return d
}

// Field is one attribute that differs between two records, formatted.
type Field struct{ Name, Before, After string }

// Fields lists the attributes that differ between b and a, formatted in full
// (TTL 1 as "auto", comments quoted), in a fixed order.
func Fields(b, a providers.Record) []Field {
	var f []Field
	if b.Content != a.Content {
		f = append(f, Field{"content", b.Content, a.Content})
	}
	if b.TTL != a.TTL {
		f = append(f, Field{"ttl", TTLString(b.TTL), TTLString(a.TTL)})
	}
	if b.Priority != a.Priority {
		f = append(f, Field{"priority", strconv.Itoa(b.Priority), strconv.Itoa(a.Priority)})
	}
	if b.Proxied != a.Proxied {
		f = append(f, Field{"proxied", strconv.FormatBool(b.Proxied), strconv.FormatBool(a.Proxied)})
	}
	if b.Comment != a.Comment {
		f = append(f, Field{"comment", strconv.Quote(b.Comment), strconv.Quote(a.Comment)})
	}
	return f
}

// TTLString formats a TTL: "auto" for providers.AutoTTL, else seconds.
func TTLString(ttl int) string {
	if ttl == providers.AutoTTL || ttl == 0 {
		return "auto"
	}
	return strconv.Itoa(ttl)
}
