package alert

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/lagrieta/itlag/store/safefile"
)

// OutboxMessage is one webhook call as the outbox keeps it: where it
// would have gone and the body it would have carried.
type OutboxMessage struct {
	// URL is the webhook's URL as the Notifier has it (under --sandbox, a
	// stand-in naming the credential reference, never the real one).
	URL string `json:"url"`
	// Headers are the names of the headers that would have been added;
	// their values may be credentials and are left out.
	Headers []string `json:"headers,omitempty"`
	Payload Payload  `json:"payload"`
}

// deliverOutbox writes one event into dir instead of sending it: an
// e-mail as an RFC 5322 .eml (what SMTP would have carried), a webhook
// call as a .json OutboxMessage. Names start with the time (UTC, to the
// millisecond) and this process's sequence number, so that they sort in
// the order written: "20261207T040512.123Z-0001-email-oncall-start.eml".
// The outbox and its files are opened through store/safefile: created
// private, never through a symlink or a directory others may write.
func deliverOutbox(dir string, p planned, id string, at time.Time) error {
	var body []byte
	ext := ".eml"
	switch p.ev.Channel {
	case ChannelEmail:
		body = compose(p.route.Email, p.msg, id)
	case ChannelWebhook:
		m := OutboxMessage{URL: p.route.Webhook.URL, Payload: p.msg.Payload()}
		for k := range p.route.Webhook.Headers {
			m.Headers = append(m.Headers, k)
		}
		slices.Sort(m.Headers)
		b, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
		body, ext = append(b, '\n'), ".json"
	default:
		return fmt.Errorf("outbox: unknown channel %q", p.ev.Channel)
	}
	seq := outboxSeq.Add(1) % 10000
	base := fmt.Sprintf("%s-%04d-", at.UTC().Format("20060102T150405.000Z"), seq) + p.ev.Channel + "-" + safeName(p.ev.Route) + "-" + string(p.ev.Kind)
	for i := 0; ; i++ {
		name := base + ext
		if i > 0 {
			name = fmt.Sprintf("%s-%d%s", base, i, ext)
		}
		f, err := safefile.OpenFile(filepath.Dir(dir), filepath.Base(dir)+"/"+name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) && i < 1000 {
			continue
		}
		if err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
		_, err = f.Write(body)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("outbox: %s: %w", name, err)
		}
		return nil
	}
}

// outboxSeq numbers the files this process writes into an outbox.
var outboxSeq atomic.Uint32

// safeName keeps letters, digits, '-' and '_' of s for a file name.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '_'
	}, s)
}
