// Command loadtest measures the OneRoster REST API on loopback: it builds a demo district on a fresh database
// (PostgreSQL by default, on ROLLCALL_TEST_POSTGRES or the local server; or SQLite), publishes it with a cache
// refresh, starts the real server (web.New with its OAuth provider), creates a OneRoster 1.2 connection, gets a
// token, and loads the main collections one after the other with wrk (Debian's package, when installed) or
// with its own Go load generator. It prints requests per second and latency percentiles as a Markdown table.
//
//	go run ./facade/loadtest -students 10000 -duration 15s -concurrency 8
//	go run ./facade/loadtest -dialect sqlite3 -tool go
//
// Client and server share the machine's cores; the numbers are what one box serves itself over loopback.
package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	_ "github.com/lib/pq"

	"github.com/rollcall/rollcall/actor"
	"github.com/rollcall/rollcall/cache"
	"github.com/rollcall/rollcall/config"
	"github.com/rollcall/rollcall/demo"
	"github.com/rollcall/rollcall/facade"
	"github.com/rollcall/rollcall/oauth"
	"github.com/rollcall/rollcall/provision"
	"github.com/rollcall/rollcall/secrets"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
	"github.com/rollcall/rollcall/telemetry"
	"github.com/rollcall/rollcall/web"
)

func main() {
	dialect := flag.String("dialect", "postgres", "postgres or sqlite3")
	students := flag.Int("students", 10000, "students in the demo district")
	duration := flag.Duration("duration", 15*time.Second, "load per endpoint")
	concurrency := flag.Int("concurrency", 8, "concurrent connections")
	tool := flag.String("tool", "", "wrk or go (default: wrk when installed)")
	flag.Parse()
	if *tool == "" {
		*tool = "go"
		if _, err := exec.LookPath("wrk"); err == nil {
			*tool = "wrk"
		}
	}
	if err := run(*dialect, *students, *duration, *concurrency, *tool); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func run(dialect string, students int, d time.Duration, conc int, tool string) error {
	ctx := context.Background()
	dsn, cleanup, err := database(dialect)
	if err != nil {
		return err
	}
	defer cleanup()
	db, err := store.Open(ctx, dsn, "")
	if err != nil {
		return err
	}
	defer db.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := db.Migrate(ctx, log); err != nil {
		return err
	}
	start := time.Now()
	counts, err := demo.Generate(ctx, db, demo.Options{Students: students, Seed: 1})
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "demo district (%s) in %v: %s\n", dialect, time.Since(start).Round(time.Millisecond), counts)
	c := cache.New(db, cache.Options{})
	start = time.Now()
	if _, err := c.Refresh(ctx, "loadtest"); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "cache refresh in %v\n", time.Since(start).Round(time.Millisecond))

	os.Setenv(facade.EnvRate, "off") // measure the server, not the per-connection limits
	os.Setenv(facade.EnvConcurrency, "off")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	cfg := config.Config{PublicURL: "http://" + l.Addr().String()}
	key := make([]byte, secrets.KeySize)
	rand.Read(key)
	sealer, err := secrets.NewSealer(key)
	if err != nil {
		return err
	}
	svc := &provision.Service{Client: db.Client, Sealer: sealer, Config: cfg}
	prov, err := oauth.New(oauth.Options{Config: cfg, DB: db.Client, Sealer: sealer, Log: log, Credentials: svc})
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: web.New(web.Deps{Config: cfg, DB: db, Log: log, Metrics: telemetry.NewMetrics(),
		OAuth: prov, Verifier: prov.Verifier(), Provision: svc, Cache: c}).Handler()}
	go srv.Serve(l)
	defer srv.Close()

	cr, err := svc.Create(actor.With(ctx, actor.KindAdmin, "loadtest"), provision.NewConnection{VendorName: "Load test",
		DistrictPart: "loadtest", Version: "1.2", Demographics: true})
	if err != nil {
		return err
	}
	tok, err := token(cfg, cr.ClientID, cr.ClientSecret)
	if err != nil {
		return err
	}
	ids, err := sample(cfg.PublicURL, tok)
	if err != nil {
		return err
	}
	base := cfg.PublicURL + facade.RootRostering
	targets := []struct{ name, url string }{
		{"GET /users?limit=100", base + "/users?limit=100"},
		{"GET /enrollments?limit=100", base + "/enrollments?limit=100"},
		{"GET /classes?limit=100", base + "/classes?limit=100"},
		{"GET /students?limit=100&offset=" + ids["deep"], base + "/students?limit=100&offset=" + ids["deep"]},
		{"GET /users/{id}", base + "/users/" + ids["user"]},
		{"GET /classes/{id}/students", base + "/classes/" + ids["class"] + "/students"},
		{"GET /users?filter=familyName='O''Brien'", base + "/users?filter=" + url.QueryEscape("familyName='O''Brien'")},
		{"GET /enrollments?filter=dateLastModified>… (nightly delta, nothing changed)", base + "/enrollments?filter=" + url.QueryEscape("dateLastModified>'"+ids["recent"]+"'")},
		{"GET /enrollments?limit=10000", base + "/enrollments?limit=10000"},
	}
	fmt.Printf("\nOneRoster 1.2 on %s, %d students, %s, %d connections, %v per endpoint\n\n", dialect, students, tool, conc, d)
	fmt.Println("| endpoint | requests/s | p50 | p99 | records/s |")
	fmt.Println("|---|---|---|---|---|")
	for _, tg := range targets {
		var res result
		if tool == "wrk" {
			res, err = runWrk(tg.url, tok, d, conc)
		} else {
			res, err = runGo(tg.url, tok, d, conc)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", tg.name, err)
		}
		perPage := 1.0
		if m := regexp.MustCompile(`limit=(\d+)`).FindStringSubmatch(tg.url); m != nil {
			fmt.Sscan(m[1], &perPage)
		}
		fmt.Printf("| %s | %.0f | %s | %s | %s |\n", tg.name, res.rps, ms(res.p50), ms(res.p99), recordsRate(tg.name, res.rps, perPage))
	}
	return nil
}

