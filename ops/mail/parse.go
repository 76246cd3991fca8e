package mail

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // ISO-8859-x, windows-125x, …
	gomail "github.com/emersion/go-message/mail"
)

// The defaults of Limits' zero fields.
const (
	DefaultMaxAttachmentBytes = 10 << 20
	DefaultMaxParts           = 200
	DefaultMaxTextBytes       = 1 << 20
	DefaultMaxDepth           = 8
)

func (l Limits) withDefaults() Limits {
	if l.MaxAttachmentBytes <= 0 {
		l.MaxAttachmentBytes = DefaultMaxAttachmentBytes
	}
	if l.MaxParts <= 0 {
		l.MaxParts = DefaultMaxParts
	}
	if l.MaxTextBytes <= 0 {
		l.MaxTextBytes = DefaultMaxTextBytes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	return l
}

// Parse reads one raw RFC 5322 message. It fails only when the header
// itself cannot be read; everything else it could not read (a charset,
// a broken multipart, a truncated part, a limit reached) is said in
// Message.Problems and the rest is kept.
func Parse(raw []byte, lim Limits) (*Message, error) {
	lim = lim.withDefaults()
	e, err := message.Read(bytes.NewReader(raw))
	if err != nil && e == nil {
		return nil, fmt.Errorf("mail: parse: header: %w", err)
	}
	m := &Message{}
	if err != nil {
		m.problem("message: %v", err)
	}
	parseHeader(m, gomail.Header{Header: e.Header})
	p := &parser{m: m, lim: lim}
	p.walk(e, 0, "message")
	p.finish()
	return m, nil
}

func (m *Message) problem(format string, args ...any) {
	if len(m.Problems) < 50 {
		m.Problems = append(m.Problems, fmt.Sprintf(format, args...))
	}
}

func parseHeader(m *Message, h gomail.Header) {
	var err error
	if m.Subject, err = h.Subject(); err != nil {
		m.problem("subject: %v", err)
	}
	m.Subject = oneLine(m.Subject)
	if m.MessageID, err = h.MessageID(); err != nil {
		m.problem("message-id: %v", err)
		m.MessageID = strings.Trim(strings.TrimSpace(h.Get("Message-Id")), "<>")
	}
	if m.Date, err = h.Date(); err != nil {
		m.problem("date: %v", err)
	}
	if from := addresses(m, h, "From"); len(from) > 0 {
		m.From = from[0]
	}
	m.To = addresses(m, h, "To")
	for f := h.FieldsByKey("Authentication-Results"); f.Next(); {
		m.AuthResults = append(m.AuthResults, ParseAuthResults(oneLine(f.Value()))...)
	}
}

// addresses reads an address list, falling back to a lenient reading
// of each comma-separated item ("root (Cron Daemon)", an unqualified
// local part) when the strict parser refuses the field.
func addresses(m *Message, h gomail.Header, key string) []Address {
	list, err := h.AddressList(key)
	if err == nil {
		out := make([]Address, 0, len(list))
		for _, a := range list {
			out = append(out, Address{Name: a.Name, Address: strings.ToLower(a.Address)})
		}
		return out
	}
	m.problem("%s: %v", strings.ToLower(key), err)
	raw, _ := h.Text(key)
	var out []Address
	for item := range strings.SplitSeq(raw, ",") {
		if a, ok := lenientAddress(item); ok {
			out = append(out, a)
		}
	}
	return out
}

// lenientAddress reads `Name <addr>`, `addr (Name)` or a bare addr.
func lenientAddress(s string) (Address, bool) {
	s = strings.TrimSpace(s)
	var a Address
	if i, j := strings.LastIndexByte(s, '<'), strings.LastIndexByte(s, '>'); i >= 0 && j > i {
		a.Name = strings.Trim(strings.TrimSpace(s[:i]), `"`)
		a.Address = strings.TrimSpace(s[i+1 : j])
	} else if i, j := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')'); i >= 0 && j > i {
		a.Name = strings.TrimSpace(s[i+1 : j])
		a.Address = strings.TrimSpace(s[:i])
	} else {
		a.Address = s
	}
	a.Address = strings.ToLower(a.Address)
	if a.Address == "" || strings.ContainsAny(a.Address, " \t") {
		return Address{}, false
	}
	return a, true
}

