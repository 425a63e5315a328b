package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/store/storetest"
)

func TestHealthReadinessAndMetrics(t *testing.T) {
	db := storetest.Open(t, "postgres")
	s := startTestServer(t, db)
	get := func(path string) (int, string) {
		resp, err := http.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/healthz"); code != 200 || !strings.Contains(body, `"ok"`) {
		t.Errorf("healthz: %d %s", code, body)
	}
	if code, body := get("/readyz"); code != 200 || !strings.Contains(body, `"ready"`) {
		t.Errorf("readyz: %d %s", code, body)
	}
	code, body := get("/metrics")
	if code != 200 || !strings.Contains(body, `rollcall_http_requests_total{code="200",method="GET",route="GET /readyz"}`) ||
		!strings.Contains(body, "go_goroutines") {
		t.Errorf("metrics: %d, missing request counters or runtime metrics:\n%.2000s", code, body)
	}
	db.SQL.Close() // the database going away makes the server not ready, but still alive
	if code, body := get("/readyz"); code != 503 || !strings.Contains(body, "database unreachable") {
		t.Errorf("readyz with the database closed: %d %s", code, body)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("healthz with the database closed: %d", code)
	}
}
