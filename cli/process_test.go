package cli_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/rollcall/rollcall/store/storetest"
)

// Two real `rollcall serve` processes on one PostgreSQL database: a vendor token issued by the first stops
// working on the second within seconds of the connection being revoked (by a third process, the CLI).
func TestRevokeReachesASecondServerProcess(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "rollcall")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/rollcall/rollcall").CombinedOutput(); err != nil {
		t.Fatalf("building the binary: %v\n%s", err, out)
	}
	dsn := storetest.CreatePostgres(t)
	key := make([]byte, 32)
	rand.Read(key)
	env := append(os.Environ(), "ROLLCALL_DATABASE_URL="+dsn, "ROLLCALL_SECRET_KEY="+base64.StdEncoding.EncodeToString(key),
		"ROLLCALL_ADMIN_USERNAME=admin", "ROLLCALL_ADMIN_PASSWORD=correct horse battery staple", "ROLLCALL_LOG_LEVEL=warn")
	run := func(args ...string) []byte {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("rollcall %v: %v", args, err)
		}
		return out
	}
	run("migrate")
	start := func(publicURL string) string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		if publicURL == "" {
			publicURL = "http://" + addr
		}
		cmd := exec.Command(bin, "serve", "-listen", addr, "-public-url", publicURL, "-data-dir", dir)
		cmd.Env = env
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() })
		for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if resp, err := http.Get("http://" + addr + "/readyz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					return "http://" + addr
				}
			}
		}
		t.Fatalf("server on %s did not become ready", addr)
		return ""
	}
	a := start("")
	b := start(a) // the same issuer, as replicas behind one name share it

	var creds struct{ ClientID, ClientSecret string }
	out := run("connection", "create", "-data-dir", dir, "-public-url", a, "--vendor", "Canvas", "--key", "canvas", "--version", "1.2")
	if err := json.Unmarshal(out, &creds); err != nil || creds.ClientSecret == "" {
		t.Fatalf("connection create: %v\n%s", err, out)
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {creds.ClientID}, "client_secret": {creds.ClientSecret}}
	resp, err := http.PostForm(a+"/oauth/token", form)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if tok.AccessToken == "" {
		t.Fatalf("no token from process A: HTTP %d", resp.StatusCode)
	}
	status := func(base string) int {
		req, _ := http.NewRequestWithContext(context.Background(), "GET", base+"/ims/oneroster/rostering/v1p2/orgs?limit=1", nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if a, b := status(a), status(b); a != 200 || b != 200 {
		t.Fatalf("before revoke: process A %d, process B %d, want 200 from both", a, b)
	}
	out = run("connection", "revoke", "-data-dir", dir, "ROLLCALL_canvas")
	if !bytes.Contains(out, []byte("revoked")) {
		t.Fatalf("revoke printed %s", out)
	}
	revoked := time.Now()
	for status(b) != http.StatusUnauthorized {
		if time.Since(revoked) > 10*time.Second {
			t.Fatal("process B still accepts the revoked connection's token after 10s")
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("process B refused the token %v after the revoke", time.Since(revoked).Round(time.Millisecond))
	if got := status(a); got != http.StatusUnauthorized {
		t.Errorf("process A after revoke: %d", got)
	}
}
