package restic

import (
	"encoding/csv"
	"reflect"
	"strings"
	"testing"
	"unicode"
)

// splitOld reads a command as restic 0.14 to 0.17 do: a quote character
// opens or closes a quoted run and also ends the current argument; outside
// quotes, spaces and backslashes separate arguments.
func splitOld(s string) []string {
	var out []string
	var cur strings.Builder
	in := false
	var quote rune
	end := func() {
		if in {
			out = append(out, cur.String())
			cur.Reset()
			in = false
		}
	}
	for _, c := range s {
		switch {
		case quote != 0 && c == quote:
			quote = 0
			end()
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
			end()
		case quote != 0:
			cur.WriteRune(c)
			in = true
		case c == '\\' || unicode.IsSpace(c):
			end()
		default:
			cur.WriteRune(c)
			in = true
		}
	}
	end()
	return out
}

// splitNew reads a command as newer restics do, like a shell: quotes are
// removed and glue to their neighbours, a backslash escapes.
func splitNew(s string) []string {
	var out []string
	var cur strings.Builder
	in, esc := false, false
	var quote rune
	for _, c := range s {
		switch {
		case esc:
			cur.WriteRune(c)
			esc, in = false, true
		case c == '\\':
			esc, in = true, true
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '"' || c == '\''):
			quote, in = c, true
		case quote != 0:
			cur.WriteRune(c)
		case unicode.IsSpace(c):
			if in {
				out = append(out, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteRune(c)
			in = true
		}
	}
	if in {
		out = append(out, cur.String())
	}
	return out
}

func TestSFTPCommand(t *testing.T) {
	tests := []struct {
		name                  string
		user, host            string
		port                  int
		key, knownHosts, want string
		args                  []string // what both splitters must read
	}{
		{
			name: "plain", user: "backup", host: "127.0.0.1", port: 2222, key: "/k/id", knownHosts: "/k/known_hosts",
			want: "ssh -i /k/id -p 2222 -o UserKnownHostsFile=/k/known_hosts -o StrictHostKeyChecking=yes -o BatchMode=yes backup@127.0.0.1 -s sftp",
		},
		{
			name: "spaces and a quote", user: "backup", host: "nas.local", port: 22, key: "/my keys/it's id", knownHosts: "/my keys/known hosts",
			want: `ssh -i "/my keys/it's id" -p 22 -o 'UserKnownHostsFile="/my keys/known hosts"' -o StrictHostKeyChecking=yes -o BatchMode=yes backup@nas.local -s sftp`,
			args: []string{"ssh", "-i", "/my keys/it's id", "-p", "22", "-o", `UserKnownHostsFile="/my keys/known hosts"`, "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "backup@nas.local", "-s", "sftp"},
		},
		{
			name: "percent tokens escaped", user: "u", host: "h", port: 22, key: "/k/%h", knownHosts: "/k/%d/kh",
			want: "ssh -i /k/%%h -p 22 -o UserKnownHostsFile=/k/%%d/kh -o StrictHostKeyChecking=yes -o BatchMode=yes u@h -s sftp",
		},
		{name: "user option injection", user: "-oProxyCommand=evil", host: "h", port: 22, key: "/k", knownHosts: "/kh"},
		{name: "host option injection", user: "u", host: "-oProxyCommand=evil", port: 22, key: "/k", knownHosts: "/kh"},
		{name: "backslash", user: "u", host: "h", port: 22, key: `/k\x`, knownHosts: "/kh"},
		{name: "both quotes", user: "u", host: "h", port: 22, key: `/k'"`, knownHosts: "/kh"},
		{name: "newline", user: "u", host: "h", port: 22, key: "/k\nx", knownHosts: "/kh"},
		{name: "space and double quote in known_hosts", user: "u", host: "h", port: 22, key: "/k", knownHosts: `/a b"c`},
		{name: "bad port", user: "u", host: "h", port: 0, key: "/k", knownHosts: "/kh"},
		{name: "no key", user: "u", host: "h", port: 22, key: "", knownHosts: "/kh"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SFTPCommand(tt.user, tt.host, tt.port, tt.key, tt.knownHosts)
			_, err := NewSFTPCommand(tt.user, tt.host, tt.port, tt.key, tt.knownHosts)
			if got != tt.want {
				t.Fatalf("SFTPCommand = %q\nwant %q", got, tt.want)
			}
			if (err != nil) != (tt.want == "") {
				t.Fatalf("NewSFTPCommand err %v, want error %v", err, tt.want == "")
			}
			if tt.want == "" {
				return
			}
			want := tt.args
			if want == nil {
				want = strings.Fields(tt.want)
			}
			if old := splitOld(got); !reflect.DeepEqual(old, want) {
				t.Errorf("restic 0.14 reads %q\nwant %q", old, want)
			}
			if nw := splitNew(got); !reflect.DeepEqual(nw, want) {
				t.Errorf("newer restic reads %q\nwant %q", nw, want)
			}
		})
	}
}

func TestSFTPCommandRelativePaths(t *testing.T) {
	got := SFTPCommand("u", "h", 22, "key", "kh")
	f := strings.Fields(got)
	if len(f) < 3 || !strings.HasPrefix(f[2], "/") || !strings.Contains(got, "UserKnownHostsFile=/") {
		t.Errorf("relative paths not made absolute: %q", got)
	}
}

func TestCSVField(t *testing.T) {
	for _, v := range []string{
		"sftp.command=ssh -p 22 u@h -s sftp",
		`sftp.command=ssh -i "/a b/it's" -o 'UserKnownHostsFile="/k h/kh"' u@h -s sftp`,
		"sftp.command=ssh -i /a,b/key u@h -s sftp",
		" leading space",
	} {
		got, err := csv.NewReader(strings.NewReader(csvField(v))).Read()
		if err != nil || len(got) != 1 || got[0] != v {
			t.Errorf("csvField(%q) = %q reads back as %q, %v", v, csvField(v), got, err)
		}
	}
}
