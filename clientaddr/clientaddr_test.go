package clientaddr

import (
	"net/http"
	"testing"
)

func TestAddr(t *testing.T) {
	tests := []struct {
		name, trusted, peer string
		xff                 []string
		want                string
	}{
		{"no proxies: the peer", "", "203.0.113.7:5000", []string{"198.51.100.1"}, "203.0.113.7"},
		{"untrusted peer: forwarded header ignored", "10.0.0.0/8", "203.0.113.7:5000", []string{"198.51.100.1"}, "203.0.113.7"},
		{"trusted proxy: the client it saw", "10.0.0.0/8", "10.1.2.3:443", []string{"198.51.100.1"}, "198.51.100.1"},
		{"forged left entries are skipped", "10.0.0.0/8", "10.1.2.3:443", []string{"1.1.1.1, 198.51.100.1"}, "198.51.100.1"},
		{"two trusted hops", "10.0.0.0/8, 192.168.0.5", "10.1.2.3:443", []string{"198.51.100.1, 192.168.0.5"}, "198.51.100.1"},
		{"several header lines", "10.0.0.0/8", "10.1.2.3:443", []string{"1.1.1.1", "198.51.100.9"}, "198.51.100.9"},
		{"only trusted hops: the left-most", "10.0.0.0/8", "10.1.2.3:443", []string{"10.9.9.9"}, "10.9.9.9"},
		{"garbage stops the walk", "10.0.0.0/8", "10.1.2.3:443", []string{"198.51.100.1, not-an-ip"}, "10.1.2.3"},
		{"no header behind a proxy", "10.0.0.0/8", "10.1.2.3:443", nil, "10.1.2.3"},
		{"IPv6 proxy", "2001:db8::/32", "[2001:db8::1]:443", []string{"198.51.100.1"}, "198.51.100.1"},
		{"IPv4-mapped peer", "10.0.0.0/8", "[::ffff:10.1.2.3]:443", []string{"198.51.100.1"}, "198.51.100.1"},
		{"peer without a port", "", "203.0.113.7", nil, "203.0.113.7"},
	}
	for _, tc := range tests {
		r, err := Parse(tc.trusted)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		req, _ := http.NewRequest("GET", "/", nil)
		req.RemoteAddr = tc.peer
		for _, v := range tc.xff {
			req.Header.Add("X-Forwarded-For", v)
		}
		if got := r.Addr(req); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestParseRefusesNonsense(t *testing.T) {
	for _, s := range []string{"10.0.0.0/33", "proxy.local", "10.0.0.0/8,,banana"} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) accepted", s)
		}
	}
}

func FuzzAddr(f *testing.F) {
	f.Add("10.0.0.0/8", "10.1.2.3:443", "1.1.1.1, 198.51.100.1")
	f.Add("", "[::1]:1", "")
	f.Fuzz(func(t *testing.T, trusted, peer, xff string) {
		r, err := Parse(trusted)
		if err != nil {
			return
		}
		req, _ := http.NewRequest("GET", "/", nil)
		req.RemoteAddr = peer
		req.Header.Set("X-Forwarded-For", xff)
		if r.Addr(req) == "" && peer != "" {
			t.Errorf("empty address for peer %q", peer)
		}
	})
}
