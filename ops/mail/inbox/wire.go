package inbox

import (
	"fmt"
	"net"
	"sync/atomic"
)

// wire is the connection under the IMAP client, above TLS: it counts the
// server's tagged responses (one per command: the round trips) and the
// bytes read, following literals so that a message body that happens to
// hold a line like "a1 OK" is not counted.
type wire struct {
	net.Conn
	// greeting, when set, is read before the connection (the greeting
	// the client expects after we did STARTTLS ourselves).
	greeting []byte

	// maxLiteral, when positive, is the largest literal accepted: the
	// client reads each literal whole into memory, so a server's claim is
	// checked before it is believed.
	maxLiteral int64
	err        error

	tagged atomic.Int64
	read   atomic.Int64

	// the response parser's state (only the reading goroutine touches it)
	literal  int64 // bytes of a literal still to skip
	started  bool  // the line's first byte is seen
	untagged bool  // the line starts with "*" or "+"
	inBrace  bool  // inside "{digits"
	closed   bool  // the line so far ends with "{digits}" (and maybe "\r")
	num      int64
}

func (w *wire) Read(p []byte) (int, error) {
	if len(w.greeting) > 0 {
		n := copy(p, w.greeting)
		w.greeting = w.greeting[n:]
		return n, nil
	}
	if w.err != nil {
		return 0, w.err
	}
	n, err := w.Conn.Read(p)
	w.read.Add(int64(n))
	w.scan(p[:n])
	if w.err != nil {
		return n, w.err
	}
	return n, err
}

// scan follows the server's responses: a line that does not start with
// "*" or "+" is a tagged response; a line ending in "{N}" continues after
// an N-byte literal.
func (w *wire) scan(p []byte) {
	for len(p) > 0 {
		if w.literal > 0 {
			k := int64(len(p))
			if k > w.literal {
				k = w.literal
			}
			w.literal -= k
			p = p[k:]
			continue
		}
		b := p[0]
		p = p[1:]
		if !w.started {
			w.started, w.untagged = true, b == '*' || b == '+'
		}
		switch {
		case b == '{':
			w.inBrace, w.closed, w.num = true, false, 0
		case w.inBrace && b >= '0' && b <= '9':
			if w.num < 1<<40 {
				w.num = w.num*10 + int64(b-'0')
			}
		case w.inBrace && b == '}':
			w.inBrace, w.closed = false, true
		case b == '\r' && w.closed:
		case b == '\n':
			if w.closed {
				w.literal = w.num // the line goes on after the literal
				if w.maxLiteral > 0 && w.num > w.maxLiteral {
					w.err = fmt.Errorf("the server announced a %d-byte literal, above the %d-byte limit", w.num, w.maxLiteral)
				}
			} else {
				if !w.untagged {
					w.tagged.Add(1)
				}
				w.started = false
			}
			w.inBrace, w.closed = false, false
		default:
			w.inBrace, w.closed = false, false
		}
	}
}
