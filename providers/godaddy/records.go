package godaddy

import (
	"errors"
	"fmt"
	"strings"

	"github.com/lagrieta/itlag/providers"
)

// wRecord is a record on the wire. Lists and PATCH carry type and name; a
// PUT of one record set carries neither (they are in the path).
type wRecord struct {
	Type     string `json:"type,omitempty"`
	Name     string `json:"name,omitempty"`
	Data     string `json:"data"`
	TTL      int    `json:"ttl"`
	Priority *int   `json:"priority,omitempty"`
	Port     *int   `json:"port,omitempty"`
	Weight   *int   `json:"weight,omitempty"`
	Protocol string `json:"protocol,omitempty"`
	Service  string `json:"service,omitempty"`
}

// setKey names one record set as GoDaddy's paths do: type and wire name.
type setKey struct{ typ, name string }

func (k setKey) String() string { return k.typ + " " + k.name }

// toRecord turns a wire record into canonical form. An SRV record's name
// is service.protocol[.name] ("@" standing for none); should GoDaddy give a
// name that already starts with service.protocol, it is taken as it is.
// Data "@" in a host field stands for the zone apex.
func toRecord(zone string, w wRecord) (providers.Record, error) {
	r := providers.Record{Zone: zone, Name: w.Name, Type: strings.ToUpper(w.Type), Content: w.Data, TTL: w.TTL}
	if w.Priority != nil {
		r.Priority = *w.Priority
	}
	switch r.Type {
	case "CNAME", "NS", "MX", "SRV":
		if strings.TrimSpace(w.Data) == "@" {
			r.Content = zone
		}
	}
	if r.Type == "SRV" {
		if w.Weight == nil || w.Port == nil || w.Service == "" || w.Protocol == "" {
			return r, errors.New("SRV without service, protocol, weight or port")
		}
		prefix := strings.ToLower(w.Service + "." + w.Protocol)
		switch n := strings.ToLower(w.Name); {
		case n == "@" || n == "":
			r.Name = prefix
		case n == prefix || strings.HasPrefix(n, prefix+"."):
			r.Name = n
		default:
			r.Name = prefix + "." + n
		}
		r.Content = fmt.Sprintf("%d %d %s", *w.Weight, *w.Port, r.Content)
	}
	return providers.Normalize(r)
}

// toWire turns a canonical (desired) record into the wire form a PATCH
// carries, and names its set and its Key. TTL auto becomes 3600; a TTL
// under 600 or a proxied record is refused, as GoDaddy would.
func toWire(zone string, r providers.Record) (wRecord, setKey, string, error) {
	n, k, err := setOf(zone, r)
	if err != nil {
		return wRecord{}, setKey{}, "", err
	}
	if n.Proxied {
		return wRecord{}, setKey{}, "", errors.New("proxied is not supported by godaddy")
	}
	caps := Capabilities
	if n.TTL == providers.AutoTTL {
		n.TTL = caps.AutoTTL
	}
	if n.TTL < caps.MinTTL {
		return wRecord{}, setKey{}, "", fmt.Errorf("ttl %d is below godaddy's minimum of %d seconds", n.TTL, caps.MinTTL)
	}
	w := wRecord{Type: n.Type, Name: k.name, Data: n.Content, TTL: n.TTL}
	switch n.Type {
	case "MX":
		w.Priority = ptr(n.Priority)
	case "SRV":
		weight, port, target, err := providers.ParseSRV(n.Content)
		if err != nil {
			return wRecord{}, setKey{}, "", err
		}
		labels := strings.SplitN(n.Name, ".", 3)
		w.Service, w.Protocol = labels[0], labels[1]
		w.Data, w.Priority, w.Weight, w.Port = target, ptr(n.Priority), ptr(weight), ptr(port)
	}
	return w, k, n.Key(), nil
}

// setOf normalises r and names the record set it belongs to: type and wire
// name, which for SRV is the owner below _service._protocol ("@" for
// none).
func setOf(zone string, r providers.Record) (providers.Record, setKey, error) {
	if r.Zone == "" {
		r.Zone = zone
	}
	n, err := providers.Normalize(r)
	if err != nil {
		return n, setKey{}, err
	}
	if n.Zone != zone {
		return n, setKey{}, fmt.Errorf("record is for zone %q", r.Zone)
	}
	k := setKey{typ: n.Type, name: n.Name}
	if n.Type == "SRV" {
		labels := strings.SplitN(n.Name, ".", 3)
		if len(labels) < 2 || !strings.HasPrefix(labels[0], "_") || !strings.HasPrefix(labels[1], "_") {
			return n, setKey{}, fmt.Errorf("SRV name %q: want _service._protocol or _service._protocol.name", n.Name)
		}
		k.name = "@"
		if len(labels) == 3 {
			k.name = labels[2]
		}
	}
	return n, k, nil
}

// ownNS reports whether r is one of GoDaddy's own apex NS records.
func ownNS(r providers.Record) bool {
	return r.Type == "NS" && r.Name == "@" && providers.NameServerHost(r.Content) == "godaddy"
}

func ptr(v int) *int { return &v }
