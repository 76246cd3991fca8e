package security

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/transport"
	"github.com/lagrieta/itlag/providers/transport/transporttest"
)

const ssOut = `State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process
LISTEN 0      128          0.0.0.0:22        0.0.0.0:*
LISTEN 0      4096   127.0.0.53%lo:53        0.0.0.0:*
LISTEN 0      128        127.0.0.1:5432      0.0.0.0:*
LISTEN 0      50                 *:445             *:*
LISTEN 0      128             [::]:22           [::]:*
LISTEN 0      128             [::]:5000         [::]:*
`

// procTCP is /proc/net/tcp with 127.0.0.1:5432 and 0.0.0.0:22 listening
// and one established connection; procTCP6 [::]:445 listening.
const procTCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   106        0 20721 1 0000000000000000 100 0 0 10 0
   1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 19411 1 0000000000000000 100 0 0 10 0
   2: 0F02000A:0016 0202000A:C350 01 00000000:00000000 02:0004F2C2 00000000     0        0 30112 4 0000000000000000 20 4 29 10 -1
`
const procTCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:01BD 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 21033 1 0000000000000000 100 0 0 10 0
   1: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 21034 1 0000000000000000 100 0 0 10 0
`

func TestAuditHostPortsAndUpdates(t *testing.T) {
	apt := "Inst libssl3 [3.0.11] (3.0.15 Debian-Security:12/stable-security [amd64])\n" +
		"Inst openssh-server [1:9.2p1-2+deb12u3] (1:9.2p1-2+deb12u5 Debian:12.9/stable [amd64])\n" +
		"Inst tzdata [2024a] (2025b Debian:12-updates/stable-updates [all])\nConf libssl3 (3.0.15)\n"
	strict := "permitrootlogin no\npasswordauthentication no\nkbdinteractiveauthentication no\n"
	tests := []struct {
		name   string
		facts  providers.HostFacts
		policy HostPolicy
		want   []string
		// updates is what the report counts: "security/other", or "unknown".
		updates string
	}{
		{name: "ss, allow-list declared", policy: HostPolicy{AllowedPorts: []int{22, 5000}},
			facts: providers.HostFacts{SSHDEffective: strict, Listening: ssOut, UpdatesTool: "apt"},
			want:  []string{"medium TCP port 445 listens but is not in listening_ports"}, updates: "0/0"},
		{name: "ss, no allow-list: one low finding naming them (loopback ones left out)",
			facts: providers.HostFacts{SSHDEffective: strict, Listening: ssOut, UpdatesTool: "apt"},
			want:  []string{"low declare the ports allowed to listen (listening_ports): listening now on 22, 445, 5000"}, updates: "0/0"},
		{name: "BusyBox without ss: /proc/net/tcp{,6}", policy: HostPolicy{AllowedPorts: []int{}},
			facts: providers.HostFacts{SSHDEffective: strict, ProcNetTCP: map[string]string{"tcp": procTCP, "tcp6": procTCP6}, UpdatesTool: "apt"},
			want: []string{"medium TCP port 22 listens but is not in listening_ports",
				"medium TCP port 445 listens but is not in listening_ports"}, updates: "0/0"},
		{name: "ports unknown; apt: security updates medium, others low", policy: HostPolicy{SkipSSHD: true},
			facts: providers.HostFacts{UpdatesTool: "apt", Updates: apt},
			want: []string{"low 2 other update(s) pending", "low the listening ports could not be read",
				"medium 1 security update(s) pending"}, updates: "1/2"},
		{name: "apt list --upgradable", policy: HostPolicy{SkipSSHD: true, AllowedPorts: []int{22, 445, 5000}},
			facts: providers.HostFacts{Listening: ssOut, UpdatesTool: "apt", Updates: "zlib1g/oldstable-security 1:1.2.13.dfsg-1+deb12u1 amd64 [upgradable from: 1:1.2.13.dfsg-1]\n" +
				"zstd/oldstable-security,oldstable 1.5.4+dfsg2-5+deb12u1 amd64 [upgradable from: 1.5.4+dfsg2-5]\n" +
				"tzdata/stable-updates 2025b-0+deb12u1 all [upgradable from: 2024a-0+deb12u1]\n"},
			want: []string{"low 1 other update(s) pending", "medium 2 security update(s) pending"}, updates: "2/1"},
		{name: "no apt (Synology): updates unknown, not zero", policy: HostPolicy{AllowedPorts: []int{22, 445, 5000}},
			facts: providers.HostFacts{SSHDEffective: strict, Listening: ssOut},
			want:  []string{"low pending updates are unknown (no apt on this NAS)"}, updates: "unknown"},
		{name: "apt failed", policy: HostPolicy{AllowedPorts: []int{22, 445, 5000}},
			facts: providers.HostFacts{SSHDEffective: strict, Listening: ssOut, UpdatesTool: "apt", UpdatesErr: "exit 100"},
			want:  []string{"low pending updates are unknown: the package manager failed"}, updates: "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := AuditHost("security:nas/office", tt.facts, tt.policy)
			checkPrefixes(t, keys(r), tt.want)
			u, ok := r.Updates["security:nas/office"]
			got := "unknown"
			if u != nil {
				got = fmt.Sprintf("%d/%d", u.Security, u.Other)
			}
			if !ok || got != tt.updates {
				t.Errorf("updates counted %s (present %v), want %s", got, ok, tt.updates)
			}
		})
	}
}