func recordsRate(name string, rps, perPage float64) string {
	if !strings.Contains(name, "limit=") {
		return "—"
	}
	return fmt.Sprintf("%.0f", rps*perPage)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

// database returns a fresh database URL of the dialect and how to drop it.
func database(dialect string) (string, func(), error) {
	if dialect == "sqlite3" {
		dir, err := os.MkdirTemp("", "loadtest")
		if err != nil {
			return "", nil, err
		}
		return "sqlite:" + dir + "/loadtest.db", func() { os.RemoveAll(dir) }, nil
	}
	base := storetest.PostgresURL()
	admin, err := sql.Open("postgres", base)
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("rollcall_loadtest_%d", os.Getpid())
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		admin.Close()
		return "", nil, err
	}
	u, _ := url.Parse(base)
	u.Path = "/" + name
	u.RawQuery = "sslmode=disable"
	return u.String(), func() {
		admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		admin.Close()
	}, nil
}

func token(cfg config.Config, id, secret string) (string, error) {
	req, _ := http.NewRequest("POST", cfg.TokenURL(), strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.AccessToken == "" {
		return "", fmt.Errorf("token: HTTP %d %v", resp.StatusCode, err)
	}
	return body.AccessToken, nil
}

// sample finds ids to load the single-object and nested endpoints with.
func sample(public, tok string) (map[string]string, error) {
	get := func(path string, v any) (http.Header, error) {
		req, _ := http.NewRequest("GET", public+facade.RootRostering+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 {
			return nil, fmt.Errorf("GET %s: HTTP %d", path, resp.StatusCode)
		}
		return resp.Header, json.NewDecoder(resp.Body).Decode(v)
	}
	var users struct {
		Users []struct {
			SourcedID string `json:"sourcedId"`
		} `json:"users"`
	}
	h, err := get("/students?limit=1", &users)
	if err != nil || len(users.Users) == 0 {
		return nil, fmt.Errorf("no students: %v", err)
	}
	var total int
	fmt.Sscan(h.Get("X-Total-Count"), &total)
	var classes struct {
		Classes []struct {
			SourcedID string `json:"sourcedId"`
		} `json:"classes"`
	}
	if _, err := get("/classes?limit=1&filter="+url.QueryEscape("status='active'"), &classes); err != nil || len(classes.Classes) == 0 {
		return nil, fmt.Errorf("no classes: %v", err)
	}
	var enrollments struct {
		Enrollments []struct {
			DateLastModified string `json:"dateLastModified"`
		} `json:"enrollments"`
	}
	if _, err := get("/enrollments?limit=1&sort=dateLastModified&orderBy=desc", &enrollments); err != nil || len(enrollments.Enrollments) == 0 {
		return nil, fmt.Errorf("no enrollments: %v", err)
	}
	recent, _ := time.Parse(time.RFC3339, enrollments.Enrollments[0].DateLastModified)
	return map[string]string{"user": users.Users[0].SourcedID, "class": classes.Classes[0].SourcedID,
		"deep": fmt.Sprint(total / 2), "recent": recent.Add(time.Millisecond).UTC().Format("2006-01-02T15:04:05.000Z")}, nil
}

type result struct {
	rps      float64
	p50, p99 time.Duration
}

var (
	wrkRPS     = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkLatency = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s)`)
	wrkErrors  = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
)

// runWrk loads a URL with wrk and reads its summary.
func runWrk(u, tok string, d time.Duration, conc int) (result, error) {
	out, err := exec.Command("wrk", "-t2", fmt.Sprintf("-c%d", conc), fmt.Sprintf("-d%ds", int(d.Seconds())), "--latency",
		"-H", "Authorization: Bearer "+tok, u).CombinedOutput()
	if err != nil {
		return result{}, fmt.Errorf("wrk: %v: %s", err, out)
	}
	if m := wrkErrors.FindSubmatch(out); m != nil {
		return result{}, fmt.Errorf("wrk saw %s failed responses:\n%s", m[1], out)
	}
	var r result
	if m := wrkRPS.FindSubmatch(out); m != nil {
		fmt.Sscan(string(m[1]), &r.rps)
	}
	for _, m := range wrkLatency.FindAllSubmatch(out, -1) {
		var v float64
		fmt.Sscan(string(m[2]), &v)
		unit := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[string(m[3])]
		if string(m[1]) == "50" {
			r.p50 = time.Duration(v * float64(unit))
		} else {
			r.p99 = time.Duration(v * float64(unit))
		}
	}
	return r, nil
}

// runGo loads a URL with conc goroutines for d, reading every body to the end.
func runGo(u, tok string, d time.Duration, conc int) (result, error) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc}}
	var mu sync.Mutex
	var lat []time.Duration
	var failed error
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for i := 0; i < conc; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for time.Now().Before(deadline) {
				req, _ := http.NewRequest("GET", u, nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				t0 := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						err = fmt.Errorf("HTTP %d", resp.StatusCode)
					}
				}
				if err != nil {
					mu.Lock()
					failed = err
					mu.Unlock()
					return
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if failed != nil {
		return result{}, failed
	}
	slices.Sort(lat)
	if len(lat) == 0 {
		return result{}, fmt.Errorf("no request finished")
	}
	return result{rps: float64(len(lat)) / d.Seconds(), p50: lat[len(lat)/2], p99: lat[len(lat)*99/100]}, nil
}
