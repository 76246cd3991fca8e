package main

import (
	"encoding/base64"
	"flag"
	"net"
	"net/textproto"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// smtpSink is a minimal SMTP server on loopback (EHLO, AUTH PLAIN, MAIL,
// RCPT, DATA, QUIT; no TLS: itlag allows plain SMTP to loopback only). It
// keeps every message it accepts; with reject set it refuses every AUTH
// and echoes what it got, as a careless server might, to see whether
// itlag repeats the server's words.
type smtpSink struct {
	user, pass string
	reject     bool
	mu         sync.Mutex
	mails      []string
}

func (s *smtpSink) serve(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	tp := textproto.NewConn(c)
	reply := func(l string) { tp.PrintfLine("%s", l) }
	reply("220 sink.local ESMTP")
	authed := false
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			reply("250-sink.local")
			reply("250 AUTH PLAIN")
		case "AUTH":
			_, resp, _ := strings.Cut(arg, " ")
			b, _ := base64.StdEncoding.DecodeString(resp)
			parts := strings.Split(string(b), "\x00")
			switch {
			case s.reject:
				reply("535 authentication failed for " + resp)
			case len(parts) == 3 && parts[1] == s.user && parts[2] == s.pass:
				authed = true
				reply("235 ok")
			default:
				reply("535 authentication failed")
			}
		case "MAIL":
			if !authed {
				reply("530 authentication required")
				continue
			}
			reply("250 ok")
		case "RCPT", "RSET", "NOOP":
			reply("250 ok")
		case "DATA":
			reply("354 go ahead")
			b, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.mails = append(s.mails, string(b))
			s.mu.Unlock()
			reply("250 queued")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("500 unknown command")
		}
	}
}

func smtpCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	var mu sync.Mutex
	sinks := map[string]*smtpSink{} // work dir + VAR → sink
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		// smtpsink [-reject] VAR USER PASS: an SMTP server on 127.0.0.1
		// accepting AUTH PLAIN as USER/PASS (or, with -reject, refusing
		// it and echoing the credentials); its port goes in $VAR.
		"smtpsink": func(ts *testscript.TestScript, neg bool, args []string) {
			fs := flag.NewFlagSet("smtpsink", flag.ContinueOnError)
			reject := fs.Bool("reject", false, "refuse every AUTH, echoing it")
			if err := fs.Parse(args); err != nil || fs.NArg() != 3 {
				ts.Fatalf("usage: smtpsink [-reject] VAR USER PASS")
			}
			s := &smtpSink{user: fs.Arg(1), pass: fs.Arg(2), reject: *reject}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			ts.Check(err)
			ts.Defer(func() { ln.Close() })
			go func() {
				for {
					c, err := ln.Accept()
					if err != nil {
						return
					}
					go s.serve(c)
				}
			}()
			mu.Lock()
			sinks[ts.MkAbs(fs.Arg(0))] = s
			mu.Unlock()
			ts.Setenv(fs.Arg(0), strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
		},
		// smtpdump VAR FILE: write the messages the sink of $VAR accepted
		// into FILE; it fails when there is none.
		"smtpdump": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) != 2 {
				ts.Fatalf("usage: smtpdump VAR FILE")
			}
			mu.Lock()
			s := sinks[ts.MkAbs(args[0])]
			mu.Unlock()
			if s == nil {
				ts.Fatalf("smtpdump: no sink %s", args[0])
			}
			s.mu.Lock()
			defer s.mu.Unlock()
			if len(s.mails) == 0 {
				ts.Fatalf("smtpdump: the sink of $%s received no mail", args[0])
			}
			ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(strings.Join(s.mails, "\n")), 0o600))
		},
	}
}
