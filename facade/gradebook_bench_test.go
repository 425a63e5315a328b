package facade_test

import (
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rollcall/rollcall/facade"
)

// BenchmarkGradebookPutResult measures grade passback over HTTP on PostgreSQL: PUT /results/{id} of new
// results (each creates a row, publishes it into the cache and writes an audit event, in one transaction),
// from one client and from eight at once. It reports PUTs per second and the p99 latency.
//
//	go test ./facade -run '^$' -bench GradebookPutResult -benchtime 2000x
func BenchmarkGradebookPutResult(b *testing.B) {
	e, _, tok, _, ids, g := gbSetup(b, "postgres")
	if r := e.send(b, "PUT", tok, facade.RootGradebook+"/categories/bench-cat", g.category("bench-cat", "Bench")); r.Status != 201 {
		b.Fatalf("category: %d %s", r.Status, r.Body)
	}
	li := g.lineItem("bench-li", "Bench quiz", ids, "bench-cat", ids.period, 100)
	if r := e.send(b, "PUT", tok, facade.RootGradebook+"/lineItems/bench-li", li); r.Status != 201 {
		b.Fatalf("line item: %d %s", r.Status, r.Body)
	}
	var n atomic.Int64
	for _, clients := range []int{1, 8} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			lat := make([]time.Duration, b.N)
			var next atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			for range clients {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						i := int(next.Add(1)) - 1
						if i >= b.N {
							return
						}
						sid := fmt.Sprintf("bench-res-%d", n.Add(1))
						body := g.result(sid, "bench-li", ids.student, "fully graded", float64(i%101))
						start := time.Now()
						r := e.send(b, "PUT", tok, facade.RootGradebook+"/results/"+sid, body)
						lat[i] = time.Since(start)
						if r.Status != 201 {
							b.Errorf("PUT %s: %d %s", sid, r.Status, r.Body)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.StopTimer()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "puts/s")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
