// Package clientaddr decides which address a request came from, for rate limits and the audit log.
//
// The contract: without trusted proxies the answer is the TCP peer's host; forwarded headers are ignored,
// since anyone can send them. With trusted proxies (CIDR ranges, e.g. the district's load balancers), when
// the peer is one of them the answer is the right-most X-Forwarded-For entry that is not itself a trusted
// proxy (each proxy appends the address it received the request from, so entries to the left of the last
// untrusted one may be forged). A malformed entry stops the walk and the last trusted hop's view is used.
package clientaddr

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Resolver names the client of a request. The zero value trusts no proxy.
type Resolver struct {
	trusted []netip.Prefix
}

// Parse builds a Resolver from a comma-separated list of CIDR ranges or single addresses ("" trusts none).
func Parse(list string) (Resolver, error) {
	var r Resolver
	for _, s := range strings.Split(list, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				return Resolver{}, fmt.Errorf("trusted proxy %q: want a CIDR range (10.0.0.0/8) or an address", s)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		r.trusted = append(r.trusted, p.Masked())
	}
	return r, nil
}

// Trusts reports whether addr is a trusted proxy.
func (r Resolver) Trusts(addr netip.Addr) bool {
	addr = addr.Unmap()
	for _, p := range r.trusted {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// Addr is the client's address for r (see the package contract).
func (r Resolver) Addr(req *http.Request) string {
	peer := req.RemoteAddr
	if host, _, err := net.SplitHostPort(peer); err == nil && host != "" {
		peer = host
	}
	a, err := netip.ParseAddr(peer)
	if err != nil || !r.Trusts(a) {
		return peer
	}
	hops := strings.Split(strings.Join(req.Header.Values("X-Forwarded-For"), ","), ",")
	client := a
	for i := len(hops) - 1; i >= 0; i-- {
		h, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		client = h.Unmap()
		if !r.Trusts(client) {
			break
		}
	}
	return client.String()
}
