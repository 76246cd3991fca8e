package security

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
)

// SSHDConfig is an sshd's configuration as itlag judges it: keyword
// (lower case) to value, the first value winning as in sshd.
type SSHDConfig struct {
	Values map[string]string
	// Effective: read from "sshd -T"; otherwise parsed from the files
	// (Match blocks ignored, compiled-in defaults assumed for what they do
	// not set).
	Effective bool
}

// sshdDefaults are OpenSSH's compiled-in defaults for what the checks
// read, used when the files do not set them.
var sshdDefaults = map[string]string{
	"permitrootlogin":              "prohibit-password",
	"passwordauthentication":       "yes",
	"kbdinteractiveauthentication": "yes",
	"usepam":                       "no",
}

// ParseSSHD reads the effective configuration from facts: sshd -T's
// output when there is one, else the files (Include patterns spliced in
// where they appear). ok is false when neither was reported.
func ParseSSHD(facts providers.HostFacts) (cfg SSHDConfig, ok bool) {
	if strings.TrimSpace(facts.SSHDEffective) != "" {
		cfg = SSHDConfig{Values: map[string]string{}, Effective: true}
		for line := range strings.SplitSeq(facts.SSHDEffective, "\n") {
			k, v, _ := strings.Cut(strings.TrimSpace(line), " ")
			if k != "" {
				if _, seen := cfg.Values[k]; !seen {
					cfg.Values[strings.ToLower(k)] = strings.TrimSpace(v)
				}
			}
		}
		return cfg, true
	}
	if len(facts.SSHDFiles) == 0 || facts.SSHDFiles[0].Include != "" {
		return SSHDConfig{}, false
	}
	cfg = SSHDConfig{Values: map[string]string{}}
	inMatch := false
	var read func(f providers.ConfigFile, depth int)
	read = func(f providers.ConfigFile, depth int) {
		for line := range strings.SplitSeq(f.Content, "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			k, v := splitKeyword(line)
			switch {
			case k == "match":
				inMatch = true
			case inMatch:
			case k == "include" && depth < 4:
				for _, pat := range strings.Fields(v) {
					if !path.IsAbs(pat) {
						pat = "/etc/ssh/" + pat
					}
					for _, inc := range facts.SSHDFiles {
						if inc.Include == pat {
							read(inc, depth+1)
						}
					}
				}
			default:
				if _, seen := cfg.Values[k]; !seen {
					cfg.Values[k] = v
				}
			}
		}
	}
	read(facts.SSHDFiles[0], 0)
	for k, v := range sshdDefaults {
		if _, seen := cfg.Values[k]; !seen {
			cfg.Values[k] = v
		}
	}
	return cfg, true
}

// splitKeyword splits "Keyword value" or "Keyword=value".
func splitKeyword(line string) (string, string) {
	i := strings.IndexAny(line, " \t=")
	if i < 0 {
		return strings.ToLower(line), ""
	}
	v := strings.TrimSpace(line[i+1:])
	v = strings.TrimSpace(strings.TrimPrefix(v, "="))
	return strings.ToLower(line[:i]), strings.Trim(v, `"`)
}

// Weak SSH algorithms (after ssh-audit's failures and warnings): SHA-1
// and 1024-bit key exchanges, CBC and other legacy ciphers, MD5 and SHA-1
// MACs, 64-bit UMAC, SHA-1 RSA and DSA host-key signatures. ssh-audit
// also fails the NIST curves (ecdh-sha2-nistp*), which OpenSSH still
// offers by default; itlag does not flag them.
var weakSSH = map[string]func(string) bool{
	"kexalgorithms": func(a string) bool {
		return strings.Contains(a, "sha1") // diffie-hellman-group1-sha1, group14-sha1, group-exchange-sha1, gss-*-sha1-*
	},
	"ciphers": func(a string) bool {
		return strings.HasSuffix(a, "-cbc") || strings.HasPrefix(a, "arcfour") || a == "rijndael-cbc@lysator.liu.se"
	},
	"macs": func(a string) bool {
		return strings.HasPrefix(a, "hmac-md5") || strings.HasPrefix(a, "hmac-sha1") ||
			strings.HasPrefix(a, "umac-64@") || strings.HasPrefix(a, "hmac-ripemd160")
	},
	"hostkeyalgorithms": func(a string) bool {
		return a == "ssh-rsa" || a == "ssh-dss" || strings.HasPrefix(a, "ssh-rsa-cert") || strings.HasPrefix(a, "ssh-dss-cert")
	},
}

// AuditSSHD judges a NAS's sshd configuration; src is the findings'
// source ("security:nas/office").
func AuditSSHD(src string, facts providers.HostFacts) Report {
	cfg, ok := ParseSSHD(facts)
	if !ok {
		f := finding.New(finding.Low, src, "sshd-unknown", "the sshd configuration could not be read (neither sshd -T nor /etc/ssh/sshd_config): password and root logins are unknown")
		return Report{Findings: []finding.Finding{f}}
	}
	how := "sshd -T"
	if !cfg.Effective {
		how = "/etc/ssh/sshd_config (sshd -T was not allowed: Match blocks not evaluated)"
	}
	var r Report
	add := func(sev finding.Severity, key, summary string) {
		f := finding.New(sev, src, key, summary)
		f.Detail = "read from " + how
		r.Findings = append(r.Findings, f)
	}
	v := cfg.Values
	switch root := v["permitrootlogin"]; root {
	case "no":
	case "prohibit-password", "without-password", "forced-commands-only":
		add(finding.Low, "root-login", "sshd lets root log in with a key (PermitRootLogin "+root+"): set PermitRootLogin no and use a named account")
	default:
		add(finding.High, "root-login", "sshd lets root log in with a password (PermitRootLogin "+root+"): set PermitRootLogin no")
	}
	var pw []string
	if v["passwordauthentication"] == "yes" {
		pw = append(pw, "PasswordAuthentication yes")
	}
	if v["kbdinteractiveauthentication"] == "yes" && v["usepam"] == "yes" {
		pw = append(pw, "KbdInteractiveAuthentication yes with UsePAM yes")
	}
	if len(pw) > 0 {
		add(finding.Medium, "password-login", "sshd accepts passwords ("+strings.Join(pw, ", ")+"): allow keys only")
	}
	for _, kw := range slices.Sorted(maps.Keys(weakSSH)) {
		var weak []string
		for a := range strings.SplitSeq(v[kw], ",") {
			if a = strings.TrimSpace(a); a != "" && weakSSH[kw](a) {
				weak = append(weak, a)
			}
		}
		if len(weak) > 0 {
			add(finding.Medium, "weak-"+kw, fmt.Sprintf("sshd offers weak %s: %s", kw, strings.Join(weak, ", ")))
		}
	}
	return r
}
