package cache

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rollcall/rollcall/demo"
	"github.com/rollcall/rollcall/oneroster/query"
	"github.com/rollcall/rollcall/store"
)

// The benchmarks run on the demo district (100,000 students unless ROLLCALL_BENCH_STUDENTS says otherwise) on
// PostgreSQL. They are skipped unless ROLLCALL_BENCH_PG names a PostgreSQL server, on which they create a
// database for the run and drop it at the end:
//
//	ROLLCALL_BENCH_PG='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' \
//	  go test -run '^$' -bench . -benchtime 3x -timeout 60m ./cache/
//
// Generating the district takes about a minute; every benchmark shares it. ROLLCALL_BENCH_DB, instead, names
// an existing database to use (and keep): the demo district is generated into it only if it holds no orgs.

var bench struct {
	once sync.Once
	db   *store.DB
	c    *Cache
	name string // the database to drop
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bench.name != "" {
		if bench.db != nil {
			bench.db.Close()
		}
		if admin, err := sql.Open("postgres", os.Getenv("ROLLCALL_BENCH_PG")); err == nil {
			admin.Exec("DROP DATABASE IF EXISTS " + bench.name + " WITH (FORCE)")
			admin.Close()
		}
	}
	os.Exit(code)
}

// benchDB returns the shared demo district with a published cache.
func benchDB(b *testing.B) (*store.DB, *Cache) {
	base, keep := os.Getenv("ROLLCALL_BENCH_PG"), os.Getenv("ROLLCALL_BENCH_DB")
	if base == "" && keep == "" {
		b.Skip("set ROLLCALL_BENCH_PG to a PostgreSQL URL to run the benchmarks")
	}
	bench.once.Do(func() {
		ctx := context.Background()
		students := 100000
		if n, err := strconv.Atoi(os.Getenv("ROLLCALL_BENCH_STUDENTS")); err == nil {
			students = n
		}
		dsn := keep
		if dsn == "" {
			admin, err := sql.Open("postgres", base)
			if err != nil {
				bench.err = err
				return
			}
			defer admin.Close()
			bench.name = fmt.Sprintf("rollcall_bench_%d", os.Getpid())
			if _, bench.err = admin.Exec("CREATE DATABASE " + bench.name); bench.err != nil {
				return
			}
			u, _ := url.Parse(base)
			u.Path = "/" + bench.name
			dsn = u.String()
		}
		db, err := store.Open(ctx, dsn, "")
		if err != nil {
			bench.err = err
			return
		}
		bench.db = db
		if bench.err = db.Migrate(ctx, slog.New(slog.NewTextHandler(io.Discard, nil))); bench.err != nil {
			return
		}
		start := time.Now()
		if has, _ := db.Client.Org.Query().Exist(ctx); !has {
			if _, bench.err = demo.Generate(ctx, db, demo.Options{Students: students, Seed: 1}); bench.err != nil {
				return
			}
			fmt.Fprintf(os.Stderr, "bench: demo district of %d students in %v\n", students, time.Since(start).Round(time.Second))
		}
		opt := Options{}
		if os.Getenv("ROLLCALL_BENCH_LOG") != "" { // where the time goes: one line per collection built
			opt.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
		}
		bench.c = New(db, opt)
		start = time.Now()
		_, bench.err = bench.c.Refresh(ctx, "bench")
		fmt.Fprintf(os.Stderr, "bench: first refresh in %v\n", time.Since(start).Round(time.Millisecond))
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	return bench.db, bench.c
}

// rounds numbers the benchmarks' edits, so that every edit changes something (Go runs a benchmark function
// more than once).
var rounds atomic.Int64

// ROLLCALL_BENCH_LOG=1 logs each refresh's collections with their times (building, merging, writing).

// changeUsers changes the middle name of every hundredth user (1%), as an admin's edit would.
func changeUsers(b *testing.B, db *store.DB) {
	_, err := db.SQL.Exec(`UPDATE users SET middle_name = $1, date_last_modified = now() WHERE id % 100 = 0`, fmt.Sprint("m", rounds.Add(1)))
	if err != nil {
		b.Fatal(err)
	}
}

// readWhile keeps reading pages until stop is closed and reports reads and errors.
func readWhile(c *Cache, stop chan struct{}) (reads, errs *atomic.Int64, wait func()) {
	reads, errs = new(atomic.Int64), new(atomic.Int64)
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for off := i * 5000; ; off = (off + 7919) % 700000 {
				select {
				case <-stop:
					return
				default:
				}
				p := &query.Params{Sort: query.Sort{Direction: query.Asc}, Page: query.Page{Limit: 100, Offset: off}}
				rows, err := c.List(context.Background(), Query{Collection: Enrollments, Viewer: v12, Params: p})
				if err == nil {
					_, err = rows.WriteJSON(io.Discard, "enrollments")
				}
				if err != nil {
					errs.Add(1)
				}
				reads.Add(1)
			}
		}()
	}
	return reads, errs, wg.Wait
}

