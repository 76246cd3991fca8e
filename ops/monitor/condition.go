package monitor

import (
	"bytes"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Condition is one test of a probe's result, parsed by ParseCondition:
// a field, an operator and a value.
//
//	status == 200            status < 400          (http; == != < <= > >=)
//	body contains "ok"                             (http; the first 1 MB)
//	response_time < 500ms                          (all; Go durations, or 2d)
//	cert_expiry > 14d                              (tls, https)
//	connected == true                              (http, tls, tcp)
//	answer == expected       answer == 203.0.113.7 (dns; the same set of addresses)
type Condition struct {
	Field string // status, body, response_time, cert_expiry, connected, answer
	Op    string // == != < <= > >= contains
	Value string // as written, unquoted

	num  int64         // status
	dur  time.Duration // response_time, cert_expiry
	flag bool          // connected
	addr []string      // answer, when not "expected": normalised, sorted
	raw  string
}

func (c Condition) String() string { return c.raw }

var fields = map[string][]string{ // field: kinds it applies to
	"status":        {HTTP},
	"body":          {HTTP},
	"response_time": {HTTP, TLS, DNS, TCP},
	"cert_expiry":   {HTTP, TLS},
	"connected":     {HTTP, TLS, TCP},
	"answer":        {DNS},
}

var compare = []string{"==", "!=", "<=", ">=", "<", ">"}

// ParseCondition parses one condition; the error names what is wrong.
func ParseCondition(s string) (Condition, error) {
	raw := strings.TrimSpace(s)
	field, rest, ok := strings.Cut(raw, " ")
	if !ok {
		return Condition{}, fmt.Errorf("condition %q: want FIELD OPERATOR VALUE, as in \"status == 200\"", s)
	}
	field = strings.Trim(field, "[]")
	field = strings.ToLower(field)
	if _, ok := fields[field]; !ok {
		return Condition{}, fmt.Errorf("condition %q: unknown field %q (want status, body, response_time, cert_expiry, connected or answer)", s, field)
	}
	op, value, _ := strings.Cut(strings.TrimSpace(rest), " ")
	value = strings.TrimSpace(value)
	c := Condition{Field: field, Op: op, raw: raw}
	if field == "body" {
		if op != "contains" {
			return Condition{}, fmt.Errorf("condition %q: body supports only \"contains\", not %q", s, op)
		}
	} else if !slices.Contains(compare, op) {
		return Condition{}, fmt.Errorf("condition %q: unknown operator %q (want == != < <= > >=)", s, op)
	}
	if value == "" {
		return Condition{}, fmt.Errorf("condition %q: no value after %q", s, op)
	}
	if uq, err := strconv.Unquote(value); err == nil {
		value = uq
	} else if strings.HasPrefix(value, `"`) {
		return Condition{}, fmt.Errorf("condition %q: unterminated quoted value %s", s, value)
	}
	c.Value = value
	var err error
	switch field {
	case "status":
		c.num, err = strconv.ParseInt(value, 10, 32)
		if err != nil || c.num < 100 || c.num > 599 {
			return Condition{}, fmt.Errorf("condition %q: %q is not an HTTP status (100-599)", s, value)
		}
	case "response_time", "cert_expiry":
		c.dur, err = parseDuration(value)
		if err != nil {
			return Condition{}, fmt.Errorf("condition %q: %w", s, err)
		}
	case "connected":
		c.flag, err = strconv.ParseBool(value)
		if err != nil {
			return Condition{}, fmt.Errorf("condition %q: %q is not true or false", s, value)
		}
		if op != "==" && op != "!=" {
			return Condition{}, fmt.Errorf("condition %q: connected compares only with == or !=", s)
		}
	case "answer":
		if op != "==" && op != "!=" {
			return Condition{}, fmt.Errorf("condition %q: answer compares only with == or !=", s)
		}
		if value != "expected" {
			for a := range strings.SplitSeq(value, ",") {
				ip, err := netip.ParseAddr(strings.TrimSpace(a))
				if err != nil {
					return Condition{}, fmt.Errorf("condition %q: %q is not \"expected\" nor a list of IP addresses", s, value)
				}
				c.addr = append(c.addr, ip.String())
			}
			slices.Sort(c.addr)
		}
	}
	return c, nil
}

// MustParseConditions parses each of ss, panicking on an error: for
// conditions written in code.
func MustParseConditions(ss ...string) []Condition {
	out := make([]Condition, 0, len(ss))
	for _, s := range ss {
		c, err := ParseCondition(s)
		if err != nil {
			panic(err)
		}
		out = append(out, c)
	}
	return out
}

// DefaultConditions are a kind's conditions when a monitor sets none:
// http "status < 400", tls "cert_expiry > 14d", dns "answer == expected"
// (when addresses are expected; otherwise any answer passes), tcp
// "connected == true".
func DefaultConditions(kind string, expect bool) []Condition {
	switch kind {
	case HTTP:
		return MustParseConditions("status < 400")
	case TLS:
		return MustParseConditions("connected == true", "cert_expiry > 14d")
	case DNS:
		if expect {
			return MustParseConditions("answer == expected")
		}
	case TCP:
		return MustParseConditions("connected == true")
	}
	return nil
}

// parseDuration reads a Go duration or a number of days ("14d").
func parseDuration(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.ParseFloat(n, 64)
		if err != nil {
			return 0, fmt.Errorf("%q is not a duration (500ms, 2s, 36h, 14d)", s)
		}
		return time.Duration(days * 24 * float64(time.Hour)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration (500ms, 2s, 36h, 14d)", s)
	}
	return d, nil
}

func (c Condition) appliesTo(kind string) bool { return slices.Contains(fields[c.Field], kind) }

// Eval says whether r passes c, and what was seen.
func (c Condition) Eval(r Result) (bool, string) {
	switch c.Field {
	case "status":
		if r.Status == 0 {
			return false, "no response"
		}
		return cmpOrdered(int64(r.Status), c.Op, c.num), strconv.Itoa(r.Status)
	case "body":
		return bytes.Contains(r.body, []byte(c.Value)), fmt.Sprintf("%d bytes", len(r.body))
	case "response_time":
		return cmpOrdered(r.Duration, c.Op, c.dur), r.Duration.Round(time.Millisecond).String()
	case "cert_expiry":
		if !r.Connected {
			return false, "no certificate"
		}
		return cmpOrdered(r.CertExpiry, c.Op, c.dur), days(r.CertExpiry)
	case "connected":
		eq := r.Connected == c.flag
		return eq == (c.Op == "=="), strconv.FormatBool(r.Connected)
	case "answer":
		want := c.addr
		if c.Value == "expected" {
			want = normalise(r.expected)
		}
		eq := slices.Equal(normalise(r.Answers), want)
		seen := strings.Join(r.Answers, ",")
		if seen == "" {
			seen = "no addresses"
		}
		return eq == (c.Op == "=="), seen
	}
	return false, "unknown field " + c.Field
}

func cmpOrdered[T int64 | time.Duration](a T, op string, b T) bool {
	switch op {
	case "==":
		return a == b
	case "!=":
		return a != b
	case "<":
		return a < b
	case "<=":
		return a <= b
	case ">":
		return a > b
	case ">=":
		return a >= b
	}
	return false
}

// normalise returns addrs as canonical IP strings, sorted, deduplicated;
// what does not parse is kept as written.
func normalise(addrs []string) []string {
	out := make([]string, 0, len(addrs))
	for _, a := range addrs {
		if ip, err := netip.ParseAddr(strings.TrimSpace(a)); err == nil {
			a = ip.Unmap().String()
		}
		out = append(out, a)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// days shows a duration in whole days ("13d"), or hours under a day.
func days(d time.Duration) string {
	if d > -24*time.Hour && d < 24*time.Hour {
		return fmt.Sprintf("%dh", int(d/time.Hour))
	}
	return fmt.Sprintf("%dd", int(d/(24*time.Hour)))
}
