package metrics

// Section markers: a line "@@itlag <name> [arg]" starts a section.
const marker = "@@itlag "

// script prints every section in one run, about half a second long (two CPU
// samples). It is POSIX sh and BusyBox ash compatible: no arrays, no
// [[ ]], no local, no GNU-only flags without a fallback. Commands that
// could fail print nothing, so a section may be empty or absent.
const script = `# itlag NAS metrics (read-only): sections start with "@@itlag <name>".
R="${ITLAG_ROOT}"
if [ -n "$R" ] && [ -d "$R/bin" ]; then PATH="$R/bin:$PATH"; fi
PATH="$PATH:/usr/sbin:/sbin:/usr/local/sbin:/usr/local/bin:/opt/bin:/opt/sbin"
LC_ALL=C
export PATH LC_ALL
echo "@@itlag version 1"
echo "@@itlag stat1"
grep '^cpu' "$R/proc/stat" 2>/dev/null
sleep 0.5 2>/dev/null || sleep 1
echo "@@itlag stat2"
grep '^cpu' "$R/proc/stat" 2>/dev/null
echo "@@itlag cpus"
nproc 2>/dev/null
echo "@@itlag loadavg"
cat "$R/proc/loadavg" 2>/dev/null
echo "@@itlag meminfo"
grep -E '^(MemTotal|MemFree|MemAvailable|Buffers|Cached):' "$R/proc/meminfo" 2>/dev/null
echo "@@itlag uptime"
cat "$R/proc/uptime" 2>/dev/null
echo "@@itlag df"
out=$(df -Pk 2>/dev/null)
[ -n "$out" ] || out=$(df -k 2>/dev/null)
[ -n "$out" ] && printf '%s\n' "$out"
if [ -r "$R/proc/mdstat" ]; then
  echo "@@itlag mdstat"
  cat "$R/proc/mdstat" 2>/dev/null
fi
out=$(ps -eo comm= 2>/dev/null)
if [ -n "$out" ]; then
  echo "@@itlag ps"
  printf '%s\n' "$out"
else
  out=$(ps 2>/dev/null)
  if [ -n "$out" ]; then
    echo "@@itlag ps-table"
    printf '%s\n' "$out"
  else
    echo "@@itlag ps"
    cat "$R"/proc/[0-9]*/comm 2>/dev/null
  fi
fi
if command -v smartctl >/dev/null 2>&1; then
  for d in "$R"/sys/block/*; do
    n=${d##*/}
    case "$n" in
      sd*|hd*|sata*|nvme*n*) ;;
      *) continue ;;
    esac
    t=
    case "$n" in sata*) t="-d sat" ;; esac
    echo "@@itlag smart /dev/$n"
    smartctl -n standby -H $t "/dev/$n" 2>&1
  done
fi
# Failed SSH logins in the current auth log, a security metric.
for f in "$R"/var/log/auth.log "$R"/var/log/secure "$R"/var/log/messages; do
  if [ -r "$f" ]; then
    echo "@@itlag authfail ${f#$R}"
    grep -cE 'sshd.*(Failed password|Invalid user|authentication failure)' "$f" || true
    break
  fi
done
echo "@@itlag end"
`

// Script returns the metrics script. Run it with Transport.Run (it needs
// no stdin); over SSH it takes about 0.5 s (two CPU samples). It reads
// /proc, runs df -Pk (falling back to df -k), ps -eo comm= (falling back to
// ps, then /proc/*/comm), nproc, and smartctl -n standby -H for each
// sd/sata/hd/nvme disk when smartctl exists (as a non-root user smartctl
// usually cannot read the disks: the disks then show as unknown). A
// sleeping disk is not woken.
//
// Every path is prefixed with "${ITLAG_ROOT}", and "${ITLAG_ROOT}/bin" goes
// first on PATH when ITLAG_ROOT is set, so that the script runs against a
// fake root (WriteFakeRoot) through remote.Local.
func Script() string { return script }
