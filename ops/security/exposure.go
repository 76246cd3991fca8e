package security

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/lagrieta/itlag/finding"
)

// ExposureSource is the source of the exposure check's findings: one
// fingerprint per port, whatever the office's address is today.
const ExposureSource = "security:exposure"

// Exposure bounds: at most MaxExposurePorts ports, ExposureConcurrency
// connects at once, the whole check within ExposureDeadline.
const (
	MaxExposurePorts    = 32
	ExposureConcurrency = 4
	ExposureDeadline    = 30 * time.Second
)

// ExposureCheck is the office's own public address and the ports that
// must be closed from outside.
type ExposureCheck struct {
	// Address is the office's public address (what NoIP holds).
	Address string
	// Ports must refuse (or drop) a TCP connection.
	Ports []int
	// StandIn, when set, is contacted instead of Address (the sandbox's
	// loopback stand-in); findings still name Address.
	StandIn string
}

// CheckExposure tries one TCP connection (no byte sent) to each port,
// a few at a time, each within the options' timeout and all within
// ExposureDeadline. A connection accepted is a high finding; refused or
// timed out is closed. More than MaxExposurePorts ports is refused
// outright.
func CheckExposure(ctx context.Context, c ExposureCheck, o Options) Report {
	target := c.Address
	if c.StandIn != "" {
		target = c.StandIn
	}
	if len(c.Ports) > MaxExposurePorts {
		return Report{Notes: []string{fmt.Sprintf("exposure: %d ports declared, at most %d are checked: nothing checked", len(c.Ports), MaxExposurePorts)}}
	}
	var r Report
	if c.StandIn != "" {
		r.Notes = append(r.Notes, fmt.Sprintf("exposure: %s stands in for the office's public address %s", c.StandIn, c.Address))
	}
	ctx, cancel := context.WithTimeout(ctx, ExposureDeadline)
	defer cancel()
	ports := slices.Clone(c.Ports)
	slices.Sort(ports)
	ports = slices.Compact(ports)
	open := make([]bool, len(ports))
	sem := make(chan struct{}, ExposureConcurrency)
	var wg sync.WaitGroup
	for i, p := range ports {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			dctx, cancel := context.WithTimeout(ctx, o.timeout())
			defer cancel()
			conn, err := o.Net.DialContext(dctx, "tcp", net.JoinHostPort(target, strconv.Itoa(p)))
			if err == nil {
				conn.Close()
				open[i] = true
			}
		}()
	}
	wg.Wait()
	for i, p := range ports {
		if open[i] {
			r.Findings = append(r.Findings, finding.New(finding.High, ExposureSource, "port:"+strconv.Itoa(p),
				fmt.Sprintf("TCP port %d of the office's public address %s is open from outside: close it on the router", p, c.Address)))
		}
	}
	if ctx.Err() != nil {
		r.Notes = append(r.Notes, "exposure: the check ran out of time; some ports were not tried")
	}
	return r
}
