package sandbox

import (
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"log"
	"maps"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// WebFile is the website fake's world in the sandbox directory: how each
// host answers. Editing it changes what the next probe sees.
const WebFile = "web.json"

// SeededStatus is what the seeded broken website answers.
const SeededStatus = http.StatusServiceUnavailable

// maxDelay bounds a host's declared delay.
const maxDelay = time.Minute

// WebWorld is WebFile's content.
type WebWorld struct {
	// Hosts say how each host answers, by name.
	Hosts map[string]WebHost `json:"hosts"`
}

// WebHost is how one host answers: with Status (0 is 200) after Delay (a
// Go duration, "2s"; "" is none).
type WebHost struct {
	Status int    `json:"status"`
	Delay  string `json:"delay,omitempty"`
}

// web is the website fake: every declared host, over HTTP and HTTPS (a
// leaf signed by the sandbox CA per name), on two loopback listeners.
type web struct {
	path  string
	pages map[string][]string // host → texts its page contains
	http  *http.Server
	https *http.Server
	// httpAddr and httpsAddr are the listeners' 127.0.0.1:PORT.
	httpAddr, httpsAddr string
}

// startWeb seeds dir's web.json for sites (one host, the first of seedDown's,
// down) when it does not exist yet, adds hosts it does not name (up), and
// starts the listeners. sites are the hosts and the texts their pages
// must contain.
func startWeb(dir string, c *ca, sites map[string][]string, seedDown []string) (*web, error) {
	w := &web{path: filepath.Join(dir, WebFile), pages: sites}
	if err := w.seed(sites, seedDown); err != nil {
		return nil, err
	}
	hl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("sandbox: web: %w", err)
	}
	sl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		hl.Close()
		return nil, fmt.Errorf("sandbox: web: %w", err)
	}
	w.httpAddr, w.httpsAddr = hl.Addr().String(), sl.Addr().String()
	quiet := log.New(io.Discard, "", 0) // a refused TLS 1.0 audit is no news
	w.http = &http.Server{Handler: w.handler(false), ReadHeaderTimeout: 10 * time.Second, ErrorLog: quiet}
	w.https = &http.Server{Handler: w.handler(true), ReadHeaderTimeout: 10 * time.Second, ErrorLog: quiet}
	tl := tls.NewListener(sl, &tls.Config{GetCertificate: c.getCertificate, MinVersion: tls.VersionTLS12})
	go w.http.Serve(hl)
	go w.https.Serve(tl)
	return w, nil
}

// seed writes web.json on first use and adds the hosts it lacks.
func (w *web) seed(sites map[string][]string, seedDown []string) error {
	world, err := w.read()
	fresh := errors.Is(err, fs.ErrNotExist)
	if err != nil && !fresh {
		return err
	}
	changed := false
	for _, h := range slices.Sorted(maps.Keys(sites)) {
		if _, ok := world.Hosts[h]; ok {
			continue
		}
		world.Hosts[h] = WebHost{Status: http.StatusOK}
		changed = true
	}
	if fresh && len(seedDown) > 0 {
		world.Hosts[seedDown[0]] = WebHost{Status: SeededStatus}
	}
	if !changed && !fresh {
		return nil
	}
	b, err := json.MarshalIndent(world, "", "  ")
	if err == nil {
		err = writeAtomic(w.path, append(b, '\n'))
	}
	if err != nil {
		return fmt.Errorf("sandbox: %s: %w", WebFile, err)
	}
	return nil
}

// read reads web.json (an empty world, and fs.ErrNotExist, when absent).
func (w *web) read() (WebWorld, error) {
	world := WebWorld{Hosts: map[string]WebHost{}}
	b, err := os.ReadFile(w.path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return world, err
		}
		return world, fmt.Errorf("sandbox: %w", err)
	}
	if err := json.Unmarshal(b, &world); err != nil {
		return world, fmt.Errorf("sandbox: %s: %w", WebFile, err)
	}
	if world.Hosts == nil {
		world.Hosts = map[string]WebHost{}
	}
	return world, nil
}

// handler answers as web.json says, read at each request (so that an
// edit shows at once, even to a running watch), with a page holding
// every text the host's monitors look for.
func (w *web) handler(secure bool) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		host := strings.ToLower(r.Host)
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		world, err := w.read()
		if err != nil {
			http.Error(rw, err.Error(), http.StatusInternalServerError)
			return
		}
		h, ok := world.Hosts[host]
		if !ok {
			http.Error(rw, "sandbox: no website "+host+" (add it to "+WebFile+")", http.StatusNotFound)
			return
		}
		if d, err := time.ParseDuration(h.Delay); err == nil && d > 0 {
			select {
			case <-time.After(min(d, maxDelay)):
			case <-r.Context().Done():
				return
			}
		}
		if secure {
			rw.Header().Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		status := h.Status
		if status == 0 {
			status = http.StatusOK
		}
		rw.Header().Set("Content-Type", "text/html; charset=utf-8")
		rw.WriteHeader(status)
		fmt.Fprintf(rw, "<!doctype html>\n<title>%s</title>\n<h1>%s (itlag sandbox)</h1>\n", html.EscapeString(host), html.EscapeString(host))
		for _, s := range w.pages[host] {
			fmt.Fprintf(rw, "<p>%s</p>\n", s) // as declared: "body contains" compares raw bytes
		}
	})
}

func (w *web) close() {
	w.http.Close()
	w.https.Close()
}
