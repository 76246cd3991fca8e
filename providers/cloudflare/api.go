package cloudflare

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"

	"github.com/cloudflare/cloudflare-go/v6/dns"
	"github.com/cloudflare/cloudflare-go/v6/option"
	"github.com/cloudflare/cloudflare-go/v6/zones"
	segjson "github.com/segmentio/encoding/json"
)

// The three calls below are the only ones this package makes. Each goes
// through the SDK's typed service method (path, query, auth, error
// decoding) and reads the answer into this package's own wire types
// (decode); the batch also sends its own body with
// option.WithRequestBody. The SDK's typed records (unions decoded by
// reflection) would hide the fields faithful normalisation reads: a null
// comment, the raw TXT content, CAA and SRV data.

// zonesPerPage is the page size of zone lists (the API's default and the
// most Prepare needs per request).
const zonesPerPage = 50

// listZones reads one page of the account's zones: only those named name
// when name is not empty, page page when page > 0.
func (p *Provider) listZones(ctx context.Context, name string, page int) (envelope[[]wZone], error) {
	var q zones.ZoneListParams
	q.PerPage.Value, q.PerPage.Present = zonesPerPage, true
	if name != "" {
		q.Name.Value, q.Name.Present = name, true
	}
	if page > 0 {
		q.Page.Value, q.Page.Present = float64(page), true
	}
	var res envelope[[]wZone]
	var raw *http.Response
	_, err := p.zoneAPI.List(ctx, q, option.WithResponseBodyInto(&raw))
	err = decode(raw, err, &res)
	return res, p.outcome(err, res)
}

// listRecords reads page page of zone id's records, perPage a page.
func (p *Provider) listRecords(ctx context.Context, id string, page, perPage int) (envelope[[]wRecord], error) {
	var q dns.RecordListParams
	q.ZoneID.Value, q.ZoneID.Present = id, true
	q.Page.Value, q.Page.Present = float64(page), true
	q.PerPage.Value, q.PerPage.Present = float64(perPage), true
	var res envelope[[]wRecord]
	var raw *http.Response
	_, err := p.records.List(ctx, q, option.WithResponseBodyInto(&raw))
	err = decode(raw, err, &res)
	return res, p.outcome(err, res)
}

// sendBatch sends b as one batch request to zone id.
func (p *Provider) sendBatch(ctx context.Context, id string, b wBatch) error {
	body, err := json.Marshal(b)
	if err != nil {
		return fmt.Errorf("encode batch: %w", err)
	}
	var q dns.RecordBatchParams
	q.ZoneID.Value, q.ZoneID.Present = id, true
	var res envelope[json.RawMessage]
	var raw *http.Response
	_, err = p.records.Batch(ctx, q,
		option.WithRequestBody("application/json", body),
		option.WithResponseBodyInto(&raw))
	err = decode(raw, err, &res)
	return p.outcome(err, res)
}

// maxPrealloc is the largest announced body decode reads into a buffer of
// that size at once, and the largest answer it reads at all: one of
// unknown length is read as it comes, up to that.
var maxPrealloc int64 = 64 << 20

// bodies are read buffers (*[]byte) passed from one answer to the next:
// decoding copies all it keeps (strings, raw data), so a buffer is free
// again once its answer is decoded. A plan of 50 zones reads 50 answers
// of some 80 kB each.
var bodies sync.Pool

// decode reads the answer of a call that the SDK handed over unread
// (option.WithResponseBodyInto with a **http.Response: the SDK has already
// turned an error status into its error, err) and decodes its JSON body
// into dst. The SDK's own decoding reads the whole body with io.ReadAll,
// a buffer grown from 512 bytes, then copies it into a json.Decoder's
// buffer, grown again: some 27 MB allocated for the 50 list answers of a
// plan of 50 zones of 200 records. Here the body is read once, into a
// buffer of the length the answer announces (reused: bodies), and
// decoded from it by github.com/segmentio/encoding/json, a
// reimplementation of encoding/json (the same API, types and behaviour,
// tested against the standard library's own tests) that decodes these
// answers about three times faster: most of a plan's time in this package
// is decoding them.
func decode(res *http.Response, err error, dst any) error {
	if err != nil {
		return err
	}
	if res == nil || res.Body == nil {
		return errors.New("no answer")
	}
	defer res.Body.Close()
	ct := res.Header.Get("Content-Type")
	if mt, _, _ := mime.ParseMediaType(ct); !strings.Contains(mt, "application/json") && !strings.HasSuffix(mt, "+json") {
		return fmt.Errorf("answer of content type %q, not JSON", ct)
	}
	var b []byte
	if n := res.ContentLength; n > 0 && n <= maxPrealloc {
		bp, _ := bodies.Get().(*[]byte)
		if bp == nil || int64(cap(*bp)) < n {
			bp = new([]byte)
			*bp = make([]byte, n)
		}
		defer bodies.Put(bp)
		b = (*bp)[:n]
		_, err = io.ReadFull(res.Body, b)
	} else {
		b, err = io.ReadAll(io.LimitReader(res.Body, maxPrealloc+1))
		if err == nil && int64(len(b)) > maxPrealloc {
			err = fmt.Errorf("longer than %d MiB", maxPrealloc>>20)
		}
	}
	if err != nil {
		return fmt.Errorf("read answer: %w", err)
	}
	if err := segjson.Unmarshal(b, dst); err != nil {
		return fmt.Errorf("decode answer: %w", err)
	}
	return nil
}

// outcome is the error of a call that answered res: the SDK's error as an
// *APIError, or success:false in a 2xx answer.
func (p *Provider) outcome(err error, res interface{ check() error }) error {
	if err != nil {
		return p.apiError(err)
	}
	return res.check()
}

// envelope is the part of every answer this package reads.
type envelope[T any] struct {
	Success    bool    `json:"success"`
	Errors     []wErr  `json:"errors"`
	Result     T       `json:"result"`
	ResultInfo *wPages `json:"result_info"`
}

type wErr struct {
	Code    int64  `json:"code"`
	Message string `json:"message"`
}

type wPages struct {
	Page       int `json:"page"`
	PerPage    int `json:"per_page"`
	Count      int `json:"count"`
	TotalCount int `json:"total_count"`
	TotalPages int `json:"total_pages"`
}

// check turns a 2xx answer that says success:false into an error.
func (e envelope[T]) check() error {
	if e.Success {
		return nil
	}
	out := &APIError{Status: http.StatusOK}
	for _, w := range e.Errors {
		out.Errors = append(out.Errors, ErrorItem{Code: w.Code, Message: w.Message})
	}
	return out
}