type parser struct {
	m            *Message
	lim          Limits
	parts        int
	text         int // bytes of text kept
	plain        []string
	html         []string
	links        []string
	capped, deep bool
}

// walk reads entity e at depth, recursing into multiparts.
func (p *parser) walk(e *message.Entity, depth int, where string) {
	p.parts++
	if p.parts > p.lim.MaxParts {
		if !p.capped {
			p.m.problem("more than %d parts: the rest ignored", p.lim.MaxParts)
			p.capped = true
		}
		return
	}
	mediaType, params, err := e.Header.ContentType()
	if err != nil {
		if e.Header.Get("Content-Type") != "" {
			p.m.problem("%s: content-type: %v", where, err)
		}
		mediaType = "text/plain"
	}
	if mr := e.MultipartReader(); mr != nil {
		if depth >= p.lim.MaxDepth {
			if !p.deep {
				p.m.problem("%s: multipart nested deeper than %d: skipped", where, p.lim.MaxDepth)
				p.deep = true
			}
			return
		}
		if params["boundary"] == "" {
			p.m.problem("%s: multipart without a boundary", where)
		}
		for i := 1; ; i++ {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			sub := fmt.Sprintf("%s part %d", where, i)
			if where == "message" {
				sub = fmt.Sprintf("part %d", i)
			}
			if err != nil && part == nil {
				p.m.problem("%s: malformed multipart: %v", sub, err)
				break
			}
			if err != nil {
				p.m.problem("%s: %v", sub, err)
			}
			p.walk(part, depth+1, sub)
			if p.capped {
				break
			}
		}
		return
	}
	disp, dparams, _ := e.Header.ContentDisposition()
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	name = decodeWord(name)
	isText := mediaType == "text/plain" || mediaType == "text/html"
	if disp == "attachment" || !isText || (name != "" && disp != "inline") {
		p.attachment(e, mediaType, name, where)
		return
	}
	p.textPart(e, mediaType, where)
}

func (p *parser) attachment(e *message.Entity, mediaType, name, where string) {
	data, err := io.ReadAll(io.LimitReader(e.Body, p.lim.MaxAttachmentBytes+1))
	a := Attachment{Name: name, ContentType: mediaType}
	if err != nil {
		p.m.problem("%s: attachment %q: %v", where, name, err)
	}
	if int64(len(data)) > p.lim.MaxAttachmentBytes {
		data = data[:p.lim.MaxAttachmentBytes]
		a.Truncated = true
		p.m.problem("%s: attachment %q truncated at %d bytes", where, name, p.lim.MaxAttachmentBytes)
	}
	a.Data = data
	p.m.Attachments = append(p.m.Attachments, a)
}

func (p *parser) textPart(e *message.Entity, mediaType, where string) {
	left := p.lim.MaxTextBytes - p.text
	if left <= 0 {
		p.m.problem("%s: text beyond %d bytes ignored", where, p.lim.MaxTextBytes)
		return
	}
	data, err := io.ReadAll(io.LimitReader(e.Body, int64(left)+1))
	if err != nil {
		p.m.problem("%s: %v", where, err)
	}
	if len(data) > left {
		data = data[:left]
		p.m.problem("%s: text truncated at %d bytes", where, p.lim.MaxTextBytes)
	}
	p.text += len(data)
	s := string(data)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if mediaType == "text/html" {
		text, hrefs := htmlText(s)
		p.html = append(p.html, text)
		p.links = append(p.links, hrefs...)
		p.links = append(p.links, bareLinks(text)...)
		return
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	p.plain = append(p.plain, s)
	p.links = append(p.links, bareLinks(s)...)
}

func (p *parser) finish() {
	parts := p.plain
	if len(parts) == 0 {
		parts = p.html
	}
	p.m.Text = strings.TrimSpace(strings.Join(parts, "\n\n"))
	seen := map[string]bool{}
	for _, l := range p.links {
		if !seen[l] {
			seen[l] = true
			p.m.Links = append(p.m.Links, l)
		}
	}
}

// decodeWord decodes RFC 2047 words in a parameter; the raw value when
// it cannot.
func decodeWord(s string) string {
	d := mime.WordDecoder{CharsetReader: message.CharsetReader}
	if out, err := d.DecodeHeader(s); err == nil {
		return out
	}
	return s
}

// oneLine collapses runs of white space (folding included) to one space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
