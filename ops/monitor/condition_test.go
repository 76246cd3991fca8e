package monitor

import (
	"strings"
	"testing"
	"time"
)

func TestParseCondition(t *testing.T) {
	scenarios := []struct {
		in      string
		field   string
		value   string
		wantErr string
	}{
		{in: "status == 200", field: "status", value: "200"},
		{in: "[STATUS] < 400", field: "status", value: "400"},
		{in: `body contains "ok"`, field: "body", value: "ok"},
		{in: `body contains "all good"`, field: "body", value: "all good"},
		{in: "response_time < 500ms", field: "response_time", value: "500ms"},
		{in: "cert_expiry > 14d", field: "cert_expiry", value: "14d"},
		{in: "connected == true", field: "connected", value: "true"},
		{in: "answer == expected", field: "answer", value: "expected"},
		{in: "answer == 203.0.113.7,2001:db8::1", field: "answer", value: "203.0.113.7,2001:db8::1"},
		{in: "status", wantErr: "want FIELD OPERATOR VALUE"},
		{in: "latency < 5s", wantErr: `unknown field "latency"`},
		{in: "status =~ 200", wantErr: `unknown operator "=~"`},
		{in: "status ==", wantErr: `no value after "=="`},
		{in: "status == abc", wantErr: `"abc" is not an HTTP status`},
		{in: "status == 99", wantErr: "not an HTTP status"},
		{in: "body == ok", wantErr: `body supports only "contains"`},
		{in: `body contains "ok`, wantErr: "unterminated quoted value"},
		{in: "response_time < fast", wantErr: `"fast" is not a duration`},
		{in: "cert_expiry > xd", wantErr: `"xd" is not a duration`},
		{in: "connected == yes please", wantErr: "is not true or false"},
		{in: "connected < true", wantErr: "only with == or !="},
		{in: "answer == not-an-ip", wantErr: `is not "expected" nor a list of IP addresses`},
		{in: "answer > expected", wantErr: "only with == or !="},
	}
	for _, sc := range scenarios {
		t.Run(sc.in, func(t *testing.T) {
			c, err := ParseCondition(sc.in)
			if sc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), sc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, sc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Field != sc.field || c.Value != sc.value {
				t.Fatalf("got field %q value %q, want %q %q", c.Field, c.Value, sc.field, sc.value)
			}
		})
	}
}

func TestConditionEval(t *testing.T) {
	https := Result{Status: 503, Duration: 700 * time.Millisecond, Connected: true, CertExpiry: 13*24*time.Hour + time.Hour, body: []byte("status: ok")}
	dns := Result{Answers: []string{"203.0.113.7", "2001:db8::1"}, expected: []string{"2001:0db8::1", "203.0.113.7"}}
	scenarios := []struct {
		cond string
		r    Result
		ok   bool
		seen string
	}{
		{"status == 200", https, false, "503"},
		{"status != 200", https, true, "503"},
		{"status < 400", https, false, "503"},
		{"status >= 500", https, true, "503"},
		{"status == 200", Result{}, false, "no response"},
		{`body contains "ok"`, https, true, "10 bytes"},
		{`body contains "fail"`, https, false, "10 bytes"},
		{"response_time < 500ms", https, false, "700ms"},
		{"response_time <= 1s", https, true, "700ms"},
		{"cert_expiry > 14d", https, false, "13d"},
		{"cert_expiry > 13d", https, true, "13d"},
		{"cert_expiry > 1d", Result{}, false, "no certificate"},
		{"connected == true", https, true, "true"},
		{"connected == true", Result{}, false, "false"},
		{"connected != true", Result{}, true, "false"},
		{"answer == expected", dns, true, "203.0.113.7,2001:db8::1"},
		{"answer == 203.0.113.7", dns, false, "203.0.113.7,2001:db8::1"},
		{"answer != 203.0.113.7", dns, true, "203.0.113.7,2001:db8::1"},
		{"answer == expected", Result{expected: []string{"203.0.113.7"}}, false, "no addresses"},
	}
	for _, sc := range scenarios {
		t.Run(sc.cond, func(t *testing.T) {
			c, err := ParseCondition(sc.cond)
			if err != nil {
				t.Fatal(err)
			}
			ok, seen := c.Eval(sc.r)
			if ok != sc.ok || seen != sc.seen {
				t.Fatalf("Eval = %v, %q; want %v, %q", ok, seen, sc.ok, sc.seen)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	scenarios := []struct {
		m       Monitor
		wantErr string
	}{
		{Monitor{Name: "web", Kind: HTTP, Target: "https://lagrieta.es/"}, ""},
		{Monitor{Name: "web", Kind: HTTP, Target: "lagrieta.es"}, "not an http(s) URL"},
		{Monitor{Name: "tls", Kind: TLS, Target: "lagrieta.es"}, "not host:port"},
		{Monitor{Name: "dns", Kind: DNS, Target: "lagrieta.es", Resolver: "1.1.1.1"}, "resolver"},
		{Monitor{Name: "x", Kind: "icmp", Target: "a"}, `unknown kind "icmp"`},
		{Monitor{Kind: TCP, Target: "a:1"}, "no name"},
		{Monitor{Name: "t", Kind: TCP, Target: "a:1", Conditions: MustParseConditions("status == 200")}, `"status == 200" does not apply to a tcp monitor`},
		{Monitor{Name: "t", Kind: TCP, Target: "a:1", Severity: "urgent"}, `unknown severity "urgent"`},
	}
	for _, sc := range scenarios {
		err := sc.m.Validate()
		if sc.wantErr == "" && err != nil || sc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), sc.wantErr)) {
			t.Errorf("%+v: error %v, want %q", sc.m, err, sc.wantErr)
		}
	}
}

func TestValidateHidesURLPassword(t *testing.T) {
	for _, target := range []string{"ftp://user:s3cret@host/", "http://user:s3cret@host:bad/"} {
		err := Monitor{Name: "web", Kind: HTTP, Target: target}.Validate()
		if err == nil || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%s: error %v: want one without the password", target, err)
		}
	}
}
