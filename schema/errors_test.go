package schema

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

// zone wraps record lines (flow mappings) in a valid zone of file a.yaml;
// records start on line 5, column 5.
func zone(records ...string) fstest.MapFS {
	var b strings.Builder
	b.WriteString("zones:\n  - name: lagrieta.es\n    provider: cloudflare\n    records:\n")
	for _, r := range records {
		b.WriteString("    - " + r + "\n")
	}
	return fstest.MapFS{"a.yaml": {Data: []byte(b.String())}}
}

func files(kv ...string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := 0; i+1 < len(kv); i += 2 {
		fsys[kv[i]] = &fstest.MapFile{Data: []byte(kv[i+1])}
	}
	return fsys
}

func TestLoadProblems(t *testing.T) {
	tests := []struct {
		name string
		fsys fstest.MapFS
		want []string
	}{
		{
			name: "type not one of the known types",
			fsys: zone(`{name: "@", type: A, value: 203.0.113.10}`, `{name: "@", type: SRVV, value: x}`),
			want: []string{`a.yaml:6:25: zones[0].records[1].type: "SRVV" is not allowed, want one of A, AAAA, CNAME, MX, TXT, CAA, SRV, NS`},
		},
		{
			name: "unknown field in a record",
			fsys: zone(`{name: www, type: A, valeu: 203.0.113.10}`),
			want: []string{
				`a.yaml:5:7: zones[0].records[0].value: field is required, want string`,
				`a.yaml:5:28: zones[0].records[0].valeu: field not allowed, want one of name, type, value, ttl, proxied, priority, comment, protected`,
			},
		},
		{
			name: "unknown top-level field",
			fsys: files("a.yaml", "zone:\n  - name: x\n"),
			want: []string{`a.yaml:1:1: zone: field not allowed, want one of providers, policy, zones, domains, subscriptions, ddns, nas, backups, monitors, monitoring, alerts, secrets, exposure, mail, mail_rules, contacts, handbook`},
		},
		{
			name: "unknown zone field",
			fsys: files("a.yaml", "zones:\n  - name: x\n    provider: cloudflare\n    purgee: false\n"),
			want: []string{`a.yaml:4:5: zones[0].purgee: field not allowed, want one of name, provider, purge, unmanaged, records`},
		},
		{
			name: "not valid YAML",
			fsys: files("dns/a.yaml", "zones:\n\t- name: x\n"),
			want: []string{`dns/a.yaml:2:1: not valid YAML: found character that cannot start any token`},
		},
		{
			name: "proxied with a ttl",
			fsys: zone(`{name: "@", type: A, value: 192.0.2.1, proxied: true, ttl: 3600}`),
			want: []string{`a.yaml:5:55: zones[0].records[0].proxied: true is not allowed with ttl 3600, want ttl auto on proxied records (Cloudflare sets their TTL)`},
		},
		{
			name: "proxied on a TXT record",
			fsys: zone(`{name: "@", type: TXT, value: hi, proxied: true}`),
			want: []string{`a.yaml:5:50: zones[0].records[0].proxied: true is not allowed on TXT records, want proxied only on A, AAAA or CNAME`},
		},
		{
			name: "ttl below 60",
			fsys: zone(`{name: "@", type: A, value: 203.0.113.10, ttl: 30}`),
			want: []string{`a.yaml:5:54: zones[0].records[0].ttl: 30 is not allowed, want auto, or seconds from 60 to 86400`},
		},
		{
			name: "ttl neither auto nor a number",
			fsys: zone(`{name: "@", type: A, value: 203.0.113.10, ttl: often}`),
			want: []string{`a.yaml:5:54: zones[0].records[0].ttl: "often" is not allowed, want auto, or seconds from 60 to 86400`},
		},
		{
			name: "MX without priority",
			fsys: zone(`{name: "@", type: MX, value: mx1.example.net}`),
			want: []string{`a.yaml:5:7: zones[0].records[0].priority: field is required, want an int from 0 to 65535`},
		},
		{
			name: "priority on a TXT record",
			fsys: zone(`{name: "@", type: TXT, value: hi, priority: 10}`),
			want: []string{`a.yaml:5:51: zones[0].records[0].priority: not allowed on TXT records, want priority only on MX or SRV`},
		},
		{
			name: "priority out of range",
			fsys: zone(`{name: "@", type: SRV, value: "5 5060 sip.example.net", priority: 70000}`),
			want: []string{`a.yaml:5:73: zones[0].records[0].priority: 70000 is not allowed, want an int from 0 to 65535`},
		},
		{
			name: "CNAME beside another record",
			fsys: zone(`{name: www, type: A, value: 203.0.113.10}`, `{name: www, type: CNAME, value: lagrieta.es}`),
			want: []string{`a.yaml:6:7: zones[0].records[1]: CNAME is not allowed beside other records at the same name (2 records there), want a CNAME alone`},
		},
		{
			name: "two CNAMEs at one name",
			fsys: zone(`{name: www, type: CNAME, value: a.example}`, `{name: www, type: CNAME, value: b.example}`),
			want: []string{`a.yaml:5:7: zones[0].records[0]: CNAME is not allowed beside other records at the same name (2 records there), want a CNAME alone`},
		},
		{
			name: "CNAME at the same name in another zone is fine, in the same zone across files not",
			fsys: files(
				"a.yaml", "zones:\n  - {name: a.example, provider: cloudflare, records: [{name: www, type: CNAME, value: x.example}]}\n",
				"b.yaml", "zones:\n  - {name: b.example, provider: cloudflare, records: [{name: www, type: A, value: 203.0.113.1}]}\n  - {name: a.example, provider: cloudflare}\n",
			),
			want: []string{`b.yaml:3:12: zones[1].name: zone "a.example" is already declared at a.yaml:2:12, want each zone once`},
		},
		{
			name: "domain: bad registrar, date and nameservers",
			fsys: files("d.yaml", "domains:\n  x.es:\n    registrar: gandi\n    expires: 2027-02-30\n    nameservers: [ns1.example.net]\n"),
			want: []string{
				`d.yaml:3:16: domains["x.es"].registrar: "gandi" is not allowed, want one of godaddy, manual`,
				`d.yaml:4:14: domains["x.es"].expires: "2027-02-30" is not allowed, want one of a date like 2027-03-14, unknown`,
				`d.yaml:5:18: domains["x.es"].nameservers: a list is not allowed, want a list of at least two host names like [ada.ns.cloudflare.com, bob.ns.cloudflare.com]`,
			},
		},
		{
			name: "manual domain needs expires; merged across files, placed at the declaring file",
			fsys: files("a.yaml", "domains:\n  a.es: {registrar: godaddy}\n", "b.yaml", "domains:\n  x.es:\n    registrar: manual\n"),
			want: []string{`b.yaml:3:5: domains["x.es"].expires: field is required, want one of a date like 2027-03-14, unknown`},
		},
		{
			name: "subscription: unknown kind, bad date, typo",
			fsys: files("s.yaml", "subscriptions:\n  noip:\n    kind: dns\n    provider: noip\n    renews: soon\n    remiders: [7]\n"),
			want: []string{
				`s.yaml:3:11: subscriptions.noip.kind: "dns" is not allowed, want one of domain, dns-hostname, plan, certificate, other`,
				`s.yaml:5:13: subscriptions.noip.renews: "soon" is not allowed, want one of a date like 2027-03-14, unknown`,
				`s.yaml:6:5: subscriptions.noip.remiders: field not allowed, want one of kind, provider, what, renews, auto_renew, reminders, period_days, owner, cost`,
			},
		},
		{
			name: "3-2-1: three copies",
			fsys: files("b.yaml", "backups:\n  docs:\n    runs_on: office\n    sources: [/volume1/docs]\n    destinations:\n      usb: {repository: /mnt/usb/r, media: usb, offsite: false, password: {env: P}}\n    schedule: {daily: \"02:30\"}\n    retention: {keep_daily: 7}\n"),
			want: []string{`b.yaml:3:5: backups.docs.3-2-1.copies: 2 copies counting the source, want at least 3 (two destinations), or waive_3_2_1: REASON`,
				`b.yaml:3:5: backups.docs.3-2-1.offsite: no destination is offsite, want one with offsite: true (cloud, a remote SFTP host), or waive_3_2_1: REASON`},
		},
		{
			// the 3-2-1 rule's counts used to hide this behind "error in call to len"
			name: "a destination without offsite or media: the field is named",
			fsys: files("b.yaml", "backups:\n  docs:\n    runs_on: office\n    sources: [/volume1/docs]\n    destinations:\n      usb: {repository: /mnt/usb/r, password: {env: P}}\n      cloud: {repository: b2:b:docs, media: cloud, offsite: true, password: {env: P}}\n    schedule: {daily: \"02:30\"}\n    retention: {keep_daily: 7}\n"),
			want: []string{`b.yaml:6:12: backups.docs.destinations.usb.media: field is required, want a kind of media: disk, usb, nas, cloud, tape or optical`,
				`b.yaml:6:12: backups.docs.destinations.usb.offsite: field is required, want bool`},
		},
		{
			name: "3-2-1: two media",
			fsys: files("b.yaml", "backups:\n  docs:\n    runs_on: office\n    sources: [/volume1/docs]\n    destinations:\n      d2: {repository: /volume2/r, media: disk, offsite: true, password: {env: P}}\n      d3: {repository: /volume3/r, media: disk, offsite: false, password: {env: P}}\n    schedule: {daily: \"02:30\"}\n    retention: {keep_daily: 7}\n"),
			want: []string{`b.yaml:3:5: backups.docs.3-2-1.media: every copy is on the source's media, want a destination on another media (usb, cloud, tape, nas, optical), or waive_3_2_1: REASON`},
		},
		{
			name: "3-2-1: one offsite",
			fsys: files("b.yaml", "backups:\n  docs:\n    runs_on: office\n    sources: [/volume1/docs]\n    destinations:\n      usb: {repository: /mnt/usb/r, media: usb, offsite: false, password: {env: P}}\n      d3: {repository: /volume3/r, media: nas, offsite: false, password: {env: P}}\n    schedule: {daily: \"02:30\"}\n    retention: {keep_daily: 7}\n"),
			want: []string{`b.yaml:3:5: backups.docs.3-2-1.offsite: no destination is offsite, want one with offsite: true (cloud, a remote SFTP host), or waive_3_2_1: REASON`},
		},
		{
			name: "3-2-1: every rule broken, one line each",
			fsys: files("b.yaml", "backups:\n  docs:\n    runs_on: office\n    sources: [/volume1/docs]\n    destinations:\n      d2: {repository: /volume2/r, media: disk, offsite: false, password: {env: P}}\n    schedule: {daily: \"02:30\"}\n    retention: {keep_daily: 7}\n"),
			want: []string{
				`b.yaml:3:5: backups.docs.3-2-1.copies: 2 copies counting the source, want at least 3 (two destinations), or waive_3_2_1: REASON`,
				`b.yaml:3:5: backups.docs.3-2-1.media: every copy is on the source's media, want a destination on another media (usb, cloud, tape, nas, optical), or waive_3_2_1: REASON`,
				`b.yaml:3:5: backups.docs.3-2-1.offsite: no destination is offsite, want one with offsite: true (cloud, a remote SFTP host), or waive_3_2_1: REASON`,
			},
		},
		{
			name: "3-2-1 waived, and retention must keep something",
			fsys: files("b.yaml", "backups:\n  docs:\n    runs_on: office\n    sources: [/volume1/docs]\n    destinations:\n      usb: {repository: /mnt/usb/r, media: usb, offsite: false, password: {env: P}}\n    schedule: {daily: \"02:30\"}\n    retention: {}\n    waive_3_2_1: scratch data\n"),
			want: []string{`b.yaml:8:16: backups.docs.retention: has none of them, want at least one of keep_daily, keep_weekly, keep_monthly, keep_yearly, keep_within`},
		},
		{
			name: "unknown provider",
			fsys: files("a.yaml", "zones:\n  - name: x\n    provider: route53\n"),
			want: []string{`a.yaml:3:15: zones[0].provider: "route53" is not allowed, want one of cloudflare, godaddy`},
		},
		{
			name: "zone without name",
			fsys: files("a.yaml", "zones:\n  - provider: cloudflare\n"),
			want: []string{`a.yaml:2:5: zones[0].name: field is required, want a domain name without spaces or a trailing dot, like lagrieta.es`},
		},
		{
			name: "zone name with a trailing dot",
			fsys: files("a.yaml", "zones:\n  - name: lagrieta.es.\n    provider: cloudflare\n"),
			want: []string{`a.yaml:2:11: zones[0].name: "lagrieta.es." is not allowed, want a domain name without spaces or a trailing dot, like lagrieta.es`},
		},
		{
			name: "records not a list",
			fsys: files("a.yaml", "zones:\n  - name: x\n    provider: cloudflare\n    records: {name: www}\n"),
			want: []string{`a.yaml:4:14: zones[0].records: a mapping is not allowed, want a list`},
		},
		{
			name: "credential with env and file",
			fsys: files("a.yaml", "providers:\n  cloudflare:\n    api_token: {env: CF_TOKEN, file: /run/secrets/cf}\n"),
			want: []string{`a.yaml:3:16: providers.cloudflare.api_token: has env and file, want exactly one of env, file, age`},
		},
		{
			name: "credential with neither env nor file",
			fsys: files("a.yaml", "providers:\n  cloudflare:\n    api_token: {}\n"),
			want: []string{`a.yaml:3:16: providers.cloudflare.api_token: has none of them, want exactly one of env, file, age`},
		},
		{
			name: "age reference without key",
			fsys: files("a.yaml", "providers:\n  cloudflare:\n    api_token: {age: secrets/cf.age}\n"),
			want: []string{`a.yaml:3:16: providers.cloudflare.api_token: has age without key, want key beside age: a key of a secrets file like NOIP_PASSWORD`},
		},
		{
			name: "key without age",
			fsys: files("a.yaml", "providers:\n  cloudflare:\n    api_token: {env: CF_TOKEN, key: CF}\n"),
			want: []string{`a.yaml:3:16: providers.cloudflare.api_token: has key without age, want key only beside age`},
		},
		{
			name: "age and env",
			fsys: files("a.yaml", "providers:\n  cloudflare:\n    api_token: {env: CF_TOKEN, age: secrets/cf.age, key: CF}\n"),
			want: []string{`a.yaml:3:16: providers.cloudflare.api_token: has env and age, want exactly one of env, file, age`},
		},
		{
			name: "age path leaving the state directory",
			fsys: files("a.yaml", "providers:\n  cloudflare:\n    api_token: {age: ../cf.age, key: CF}\n"),
			want: []string{`a.yaml:3:22: providers.cloudflare.api_token.age: "../cf.age" is not allowed, want a path relative to the state directory ending in .age, like secrets/office.age`},
		},
		{
			name: "absolute age path",
			fsys: files("a.yaml", "providers:\n  cloudflare:\n    api_token: {age: /etc/cf.age, key: CF}\n"),
			want: []string{`a.yaml:3:22: providers.cloudflare.api_token.age: "/etc/cf.age" is not allowed, want a path relative to the state directory ending in .age, like secrets/office.age`},
		},
		{
			name: "age file missing",
			fsys: files("a.yaml", "providers:\n  cloudflare:\n    api_token: {age: secrets/cf.age, key: CF}\n"),
			want: []string{`a.yaml:3:22: providers.cloudflare.api_token.age: secrets file secrets/cf.age: file does not exist`},
		},
		{
			name: "age file not an age file",
			fsys: files("a.yaml", "providers:\n  cloudflare:\n    api_token: {age: cf.age, key: CF}\n", "cf.age", "CF: s3cr3t\n"),
			want: []string{`a.yaml:3:22: providers.cloudflare.api_token.age: secrets file cf.age: not an age file (no age-encryption.org/v1 header)`},
		},
		{
			name: "recipients not age keys",
			fsys: files("a.yaml", "secrets: {recipients: [AGE-SECRET-KEY-1XYZ]}\n"),
			want: []string{`a.yaml:1:24: secrets.recipients[0]: a string (19 characters) is not allowed, want an age public key like age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p`},
		},
		{
			name: "literal secret",
			fsys: files("a.yaml", "providers:\n  cloudflare:\n    api_token: s3cr3t\n"),
			want: []string{`a.yaml:3:16: providers.cloudflare.api_token: a string (6 characters) is not allowed, want a mapping with fields env, file, age, key`},
		},
		{
			name: "provider without token",
			fsys: files("a.yaml", "providers:\n  cloudflare:\n    api_url: https://example.net\n"),
			want: []string{`a.yaml:3:5: providers.cloudflare.api_token: field is required, want a mapping with fields env, file, age, key`},
		},
		{
			name: "api_url not http(s)",
			fsys: files("a.yaml", "providers:\n  cloudflare:\n    api_token: {env: CF}\n    api_url: ftp://example.net\n"),
			want: []string{`a.yaml:4:14: providers.cloudflare.api_url: a string (17 characters) is not allowed, want an http(s) URL like https://api.cloudflare.com/client/v4`},
		},
		{
			name: "A value not an IPv4 address",
			fsys: zone(`{name: "@", type: A, value: 2001:db8::1}`),
			want: []string{`a.yaml:5:35: zones[0].records[0].value: "2001:db8::1" is not allowed, want an IPv4 address like 203.0.113.10`},
		},
		{
			name: "AAAA value not an IPv6 address",
			fsys: zone(`{name: "@", type: AAAA, value: 203.0.113.10}`),
			want: []string{`a.yaml:5:38: zones[0].records[0].value: "203.0.113.10" is not allowed, want an IPv6 address like 2001:db8::1`},
		},
		{
			name: "empty value",
			fsys: zone(`{name: "@", type: TXT, value: ""}`),
			want: []string{`a.yaml:5:37: zones[0].records[0].value: "" is not allowed, want a non-empty string`},
		},
		{
			name: "value not a string",
			fsys: zone(`{name: "@", type: TXT, value: 42}`),
			want: []string{`a.yaml:5:37: zones[0].records[0].value: 42 is not allowed, want string`},
		},
		{
			name: "record name with a trailing dot",
			fsys: zone(`{name: www.lagrieta.es., type: A, value: 203.0.113.10}`),
			want: []string{`a.yaml:5:14: zones[0].records[0].name: "www.lagrieta.es." is not allowed, want a name relative to the zone ("@" the apex, "*" a wildcard) without spaces or a trailing dot`},
		},
		{
			name: "record name with a space",
			fsys: zone(`{name: "my host", type: A, value: 203.0.113.10}`),
			want: []string{`a.yaml:5:14: zones[0].records[0].name: "my host" is not allowed, want a name relative to the zone ("@" the apex, "*" a wildcard) without spaces or a trailing dot`},
		},
		{
			name: "comment too long",
			fsys: zone(`{name: "@", type: TXT, value: hi, comment: "` + strings.Repeat("ñ", 101) + `"}`),
			want: []string{`a.yaml:5:50: zones[0].records[0].comment: "` + strings.Repeat("ñ", 57) + `..." is not allowed, want a string of at most 100 characters`},
		},
		{
			name: "policy out of range",
			fsys: files("a.yaml", "policy:\n  max_change_percent: 101\n  min_zone_records: 0\n  protected: [lagrieta.es/@]\n"),
			want: []string{
				`a.yaml:2:23: policy.max_change_percent: 101 is not allowed, want an int from 1 to 100`,
				`a.yaml:3:21: policy.min_zone_records: 0 is not allowed, want an int of at least 1`,
				`a.yaml:4:15: policy.protected[0]: "lagrieta.es/@" is not allowed, want a glob zone/name/TYPE like "lagrieta.es/@/MX" or "*/@/NS"`,
			},
		},
		{
			name: "conflicting values across files",
			fsys: files(
				"a.yaml", "policy:\n  max_change_percent: 30\n",
				"b/c.yaml", "policy:\n  max_change_percent: 50\n",
			),
			want: []string{`b/c.yaml:2:23: policy.max_change_percent: 50 conflicts with 30 at a.yaml:2:23, want the same value in every file`},
		},
		{
			name: "credential halves across files",
			fsys: files(
				"a.yaml", "providers:\n  cloudflare:\n    api_token: {env: CF}\n",
				"b.yaml", "providers:\n  cloudflare:\n    api_token: {file: /run/cf}\n",
			),
			want: []string{`a.yaml:3:16: providers.cloudflare.api_token: has env and file, want exactly one of env, file, age (merged with b.yaml:3:17)`},
		},
		{
			name: "duplicate field in a mapping",
			fsys: files("a.yaml", "zones:\n  - name: a\n    name: b\n    provider: cloudflare\n"),
			want: []string{`a.yaml:3:5: zones[0].name: duplicate field (first at line 2), want each field once`},
		},
		{
			name: "YAML alias",
			fsys: zone(`&r {name: www, type: A, value: 203.0.113.10}`, `*r`),
			want: []string{`a.yaml:6:7: zones[0].records[1]: YAML aliases are not allowed, want the value written out`},
		},
		{
			name: "file not a mapping",
			fsys: files("a.yaml", "- zones\n"),
			want: []string{`a.yaml:1:1: a list is not allowed, want a mapping with fields providers, policy, zones, domains, subscriptions, ddns, nas, backups, monitors, monitoring, alerts, secrets, exposure, mail, mail_rules, contacts, handbook`},
		},
		{
			name: "every problem at once, sorted by file and line",
			fsys: files(
				"b.yaml", "zones:\n  - name: x\n    provider: cloudflare\n    records:\n      - {name: a, type: A, value: 1.2.3.4, ttl: 5, proxied: yes}\n      - {name: b, type: MX, value: mx}\n",
				"a.yaml", "policy: {max_change_percent: 0}\n",
			),
			want: []string{
				`a.yaml:1:30: policy.max_change_percent: 0 is not allowed, want an int from 1 to 100`,
				`b.yaml:5:49: zones[0].records[0].ttl: 5 is not allowed, want auto, or seconds from 60 to 86400`,
				`b.yaml:5:61: zones[0].records[0].proxied: "yes" is not allowed, want bool`,
				`b.yaml:6:9: zones[0].records[1].priority: field is required, want an int from 0 to 65535`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := LoadFS(tt.fsys)
			if err == nil {
				t.Fatalf("LoadFS() = %+v, want problems:\n%s", st, strings.Join(tt.want, "\n"))
			}
			if st != nil {
				t.Errorf("LoadFS() returned a state with problems")
			}
			var probs Errors
			if !errors.As(err, &probs) {
				t.Fatalf("LoadFS() error %T, want Errors", err)
			}
			if got, want := err.Error(), strings.Join(tt.want, "\n"); got != want {
				t.Errorf("LoadFS() problems:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
