package cloudflare_test

import (
	"compress/gzip"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/cloudflare"
	"github.com/lagrieta/itlag/providers/cloudflare/cloudflaretest"
	"github.com/lagrieta/itlag/providers/providertest"
	"github.com/lagrieta/itlag/providers/transport"
)

// TestObserveAnswerForms reads the same zone through answers of every
// form a server may send: with a Content-Length (the fake's), chunked (no
// length), gzip-compressed (the transport inflates it, length unknown);
// and refuses an answer that is not JSON or is cut short.
func TestObserveAnswerForms(t *testing.T) {
	tests := []struct {
		name    string
		wrap    func(http.Handler) http.Handler
		wantErr string
	}{
		{"content-length", func(h http.Handler) http.Handler { return h }, ""},
		{"chunked", chunked, ""},
		{"gzip", gzipped, ""},
		{"not JSON", retype("text/html; charset=utf-8"), `content type "text/html; charset=utf-8", not JSON`},
		{"cut short", truncated, "unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, recs := servedZone(t, tt.wrap)
			obs, err := p.Observe(ctx(t), "lagrieta.es")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Observe: %v, want an error saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := providertest.SameSet(obs.Records, recs); d != "" {
				t.Fatalf("records differ:%s", d)
			}
		})
	}
}

// servedZone serves a fake holding lagrieta.es with 300 A records through
// wrap, and returns a provider asking it (no retries) and the records.
func servedZone(t *testing.T, wrap func(http.Handler) http.Handler) (*cloudflare.Provider, []providers.Record) {
	t.Helper()
	fake := cloudflaretest.NewHandler(cloudflaretest.Options{})
	fake.AddZone("lagrieta.es")
	recs := manyA("lagrieta.es", 300)
	for _, r := range recs {
		fake.AddRecord("lagrieta.es", cloudflaretest.Record{Name: r.Name, Type: "A", Content: r.Content, TTL: 1})
	}
	srv := httptest.NewServer(wrap(fake))
	t.Cleanup(srv.Close)
	p, err := cloudflare.New(cloudflare.Config{APIURL: srv.URL + cloudflaretest.Prefix, Token: fake.Token(),
		HTTPClient: transport.New(transport.Options{RetryMax: -1})})
	if err != nil {
		t.Fatal(err)
	}
	return p, recs
}

// recorded runs h and returns its answer.
func recorded(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

func copyHeader(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		if k != "Content-Length" {
			w.Header()[k] = v
		}
	}
}

// chunked sends h's answer without a length, flushed in pieces.
func chunked(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := recorded(h, r)
		copyHeader(w, rec)
		w.WriteHeader(rec.Code)
		b := rec.Body.Bytes()
		for len(b) > 0 {
			n := min(len(b), 1000)
			w.Write(b[:n])
			w.(http.Flusher).Flush()
			b = b[n:]
		}
	})
}

// gzipped sends h's answer compressed, as the real API does when asked.
func gzipped(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			http.Error(w, "gzip expected", http.StatusNotAcceptable)
			return
		}
		rec := recorded(h, r)
		copyHeader(w, rec)
		w.Header().Set("Content-Encoding", "gzip")
		w.WriteHeader(rec.Code)
		zw := gzip.NewWriter(w)
		zw.Write(rec.Body.Bytes())
		zw.Close()
	})
}

// retype sends h's answer under another content type.
func retype(ct string) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := recorded(h, r)
			copyHeader(w, rec)
			w.Header().Set("Content-Type", ct)
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes())
		})
	}
}

// truncated announces the whole answer's length but sends half of it and
// hangs up.
func truncated(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := recorded(h, r)
		copyHeader(w, rec)
		b := rec.Body.Bytes()
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.WriteHeader(rec.Code)
		w.Write(b[:len(b)/2])
		w.(http.Flusher).Flush()
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	})
}

// An answer longer than the largest read is refused, whether its length
// is announced or not, instead of being read whole into memory.
func TestObserveRefusesAHugeAnswer(t *testing.T) {
	defer cloudflare.SetMaxAnswer(4096)()
	for _, wrap := range []func(http.Handler) http.Handler{func(h http.Handler) http.Handler { return h }, chunked} {
		p, _ := servedZone(t, wrap)
		if _, err := p.Observe(ctx(t), "lagrieta.es"); err == nil || !strings.Contains(err.Error(), "read answer") {
			t.Errorf("Observe of a %d-byte answer: %v, want it refused", 300*100, err)
		}
	}
}

// TestAnswersKeepTheirRecords observes zones one after the other, their
// answers read into the same reused buffer, and checks that what each
// observation returned still holds once the next answers have been read.
func TestAnswersKeepTheirRecords(t *testing.T) {
	e := setup(t, cloudflaretest.Options{}, cloudflare.Config{})
	zones := []string{"a.example", "b.example", "c.example"}
	want := map[string][]providers.Record{}
	for i, z := range zones {
		e.fake.AddZone(z)
		for j := range 50 {
			r := providers.Record{Zone: z, Name: fmt.Sprintf("%s-%d", z[:1], j), Type: "TXT",
				Content: strings.Repeat(string(rune('p'+i)), 10+j), TTL: 1, Comment: fmt.Sprintf("zone %d record %d", i, j)}
			e.fake.AddRecord(z, cloudflaretest.Record{Name: r.Name + "." + z, Type: "TXT", Content: r.Content, TTL: 1, Comment: r.Comment})
			want[z] = append(want[z], r)
		}
	}
	var got []map[string][]providers.Record
	for range 5 {
		round := map[string][]providers.Record{}
		for _, z := range zones {
			obs, err := e.p.Observe(ctx(t), z)
			if err != nil {
				t.Fatal(err)
			}
			round[z] = obs.Records
		}
		got = append(got, round)
	}
	for i, round := range got {
		for _, z := range zones {
			if d := providertest.SameSet(round[z], want[z]); d != "" {
				t.Fatalf("round %d, zone %s, after the later answers were read:%s", i, z, d)
			}
		}
	}
}
