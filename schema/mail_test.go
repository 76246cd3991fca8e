package schema

import (
	"errors"
	"strings"
	"testing"
)

const mailAccount = `mail:
  it:
    host: imap.zoho.eu
    username: {env: IT_MAIL_USER}
    password: {env: IT_MAIL_PASSWORD}
`

func TestLoadMail(t *testing.T) {
	st, err := LoadFS(files("mail.yaml", mailAccount+"  office:\n    host: mail.lagrieta.es\n    port: 143\n    username: {env: U}\n    password: {file: /run/p}\n    max_message_size: 512KB\n",
		"rules.yaml", "ddns:\n  lagrieta.ddns.net: {provider: noip, confirm_by: unknown}\nmail_rules:\n  noip-auto:\n    from: \"@noip.com\"\n    kind: noip.confirm-request\n    auto_confirm: true\n    link_hosts: [www.noip.com]\n    concerns: {ddns: lagrieta.ddns.net}\n"))
	if err != nil {
		t.Fatal(err)
	}
	it, office := st.Mail["it"], st.Mail["office"]
	if it.Port != 993 || it.TLSMode() != "implicit" || it.Interval != "5m" || it.MaxMessageBytes() != 25<<20 ||
		len(it.Folders) != 1 || it.Folders[0] != "INBOX" {
		t.Errorf("defaults: %+v (tls %s, max %d)", it, it.TLSMode(), it.MaxMessageBytes())
	}
	if office.TLSMode() != "starttls" || office.MaxMessageBytes() != 512<<10 {
		t.Errorf("port 143 account: tls %s, max %d; want starttls, 524288", office.TLSMode(), office.MaxMessageBytes())
	}
	r := st.MailRules["noip-auto"]
	if !r.AutoConfirm || r.Confirm || r.Concerns["ddns"] != "lagrieta.ddns.net" || r.LinkHosts[0] != "www.noip.com" {
		t.Errorf("rule: %+v", r)
	}
}

func TestLoadMailProblems(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{
			name: "a password written out",
			yaml: "mail:\n  it:\n    host: imap.zoho.eu\n    username: {env: U}\n    password: hunter2\n",
			want: []string{"a.yaml:5:15: mail.it.password:"},
		},
		{
			name: "a rule without a pattern",
			yaml: "mail_rules:\n  x:\n    kind: nas.ups\n",
			want: []string{`a.yaml:2:3: mail_rules.x: a mail rule matches nothing, want at least one of from, subject or body`},
		},
		{
			name: "a pattern that does not compile",
			yaml: "mail_rules:\n  x:\n    subject: \"UPS (on battery\"\n    kind: nas.ups\n",
			want: []string{`a.yaml:3:5: mail_rules.x.subject: "UPS (on battery" is not a regular expression`},
		},
		{
			name: "concerns something undeclared",
			yaml: "mail_rules:\n  x:\n    from: ups@lagrieta.es\n    kind: nas.ups\n    concerns: {nas: attic}\n",
			want: []string{`a.yaml:5:16: mail_rules.x.concerns.nas: nas "attic" is not declared in the state, the state declares none`},
		},
		{
			name: "auto_confirm without link_hosts",
			yaml: "mail_rules:\n  x:\n    from: a@noip.com\n    kind: noip.confirm-request\n    auto_confirm: true\n",
			want: []string{`mail_rules.x.link_hosts: field is required`},
		},
		{
			name: "moving into a folder it reads",
			yaml: mailAccount + "    move_to: INBOX\n",
			want: []string{`a.yaml:6:5: mail.it.move_to: "INBOX" is also read, want a folder that is not in folders`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFS(files("a.yaml", tt.yaml))
			var probs Errors
			if !errors.As(err, &probs) {
				t.Fatalf("LoadFS() error %v, want problems", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("problems:\n%v\nwant one containing %q", err, w)
				}
			}
		})
	}
}
