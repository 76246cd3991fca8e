package dmarc

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// DefaultMaxBytes is the most Parse decompresses when maxBytes <= 0.
const DefaultMaxBytes = 20 << 20

// ErrTooLarge is returned when a report decompresses to more than the cap.
var ErrTooLarge = errors.New("report larger than the limit")

// Parse reads one aggregate report: zip (its first .xml entry), gzip or
// plain XML, told apart by their first bytes. It never decompresses
// more than maxBytes (DefaultMaxBytes when <= 0): a larger report is
// ErrTooLarge. Missing fields are left empty; DTD entities are not
// expanded (encoding/xml refuses them).
func Parse(data []byte, maxBytes int64) (*Report, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	xmlData, err := extract(data, maxBytes)
	if err != nil {
		return nil, fmt.Errorf("dmarc: %w", err)
	}
	r, err := decode(xmlData)
	if err != nil {
		return nil, fmt.Errorf("dmarc: xml: %w", err)
	}
	return r, nil
}

func extract(data []byte, maxBytes int64) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return nil, fmt.Errorf("zip: %w", err)
		}
		for _, f := range zr.File {
			if !strings.HasSuffix(strings.ToLower(f.Name), ".xml") {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				return nil, fmt.Errorf("zip: %s: %w", f.Name, err)
			}
			defer rc.Close()
			b, err := readCapped(rc, maxBytes)
			if err != nil {
				return nil, fmt.Errorf("zip: %s: %w", f.Name, err)
			}
			return b, nil
		}
		return nil, errors.New("zip: no .xml entry")
	case bytes.HasPrefix(data, []byte("\x1f\x8b")):
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		b, err := readCapped(zr, maxBytes)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		return b, nil
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if !bytes.HasPrefix(trimmed, []byte("<")) {
		return nil, errors.New("neither zip, gzip nor XML")
	}
	if int64(len(data)) > maxBytes {
		return nil, ErrTooLarge
	}
	return data, nil
}

// readCapped reads r whole, or fails with ErrTooLarge past maxBytes.
func readCapped(r io.Reader, maxBytes int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > maxBytes {
		return nil, fmt.Errorf("%w (%d bytes)", ErrTooLarge, maxBytes)
	}
	return b, nil
}

// The XML of RFC 7489 appendix C. Tags without a namespace also match
// DMARCbis's urn:ietf:params:xml:ns:dmarc-2.0 elements.
type feedback struct {
	XMLName  xml.Name `xml:"feedback"`
	Metadata struct {
		OrgName   string `xml:"org_name"`
		ReportID  string `xml:"report_id"`
		DateRange struct {
			Begin string `xml:"begin"`
			End   string `xml:"end"`
		} `xml:"date_range"`
	} `xml:"report_metadata"`
	Policy struct {
		Domain string `xml:"domain"`
		P      string `xml:"p"`
	} `xml:"policy_published"`
	Records []struct {
		Row struct {
			SourceIP string `xml:"source_ip"`
			Count    string `xml:"count"`
			Policy   struct {
				Disposition string `xml:"disposition"`
				DKIM        string `xml:"dkim"`
				SPF         string `xml:"spf"`
			} `xml:"policy_evaluated"`
		} `xml:"row"`
		Identifiers struct {
			HeaderFrom   string `xml:"header_from"`
			EnvelopeFrom string `xml:"envelope_from"`
		} `xml:"identifiers"`
		Auth struct {
			DKIM []authResult `xml:"dkim"`
			SPF  []authResult `xml:"spf"`
		} `xml:"auth_results"`
	} `xml:"record"`
}

type authResult struct {
	Domain string `xml:"domain"`
	Result string `xml:"result"`
}

func decode(data []byte) (*Report, error) {
	var f feedback
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "us-ascii", "ascii", "iso-8859-1", "latin1": // read as UTF-8: the fields are ASCII
			return r, nil
		}
		return nil, fmt.Errorf("charset %q", label)
	}
	if err := d.Decode(&f); err != nil {
		return nil, err
	}
	r := &Report{
		Org:      trimID(f.Metadata.OrgName),
		ReportID: trimID(f.Metadata.ReportID),
		Domain:   strings.ToLower(strings.TrimSpace(f.Policy.Domain)),
		Policy:   strings.ToLower(strings.TrimSpace(f.Policy.P)),
		Begin:    unix(f.Metadata.DateRange.Begin),
		End:      unix(f.Metadata.DateRange.End),
	}
	for _, rec := range f.Records {
		row := Row{
			SourceIP:    strings.TrimSpace(rec.Row.SourceIP),
			HeaderFrom:  strings.ToLower(strings.TrimSpace(rec.Identifiers.HeaderFrom)),
			Disposition: strings.ToLower(strings.TrimSpace(rec.Row.Policy.Disposition)),
			DKIM:        strings.ToLower(strings.TrimSpace(rec.Row.Policy.DKIM)),
			SPF:         strings.ToLower(strings.TrimSpace(rec.Row.Policy.SPF)),
		}
		row.Count, _ = strconv.Atoi(strings.TrimSpace(rec.Row.Count))
		for _, a := range rec.Auth.DKIM {
			row.AuthDKIM = append(row.AuthDKIM, AuthResult{Domain: strings.ToLower(strings.TrimSpace(a.Domain)), Result: strings.ToLower(strings.TrimSpace(a.Result))})
		}
		for _, a := range rec.Auth.SPF {
			row.AuthSPF = append(row.AuthSPF, AuthResult{Domain: strings.ToLower(strings.TrimSpace(a.Domain)), Result: strings.ToLower(strings.TrimSpace(a.Result))})
		}
		r.Rows = append(r.Rows, row)
	}
	return r, nil
}

// trimID trims white space and the angle brackets of "<id@host>".
func trimID(s string) string {
	return strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "<>"))
}

// unix reads seconds since the epoch; zero time when absent or bad.
func unix(s string) time.Time {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}
	}
	return time.Unix(n, 0).UTC()
}