func TestParseListenersProc(t *testing.T) {
	ls, ok := ParseListeners(providers.HostFacts{ProcNetTCP: map[string]string{"tcp": procTCP, "tcp6": procTCP6}})
	var got []string
	for _, l := range ls {
		got = append(got, l.Addr.String()+" "+strconv.Itoa(l.Port))
	}
	want := "127.0.0.1 5432,0.0.0.0 22,:: 445,::1 8080"
	if !ok || strings.Join(got, ",") != want {
		t.Fatalf("listeners %q, want %q", got, want)
	}
}

func TestCheckExposure(t *testing.T) {
	l, err := transporttest.OpenPort()
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	openPort := l.Addr().(*net.TCPAddr).Port
	closed, err := transporttest.ClosedPort()
	if err != nil {
		t.Fatal(err)
	}
	_, cp, _ := net.SplitHostPort(closed)
	closedPort, _ := strconv.Atoi(cp)

	ctx := context.Background()
	r := CheckExposure(ctx, ExposureCheck{Address: "203.0.113.50", StandIn: "127.0.0.1", Ports: []int{closedPort, openPort, openPort}},
		Options{Net: transport.Network{Dial: transport.LoopbackOnly(nil)}})
	checkPrefixes(t, keys(r), []string{"high TCP port " + strconv.Itoa(openPort) + " of the office's public address 203.0.113.50 is open from outside"})
	if len(r.Notes) != 1 || !strings.Contains(r.Notes[0], "127.0.0.1 stands in for") {
		t.Errorf("notes %q", r.Notes)
	}
	if r.Findings[0].Source != ExposureSource {
		t.Errorf("source %q", r.Findings[0].Source)
	}

	r = CheckExposure(ctx, ExposureCheck{Address: "203.0.113.50", Ports: []int{openPort}}, Options{Net: transport.Network{Dial: transport.LoopbackOnly(nil)}})
	if len(r.Findings) != 0 {
		t.Errorf("sandbox without stand-in: %+v, want nothing open (nothing dialled)", r)
	}
	many := make([]int, MaxExposurePorts+1)
	for i := range many {
		many[i] = openPort
	}
	r = CheckExposure(ctx, ExposureCheck{Address: "127.0.0.1", Ports: many}, Options{})
	if len(r.Findings) != 0 || len(r.Notes) != 1 {
		t.Errorf("too many ports: %+v, want a note and nothing dialled", r)
	}
}
