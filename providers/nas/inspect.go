package nas

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/lagrieta/itlag/providers"
)

var _ providers.HostInspector = (*Provider)(nil)

// inspectScript prints a NAS's security facts in sections, like the
// metrics script ("@@itlag <name> [arg]"), read-only and POSIX sh/BusyBox
// ash compatible: sshd -T (or sudo -n sshd -T; only when it succeeds),
// /etc/ssh/sshd_config and the files its Include lines match, ss -ltn (or
// /proc/net/tcp and tcp6 without ss), and the pending updates: apt list
// --upgradable, or apt-get's simulated upgrade without apt (only where
// they exist; seconds on a slow machine). With ITLAG_ROOT set (a fake root through
// remote.Local) only the root's own bin/ commands run, so that nothing of
// the machine running itlag is read.
const inspectScript = `# itlag NAS security facts (read-only): sections start with "@@itlag <name>".
R="${ITLAG_ROOT}"
if [ -n "$R" ] && [ -d "$R/bin" ]; then PATH="$R/bin:$PATH"; fi
PATH="$PATH:/usr/sbin:/sbin:/usr/local/sbin:/usr/local/bin:/opt/bin:/opt/sbin"
LC_ALL=C
export PATH LC_ALL
have() {
  if [ -n "$R" ]; then [ -x "$R/bin/$1" ]; else command -v "$1" >/dev/null 2>&1; fi
}
echo "@@itlag version 1"
c="$R/etc/ssh/sshd_config"
if have sshd; then
  out=$(sshd -T -f "$c" 2>/dev/null)
  if [ -z "$out" ] && have sudo; then out=$(sudo -n sshd -T -f "$c" 2>/dev/null); fi
  if [ -n "$out" ]; then echo "@@itlag sshd-T"; printf '%s\n' "$out"; fi
fi
if [ -r "$c" ]; then
  echo "@@itlag sshd_config /etc/ssh/sshd_config"
  cat "$c"; echo
  incs=$(sed -n 's/^[[:space:]]*[Ii][Nn][Cc][Ll][Uu][Dd][Ee][[:space:]=][[:space:]]*//p' "$c")
  set -f
  for p in $incs; do
    case "$p" in /*) ;; *) p="/etc/ssh/$p" ;; esac
    echo "@@itlag sshd_include $p"
    set +f
    for f in $R$p; do
      if [ -f "$f" ] && [ -r "$f" ]; then echo "@@itlag sshd_config ${f#"$R"}"; cat "$f"; echo; fi
    done
    set -f
  done
  set +f
fi
out=
if have ss; then out=$(ss -ltn 2>/dev/null); fi
if [ -n "$out" ]; then
  echo "@@itlag ss"
  printf '%s\n' "$out"
else
  for f in tcp tcp6; do
    if [ -r "$R/proc/net/$f" ]; then echo "@@itlag proc-net $f"; cat "$R/proc/net/$f"; fi
  done
fi
if have apt; then
  out=$(apt list --upgradable 2>&1); rc=$?
  echo "@@itlag apt $rc"
  if [ "$rc" = 0 ]; then printf '%s\n' "$out" | grep '/.*upgradable from'; else printf '%s\n' "$out" | tail -n 3; fi
elif have apt-get; then
  out=$(apt-get -s -o Debug::NoLocking=1 upgrade 2>&1); rc=$?
  echo "@@itlag apt $rc"
  if [ "$rc" = 0 ]; then printf '%s\n' "$out" | grep '^Inst '; else printf '%s\n' "$out" | tail -n 3; fi
fi
echo "@@itlag end"
`

// InspectHost connects to the NAS named target once and runs
// inspectScript: the raw facts for package ops/security to judge. Errors:
// the NAS unreachable or its host key not the pinned one (wrapping
// providers.ErrUnreachable or providers.ErrHostKeyMismatch), or output
// without the script's end marker.
func (p *Provider) InspectHost(ctx context.Context, target string) (providers.HostFacts, error) {
	t, err := p.connect(ctx, target)
	if err != nil {
		return providers.HostFacts{}, err
	}
	defer t.Close()
	res, err := t.Run(ctx, inspectScript, nil)
	if err != nil {
		return providers.HostFacts{}, fmt.Errorf("nas %s: inspect: %w", target, classify(err))
	}
	facts, err := ParseInspect(res.Stdout)
	if err != nil {
		return providers.HostFacts{}, fmt.Errorf("nas %s: inspect: exit %d: %s: %w", target, res.ExitCode, firstLine(res.Stderr), err)
	}
	return facts, nil
}

// ParseInspect reads inspectScript's output.
func ParseInspect(out []byte) (providers.HostFacts, error) {
	var facts providers.HostFacts
	var name, arg, include string
	var body strings.Builder
	ended := false
	flush := func() {
		text := body.String()
		body.Reset()
		switch name {
		case "sshd-T":
			facts.SSHDEffective = text
		case "sshd_config":
			facts.SSHDFiles = append(facts.SSHDFiles, providers.ConfigFile{Path: arg, Content: text, Include: include})
		case "ss":
			facts.Listening = text
		case "proc-net":
			if facts.ProcNetTCP == nil {
				facts.ProcNetTCP = map[string]string{}
			}
			facts.ProcNetTCP[arg] = text
		case "apt":
			facts.UpdatesTool = "apt"
			if rc, _ := strconv.Atoi(arg); rc != 0 {
				facts.UpdatesErr = fmt.Sprintf("apt: exit %s: %s", arg, strings.Join(strings.Fields(text), " "))
			} else {
				facts.Updates = text
			}
		}
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		rest, ok := strings.CutPrefix(line, "@@itlag ")
		if !ok {
			body.WriteString(line)
			body.WriteByte('\n')
			continue
		}
		flush()
		name, arg, _ = strings.Cut(rest, " ")
		switch name {
		case "sshd_include":
			include = arg
		case "end":
			ended = true
		}
	}
	flush()
	if err := sc.Err(); err != nil {
		return facts, err
	}
	if !ended {
		return facts, fmt.Errorf("the security script's output ends early (no end marker)")
	}
	return facts, nil
}
