package samples

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"mime/quotedprintable"
	"strings"
)

// latin1 encodes s in ISO-8859-1 ('?' for what it cannot hold).
func latin1(s string) []byte {
	var b []byte
	for _, r := range s {
		if r < 256 {
			b = append(b, byte(r))
		} else {
			b = append(b, '?')
		}
	}
	return b
}

// cp1252Extra are the windows-1252 characters outside Latin-1.
var cp1252Extra = map[rune]byte{'€': 0x80, '‚': 0x82, '„': 0x84, '…': 0x85, '‘': 0x91,
	'’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97, '™': 0x99}

// cp1252 encodes s in windows-1252 ('?' for what it cannot hold).
func cp1252(s string) []byte {
	var b []byte
	for _, r := range s {
		switch c, ok := cp1252Extra[r]; {
		case ok:
			b = append(b, c)
		case r < 256 && (r < 0x80 || r >= 0xA0):
			b = append(b, byte(r))
		default:
			b = append(b, '?')
		}
	}
	return b
}

// qp encodes b as quoted-printable with CRLF line ends.
func qp(b []byte) string {
	var buf bytes.Buffer
	w := quotedprintable.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.String()
}

// b64 encodes b as base64 in lines of 76 characters.
func b64(b []byte) string {
	s := base64.StdEncoding.EncodeToString(b)
	var out strings.Builder
	for len(s) > 76 {
		out.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	out.WriteString(s + "\r\n")
	return out.String()
}

// wordQ is an RFC 2047 Q encoded word for b in charset.
func wordQ(charset string, b []byte) string {
	var s strings.Builder
	fmt.Fprintf(&s, "=?%s?Q?", charset)
	for _, c := range b {
		switch {
		case c == ' ':
			s.WriteByte('_')
		case c > 32 && c < 127 && c != '=' && c != '?' && c != '_':
			s.WriteByte(c)
		default:
			fmt.Fprintf(&s, "=%02X", c)
		}
	}
	s.WriteString("?=")
	return s.String()
}

// wordB is an RFC 2047 B encoded word for b in charset.
func wordB(charset string, b []byte) string {
	return fmt.Sprintf("=?%s?B?%s?=", charset, base64.StdEncoding.EncodeToString(b))
}
