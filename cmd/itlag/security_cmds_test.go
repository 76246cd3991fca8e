//go:debug tls10server=1

package main

import (
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/lagrieta/itlag/providers/transport/transporttest"
)

// securityCmds start what the security checks look at, on 127.0.0.1.
func securityCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		// tlssite NAME [legacy]: an https server (httptest's certificate:
		// not trusted) answering 200 everywhere; $NAME_URL. Plain, it
		// offers TLS 1.2 and 1.3 and sends HSTS; legacy, it offers only
		// TLS 1.0 (this test binary runs with tls10server=1) and no HSTS.
		"tlssite": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) < 1 || len(args) > 2 || (len(args) == 2 && args[1] != "legacy") {
				ts.Fatalf("usage: tlssite NAME [legacy]")
			}
			legacy := len(args) == 2
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				if !legacy {
					w.Header().Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
				}
				fmt.Fprintln(w, "ok")
			}))
			srv.Config.ErrorLog = log.New(io.Discard, "", 0)
			srv.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
			if legacy {
				srv.TLS = &tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS10}
			}
			srv.StartTLS()
			ts.Defer(srv.Close)
			ts.Setenv(args[0]+"_URL", srv.URL)
		},
		// openport NAME: a TCP listener on 127.0.0.1 accepting and closing
		// connections; its port in $NAME.
		"openport": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) != 1 {
				ts.Fatalf("usage: openport NAME")
			}
			l, err := transporttest.OpenPort()
			ts.Check(err)
			ts.Defer(func() { l.Close() })
			ts.Setenv(args[0], strconv.Itoa(l.Addr().(*net.TCPAddr).Port))
		},
		// closedport NAME: a port on 127.0.0.1 nothing listens on, in $NAME.
		"closedport": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) != 1 {
				ts.Fatalf("usage: closedport NAME")
			}
			addr, err := transporttest.ClosedPort()
			ts.Check(err)
			_, port, _ := net.SplitHostPort(addr)
			ts.Setenv(args[0], port)
		},
	}
}
