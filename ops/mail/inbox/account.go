package inbox

import (
	"context"
	"crypto/x509"
	"net"
	"time"
)

// The TLS modes of an account.
const (
	TLSImplicit = "implicit" // TLS from the first byte (port 993)
	TLSStartTLS = "starttls" // STARTTLS required before login (port 143)
)

// Account is one mailbox to read.
type Account struct {
	// Name is the state's name for the account: the cursors are kept
	// under it.
	Name string
	Host string
	Port int
	TLS  string // TLSImplicit or TLSStartTLS
	// Username and Password are resolved secrets: never in an error.
	Username string
	Password string
	// Folders are read in order (default ["INBOX"]).
	Folders []string
	// MoveTo, when set, is the folder each handled message is moved into
	// (UID MOVE, or UID COPY + \Deleted + UID EXPUNGE of that UID alone).
	MoveTo string
	// MaxMessageBytes is the largest message fetched (RFC822.SIZE); a
	// larger one is handed over without its body (Fetched.TooBig).
	MaxMessageBytes int64
	// Dial opens the TCP connection (the runtime's network policy); nil
	// means a net.Dialer.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// RootCAs verifies the server's certificate; nil means the system's.
	RootCAs *x509.CertPool
	// Timeout bounds each IMAP command (and the dial and greeting);
	// default 60 s.
	Timeout time.Duration
	// PollInterval is how often Wait polls with NOOP when the server does
	// not offer IDLE; default 1 min.
	PollInterval time.Duration
}

// Fetched is one message handed to the Handler.
type Fetched struct {
	Folder       string
	UIDValidity  uint32
	UID          uint32
	Size         int64
	InternalDate time.Time
	// Raw is the whole message (nil when TooBig).
	Raw    []byte
	TooBig bool
	// Header is a TooBig message's header (BODY.PEEK[HEADER]), so that a
	// person can be told which message it is; nil otherwise.
	Header []byte
}

// Key is "folder/uidvalidity/uid": the message's identity in this account.
func (f Fetched) Key() string {
	return f.Folder + "/" + itoa(f.UIDValidity) + "/" + itoa(f.UID)
}

func itoa(n uint32) string {
	var b [10]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return string(b[i:])
}

// Handler takes each new message of a folder in UID order. It must be
// idempotent for the same (account, Fetched.Key()): a pass cut off after
// the handler returned but before the cursor moved hands the message over
// again. An error stops the pass; the cursor stays before that message.
type Handler func(ctx context.Context, f Fetched) error

// Stats say what one pass did.
type Stats struct {
	Folders int `json:"folders"`
	// New are the messages above the cursors; Fetched of them had their
	// body fetched, TooBig did not.
	New     int   `json:"new"`
	Fetched int   `json:"fetched"`
	TooBig  int   `json:"too_big"`
	Bytes   int64 `json:"bytes"`
	Moved   int   `json:"moved"`
	// Commands counts the IMAP commands sent (round trips).
	Commands int `json:"commands"`
	// Reset lists the folders whose UIDVALIDITY changed since the last
	// pass (read again from the start).
	Reset []string `json:"reset,omitempty"`
}
