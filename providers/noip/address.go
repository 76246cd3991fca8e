package noip

import (
	"fmt"
	"net/netip"
	"strings"
)

// address is what a host points at: an IPv4 address, an IPv6 address, or
// both. Its text form is the content of a ddns-host resource: "v4", "v6"
// or "v4,v6".
type address struct {
	v4, v6 netip.Addr
}

func (a address) String() string {
	switch {
	case a.v4.IsValid() && a.v6.IsValid():
		return a.v4.String() + "," + a.v6.String()
	case a.v4.IsValid():
		return a.v4.String()
	case a.v6.IsValid():
		return a.v6.String()
	}
	return ""
}

// parseAddress reads a host's content: one address, or one of each family
// separated by a comma, in either order.
func parseAddress(s string) (address, error) {
	var a address
	if strings.TrimSpace(s) == "" {
		return a, fmt.Errorf("no address")
	}
	for part := range strings.SplitSeq(s, ",") {
		ip, err := netip.ParseAddr(strings.TrimSpace(part))
		if err != nil || ip.Zone() != "" {
			return a, fmt.Errorf("address %q: %q is not an IP address", s, part)
		}
		switch ip = ip.Unmap(); {
		case ip.Is4() && !a.v4.IsValid():
			a.v4 = ip
		case ip.Is6() && !a.v6.IsValid():
			a.v6 = ip
		default:
			return a, fmt.Errorf("address %q: two addresses of one family", s)
		}
	}
	return a, nil
}

// family says which address families a host's content holds.
type family struct{ v4, v6 bool }

func (a address) family() family { return family{v4: a.v4.IsValid(), v6: a.v6.IsValid()} }

// pick keeps from addrs (a DNS answer) the lowest address of each family
// in f: what the host points at, in the families wanted.
func pick(addrs []netip.Addr, f family) address {
	var a address
	for _, ip := range addrs {
		switch ip = ip.Unmap(); {
		case ip.Is4() && f.v4 && (!a.v4.IsValid() || ip.Less(a.v4)):
			a.v4 = ip
		case ip.Is6() && f.v6 && (!a.v6.IsValid() || ip.Less(a.v6)):
			a.v6 = ip
		}
	}
	return a
}

// normalizeHost lowercases a hostname, drops a trailing dot and checks it
// is a plain DNS name (letters, digits, hyphens; at least two labels).
func normalizeHost(h string) (string, error) {
	n := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
	labels := strings.Split(n, ".")
	if len(n) > 253 || len(labels) < 2 {
		return "", fmt.Errorf("hostname %q: want a full name like home.ddns.net", h)
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return "", fmt.Errorf("hostname %q: bad label %q", h, l)
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return "", fmt.Errorf("hostname %q: bad character %q", h, r)
			}
		}
	}
	return n, nil
}