// BenchmarkRefresh is a full refresh with 1% of users changed, while two clients keep reading.
func BenchmarkRefresh(b *testing.B) {
	db, c := benchDB(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		changeUsers(b, db)
		stop := make(chan struct{})
		reads, errs, wait := readWhile(c, stop)
		b.StartTimer()
		g, err := c.Refresh(context.Background(), "bench")
		b.StopTimer()
		close(stop)
		wait()
		if err != nil || errs.Load() > 0 {
			b.Fatalf("refresh: %v; %d of %d reads failed", err, errs.Load(), reads.Load())
		}
		b.ReportMetric(float64(reads.Load()), "reads/refresh")
		b.ReportMetric(float64(g.Changes["users"]), "changed-users")
		b.StartTimer()
	}
}

// BenchmarkRefreshCold builds the cache from nothing (the first refresh of a district).
func BenchmarkRefreshCold(b *testing.B) {
	db, c := benchDB(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		if _, err := db.SQL.Exec("TRUNCATE cache_records, cache_links, cache_marks, cache_generations"); err != nil {
			b.Fatal(err)
		}
		c.mu.Lock()
		clear(c.counts)
		c.mu.Unlock()
		b.StartTimer()
		if _, err := c.Refresh(context.Background(), "bench"); err != nil {
			b.Fatal(err)
		}
	}
}

// sync pages through a whole collection with limit like a full-sync client (stopping at the first short
// page) and returns the records read.
func syncAll(b *testing.B, c *Cache, coll Collection, limit int, filter string) int {
	return syncAllAs(b, c, v12, coll, limit, filter)
}

// syncAllAs is syncAll as viewer v.
func syncAllAs(b *testing.B, c *Cache, v Viewer, coll Collection, limit int, filter string) int {
	vals := url.Values{"limit": {strconv.Itoa(limit)}}
	if filter != "" {
		vals.Set("filter", filter)
	}
	n, gen := 0, 0
	for off := 0; ; off += limit {
		vals.Set("offset", strconv.Itoa(off))
		p, err := query.Parse(vals, Catalogue(coll, "v1p2"), 0)
		if err != nil {
			b.Fatal(err)
		}
		rows, err := c.List(context.Background(), Query{Collection: coll, Viewer: v, Params: p, Generation: gen,
			Hrefs: HrefsFor("https://h", "v1p2")})
		if err != nil {
			b.Fatal(err)
		}
		gen = rows.Generation
		got := 0
		for rows.Next() {
			got++
		}
		if err := rows.Err(); err != nil {
			b.Fatal(err)
		}
		rows.Close()
		if n += got; got < limit {
			return n
		}
	}
}

// BenchmarkStreamEnrollments pages through every enrollment with limit=10000 through the engine (hrefs
// resolved, bodies as sent) and reports records per second.
func BenchmarkStreamEnrollments(b *testing.B) {
	_, c := benchDB(b)
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		n += syncAll(b, c, Enrollments, 10000, "")
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkStreamEnrollmentsHTTP is the same sync end to end over HTTP on loopback: a handler that parses the
// query and writes the envelope from List, and a client reading every page.
func BenchmarkStreamEnrollmentsHTTP(b *testing.B) {
	_, c := benchDB(b)
	srv := httptest.NewServer(benchHandler(c))
	defer srv.Close()
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		for off := 0; ; off += 10000 {
			resp, err := http.Get(fmt.Sprintf("%s/enrollments?limit=10000&offset=%d", srv.URL, off))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, resp.Body); err != nil {
				b.Fatal(err)
			}
			resp.Body.Close()
			total, _ := strconv.Atoi(resp.Header.Get("X-Total-Count"))
			got := min(10000, max(total-off, 0))
			if n += got; got < 10000 {
				break
			}
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
}

// benchHandler is a minimal stand-in for the REST facade's collection endpoint.
func benchHandler(c *Cache) http.Handler { return benchHandlerAs(c, v12) }

// benchHandlerAs is benchHandler answering as viewer v.
func benchHandlerAs(c *Cache, v Viewer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		coll := Collection(strings.Trim(r.URL.Path, "/"))
		p, err := query.Parse(r.URL.Query(), Catalogue(coll, "v1p2"), 100000)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		rows, err := c.List(r.Context(), Query{Collection: coll, Viewer: v, Params: p, Hrefs: HrefsFor("http://"+r.Host, "v1p2")})
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Total-Count", strconv.Itoa(rows.Total))
		rows.WriteJSON(w, string(coll))
	})
}

