package inbox

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
)

// startTLS reads the plain-text greeting, makes sure the server offers
// STARTTLS, issues it and returns the TLS connection and the number of
// commands sent. Nothing but CAPABILITY and STARTTLS is ever sent in plain
// text; a server that sends anything after its STARTTLS answer and before
// the handshake (a response injection) is refused.
func startTLS(ctx context.Context, conn net.Conn, cfg *tls.Config) (*tls.Conn, int, error) {
	r := bufio.NewReader(conn)
	greeting, err := r.ReadString('\n')
	if err != nil {
		return nil, 0, fmt.Errorf("greeting: %w", err)
	}
	up := strings.ToUpper(greeting)
	if !strings.HasPrefix(up, "* OK") {
		return nil, 0, fmt.Errorf("greeting %q: want * OK", strings.TrimSpace(greeting))
	}
	caps := capsIn(up)
	n := 0
	if caps == nil {
		lines, err := command(conn, r, "C1 CAPABILITY")
		n++
		if err != nil {
			return nil, n, err
		}
		for _, l := range lines {
			if u := strings.ToUpper(l); strings.HasPrefix(u, "* CAPABILITY ") {
				caps = fieldsSet(strings.TrimPrefix(u, "* CAPABILITY "))
			}
		}
	}
	if !caps["STARTTLS"] {
		return nil, n, ErrNoStartTLS
	}
	if _, err := command(conn, r, "S1 STARTTLS"); err != nil {
		return nil, n + 1, err
	}
	n++
	if r.Buffered() > 0 {
		return nil, n, errors.New("the server sent data between its STARTTLS answer and the TLS handshake: refusing")
	}
	tc := tls.Client(conn, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		return nil, n, err
	}
	return tc, n, nil
}

// command sends one plain-text command line and reads up to its tagged
// answer, which must be OK; it returns the untagged lines.
func command(conn net.Conn, r *bufio.Reader, line string) ([]string, error) {
	tag, name, _ := strings.Cut(line, " ")
	if _, err := conn.Write([]byte(line + "\r\n")); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var untagged []string
	for {
		l, err := r.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if !strings.HasPrefix(l, tag+" ") {
			untagged = append(untagged, l)
			continue
		}
		if rest := strings.TrimPrefix(l, tag+" "); !strings.HasPrefix(strings.ToUpper(rest), "OK") {
			return nil, fmt.Errorf("%s: %s", name, strings.TrimSpace(rest))
		}
		return untagged, nil
	}
}

// capsIn reads "[CAPABILITY ...]" in an (upper-cased) greeting; nil when
// it has none.
func capsIn(greeting string) map[string]bool {
	_, rest, ok := strings.Cut(greeting, "[CAPABILITY ")
	if !ok {
		return nil
	}
	list, _, _ := strings.Cut(rest, "]")
	return fieldsSet(list)
}

func fieldsSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, f := range strings.Fields(s) {
		m[f] = true
	}
	return m
}
