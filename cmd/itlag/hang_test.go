package main

import (
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// hangCmds are the testscript commands of a server that never answers:
//
//	hangserver   accept connections on 127.0.0.1 and never answer; sets
//	             $HANG_URL (http://…) and $HANG_ADDR (host:port)
//	hangwait N   wait until it has accepted N connections (so a command
//	             started in the background is known to be stuck on it)
func hangCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	var mu sync.Mutex
	accepted := map[string]*int{} // work dir → connections
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"hangserver": func(ts *testscript.TestScript, neg bool, args []string) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				ts.Fatalf("hangserver: %v", err)
			}
			n := new(int)
			mu.Lock()
			accepted[ts.MkAbs(".")] = n
			mu.Unlock()
			var conns []net.Conn
			go func() {
				for {
					c, err := ln.Accept()
					if err != nil {
						return
					}
					mu.Lock()
					*n++
					conns = append(conns, c)
					mu.Unlock()
				}
			}()
			ts.Defer(func() {
				ln.Close()
				mu.Lock()
				defer mu.Unlock()
				for _, c := range conns {
					c.Close()
				}
			})
			ts.Setenv("HANG_URL", "http://"+ln.Addr().String())
			ts.Setenv("HANG_ADDR", ln.Addr().String())
		},
		"hangwait": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) != 1 {
				ts.Fatalf("usage: hangwait N")
			}
			want, err := strconv.Atoi(args[0])
			if err != nil {
				ts.Fatalf("hangwait: %v", err)
			}
			mu.Lock()
			n := accepted[ts.MkAbs(".")]
			mu.Unlock()
			if n == nil {
				ts.Fatalf("hangwait: no hangserver in this script")
			}
			// generous: only a broken command never connects
			for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(10 * time.Millisecond) {
				mu.Lock()
				got := *n
				mu.Unlock()
				if got >= want {
					return
				}
				if time.Now().After(deadline) {
					ts.Fatalf("hangwait: %d connection(s) after 2 minutes, want %d", got, want)
				}
			}
		},
	}
}