// BenchmarkRawBodies streams the same stored bodies with PostgreSQL alone (no engine), for comparison.
func BenchmarkRawBodies(b *testing.B) {
	db, c := benchDB(b)
	snap, err := c.pick(context.Background(), 0)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		rows, err := db.SQL.Query(`SELECT body_v1p2 FROM cache_records WHERE collection = $1 AND gen_from <= $2 AND gen_to > $2
			ORDER BY sourced_id`, Enrollments.info().code, snap.id)
		if err != nil {
			b.Fatal(err)
		}
		var body sql.RawBytes
		for rows.Next() {
			rows.Scan(&body)
			n++
		}
		rows.Close()
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkPageAtOffset600k is one 100-record page of enrollments at offset 600,000.
func BenchmarkPageAtOffset600k(b *testing.B) {
	_, c := benchDB(b)
	p := &query.Params{Sort: query.Sort{Direction: query.Asc}, Page: query.Page{Limit: 100, Offset: 600000}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rows, err := c.List(context.Background(), Query{Collection: Enrollments, Viewer: v12, Params: p})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := rows.WriteJSON(io.Discard, "enrollments"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPagesConcurrent8 has 8 clients reading 100-record pages of users, students and enrollments at
// scattered offsets, and reports the 99th percentile latency.
func BenchmarkPagesConcurrent8(b *testing.B) {
	_, c := benchDB(b)
	pagesConcurrent8(b, benchHandler(c), 200000, 200000)
}

// pagesConcurrent8 runs BenchmarkPagesConcurrent8's clients against h, offsets below maxUsers for users and
// maxEnrollments for enrollments.
func pagesConcurrent8(b *testing.B, h http.Handler, maxUsers, maxEnrollments int64) {
	srv := httptest.NewServer(h)
	defer srv.Close()
	var mu sync.Mutex
	var lat []time.Duration
	b.ResetTimer()
	b.SetParallelism(4) // 4 x GOMAXPROCS (2) = 8 clients
	var seq atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			i := seq.Add(1)
			path, max := "enrollments", maxEnrollments
			if i%3 == 0 {
				path, max = "users", maxUsers
			}
			start := time.Now()
			resp, err := http.Get(fmt.Sprintf("%s/%s?limit=100&offset=%d", srv.URL, path, (i*7919)%max))
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			mine = append(mine, time.Since(start))
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	}
}

// schoolViewer is a connection limited to the school with the most students of the demo district (1.2), with
// the number of users and enrollments it sees.
func schoolViewer(b *testing.B, c *Cache) (v Viewer, users, enrollments int) {
	var school string
	err := c.db.SQL.QueryRow(`SELECT school FROM cache_records WHERE collection = $1 AND scope = $2 AND gen_to = $3
		GROUP BY school ORDER BY COUNT(*) DESC, school LIMIT 1`, Users.info().code, scopeSchool, int64(genOpen)).Scan(&school)
	if err != nil {
		b.Fatal(err)
	}
	v = Viewer{Version: "v1p2", Schools: []string{school}}
	for _, x := range []struct {
		coll Collection
		n    *int
	}{{Users, &users}, {Enrollments, &enrollments}} {
		rows, err := c.List(context.Background(), Query{Collection: x.coll, Viewer: v})
		if err != nil {
			b.Fatal(err)
		}
		*x.n = rows.Total
		rows.Close()
	}
	return v, users, enrollments
}

// BenchmarkSchoolPageAtOffset is one 100-record page of users and one of enrollments, at half of what a
// connection limited to one school sees (no position marks: the rows of other schools are skipped).
func BenchmarkSchoolPageAtOffset(b *testing.B) {
	_, c := benchDB(b)
	v, users, enrollments := schoolViewer(b, c)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, x := range []struct {
			coll Collection
			off  int
		}{{Users, users / 2}, {Enrollments, enrollments / 2}} {
			p := &query.Params{Sort: query.Sort{Direction: query.Asc}, Page: query.Page{Limit: 100, Offset: x.off}}
			rows, err := c.List(context.Background(), Query{Collection: x.coll, Viewer: v, Params: p})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := rows.WriteJSON(io.Discard, string(x.coll)); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkSchoolPagesConcurrent8 is BenchmarkPagesConcurrent8 for a connection limited to one school.
func BenchmarkSchoolPagesConcurrent8(b *testing.B) {
	_, c := benchDB(b)
	v, users, enrollments := schoolViewer(b, c)
	pagesConcurrent8(b, benchHandlerAs(c, v), int64(users), int64(enrollments))
}

// BenchmarkSchoolDelta is a nightly delta of users and enrollments (dateLastModified> a time after which 1%
// of users and enrollments changed) for a connection limited to one school, beside its full sync.
func BenchmarkSchoolDelta(b *testing.B) {
	db, c := benchDB(b)
	v, _, _ := schoolViewer(b, c)
	filter := deltaSince(b, db, c, true)
	b.ResetTimer()
	var full, delta time.Duration
	var nDelta int
	for i := 0; i < b.N; i++ {
		start := time.Now()
		syncAllAs(b, c, v, Users, 10000, "")
		syncAllAs(b, c, v, Enrollments, 10000, "")
		full += time.Since(start)
		start = time.Now()
		nDelta = syncAllAs(b, c, v, Users, 10000, filter) + syncAllAs(b, c, v, Enrollments, 10000, filter)
		delta += time.Since(start)
	}
	b.ReportMetric(float64(full.Milliseconds())/float64(b.N), "full-ms")
	b.ReportMetric(float64(delta.Milliseconds())/float64(b.N), "delta-ms")
	b.ReportMetric(float64(nDelta), "delta-records")
}

// deltaSince changes 1% of enrollments (and of users if users is set), refreshes, and returns the delta
// filter of a sync made just before.
func deltaSince(b *testing.B, db *store.DB, c *Cache, users bool) string {
	since := time.Now().UTC()
	time.Sleep(10 * time.Millisecond)
	if users {
		changeUsers(b, db)
	}
	end := time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(rounds.Add(1))).Format(time.DateOnly)
	if _, err := db.SQL.Exec(`UPDATE enrollments SET end_date = $1, date_last_modified = now() WHERE id % 100 = 0`, end); err != nil {
		b.Fatal(err)
	}
	if _, err := c.Refresh(context.Background(), "bench"); err != nil {
		b.Fatal(err)
	}
	return "dateLastModified>'" + since.Format(dlmLayout) + "'"
}

// BenchmarkDeltaVsFull compares a nightly delta (dateLastModified> a time after which 1% of enrollments
// changed) with a full sync of enrollments, both with limit=10000.
func BenchmarkDeltaVsFull(b *testing.B) {
	db, c := benchDB(b)
	filter := deltaSince(b, db, c, false)
	b.ResetTimer()
	var full, delta time.Duration
	var nFull, nDelta int
	for i := 0; i < b.N; i++ {
		start := time.Now()
		nFull = syncAll(b, c, Enrollments, 10000, "")
		full += time.Since(start)
		start = time.Now()
		nDelta = syncAll(b, c, Enrollments, 10000, filter)
		delta += time.Since(start)
	}
	b.ReportMetric(float64(full.Milliseconds())/float64(b.N), "full-ms")
	b.ReportMetric(float64(delta.Milliseconds())/float64(b.N), "delta-ms")
	b.ReportMetric(100*float64(delta)/float64(full), "delta-%-of-full")
	b.ReportMetric(float64(nDelta), "delta-records")
	_ = nFull
}

// BenchmarkMemory50000x4 runs four concurrent limit=50000 requests over HTTP and reports the largest heap.
func BenchmarkMemory50000x4(b *testing.B) {
	_, c := benchDB(b)
	srv := httptest.NewServer(benchHandler(c))
	defer srv.Close()
	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
		}
	}()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var wg sync.WaitGroup
		for j := 0; j < 4; j++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp, err := http.Get(fmt.Sprintf("%s/enrollments?limit=50000&offset=%d", srv.URL, j*50000))
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}()
		}
		wg.Wait()
	}
	close(stop)
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
}
