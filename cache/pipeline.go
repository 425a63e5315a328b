package cache

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rollcall/rollcall/ent/cacherecord"
	"github.com/rollcall/rollcall/oneroster"
	"github.com/rollcall/rollcall/settings"
)

// genBuild is one refresh in progress: the generation being built, the one it follows, and what the
// collection builds share.
type genBuild struct {
	c       *Cache
	id      int   // the generation being built
	prev    int   // the current generation when the build started; 0 for the first build
	stampMs int64 // provisional dateLastModified of changed records (see flip)
	set     settings.Settings
	w       *world

	rowsDone atomic.Int64
	mu       sync.Mutex
	counts   map[string]int64
	changes  map[string]int64
}

// writeChunk is how many new versions (or replaced ones) a write transaction takes at most.
const writeChunk = 4000

// subsetNames names the kinds bits counted per collection, as counts keys "collection/name".
var subsetNames = []struct {
	bit  int32
	name string
}{{bitSchool, "school"}, {bitTerm, "term"}, {bitGradingPeriod, "gradingPeriod"}, {bitStudent12, "student12"},
	{bitTeacher12, "teacher12"}, {bitStudent11, "student11"}, {bitTeacher11, "teacher11"}}

// countKey is the counts key of a collection's subset bit ("" for the whole collection).
func countKey(c Collection, bit int32) string {
	for _, s := range subsetNames {
		if s.bit == bit {
			return string(c) + "/" + s.name
		}
	}
	return string(c)
}

// producer renders a collection's live records and hands them to emit in batches, in ascending byte order of
// sourcedId. Records whose state is stHidden need only coll, sid and st.
type producer func(ctx context.Context, emit func([]*record) error) error

// collBuild merges one collection's rendered records with the previous generation and writes them.
type collBuild struct {
	gb      *genBuild
	coll    Collection
	prev    *prevStream
	last    string
	seen    map[int32]int64 // records so far, per subset bit (0: all), for the marks
	counts  map[string]int64
	changed int64
	writes  chan *writeBatch
	werr    chan error
	// Where the time goes, for the log: merging (prev keys, hashing), waiting for the writer, writing.
	merge, wait, write time.Duration
}

// writeBatch is what one merged batch writes: versions that stop at this generation, new versions, marks.
type writeBatch struct {
	coll      Collection
	closeIDs  []int64  // versions replaced in this generation
	closeOpen []string // gradebook records new to the build: close a current version written through meanwhile
	inserts   []*record
	marks     []mark
}

// mark is one cache_marks row.
type mark struct {
	bit int32
	n   int64
	sid string
}

// build runs a producer into the generation: every record is hashed; one whose hash equals that of its version
// in the previous generation keeps that version (nothing is written); others get a new version stamped
// stampMs, which replaces the previous one from this generation on. Records of the previous generation that
// are gone or hidden now become tombstones. Marks are written every markStep records of the collection and
// of each subset.
func (gb *genBuild) build(ctx context.Context, coll Collection, produce producer) error {
	start := time.Now()
	prev, err := gb.c.openPrev(ctx, gb.prev, coll)
	if err != nil {
		return err
	}
	defer prev.close()
	b := &collBuild{gb: gb, coll: coll, prev: prev, seen: map[int32]int64{}, counts: map[string]int64{},
		writes: make(chan *writeBatch, 2), werr: make(chan error, 1)}
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go b.writer(wctx, cancel)
	err = produce(wctx, func(recs []*record) error { return b.add(wctx, recs) })
	if err == nil {
		err = b.add(wctx, nil) // the previous generation's records after the last live one
	}
	close(b.writes)
	if werr := <-b.werr; werr != nil {
		err = werr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", coll, err)
	}
	if gb.c.pg && b.changed > 10000 && (coll == Users || coll == Classes || coll == LineItems || coll == AssessmentLineItems) {
		// Fresh statistics, so that the children's lookups of these parents use the indexes (the flip analyzes
		// for the readers).
		if _, err := gb.c.db.SQL.ExecContext(ctx, "ANALYZE "+cacherecord.Table); err != nil {
			return fmt.Errorf("%s: analyzing: %w", coll, err)
		}
	}
	gb.c.opt.Logger.Info("cache collection built", "generation", gb.id, "collection", coll, "records", b.counts[string(coll)],
		"changed", b.changed, "took", time.Since(start).Round(time.Millisecond).String(),
		"merging", b.merge.Round(time.Millisecond).String(), "waiting_for_writes", b.wait.Round(time.Millisecond).String(),
		"writing", b.write.Round(time.Millisecond).String())
	gb.mu.Lock()
	maps.Copy(gb.counts, b.counts)
	gb.changes[string(coll)] = b.changed
	gb.mu.Unlock()
	return nil
}

// writer gathers merged batches into transactions of a few thousand changes (most batches change little,
// and a transaction per batch would cost more in commits than in writing) and writes them. (Two writing
// connections per collection were tried: on two cores the database is already busy with the other
// collection's writes, and it was no faster.)
func (b *collBuild) writer(ctx context.Context, cancel context.CancelFunc) {
	var err error
	pending := &writeBatch{coll: b.coll}
	flush := func() {
		if err != nil || len(pending.inserts)+len(pending.closeIDs)+len(pending.closeOpen)+len(pending.marks) == 0 {
			return
		}
		t := time.Now()
		if err = b.gb.c.writeBatch(ctx, b.gb.id, pending); err != nil {
			cancel()
		}
		b.write += time.Since(t)
		pending = &writeBatch{coll: b.coll}
	}
	for wb := range b.writes {
		pending.closeIDs = append(pending.closeIDs, wb.closeIDs...)
		pending.closeOpen = append(pending.closeOpen, wb.closeOpen...)
		pending.inserts = append(pending.inserts, wb.inserts...)
		pending.marks = append(pending.marks, wb.marks...)
		if len(pending.inserts) >= writeChunk || len(pending.closeIDs) >= writeChunk {
			flush()
		}
	}
	flush()
	b.werr <- err
}

// add merges a sorted batch (nil at the end) with the previous generation and queues it for writing.
func (b *collBuild) add(ctx context.Context, batch []*record) error {
	start := time.Now()
	defer func() { b.merge += time.Since(start) }()
	var out, tombs []*record
	gone := func(k *prevKey) {
		r := &record{coll: b.coll, sid: k.sid, st: stHidden, prev: k}
		out = append(out, r)
		tombs = append(tombs, r)
	}
	for _, r := range batch {
		if b.last != "" && r.sid <= b.last {
			return fmt.Errorf("records out of order: %q after %q (the database must sort sourcedIds by byte)", r.sid, b.last)
		}
		b.last = r.sid
		for {
			k, err := b.prev.peek(ctx)
			if err != nil {
				return err
			}
			if k == nil || k.sid > r.sid {
				break
			}
			kc := *k
			b.prev.next()
			if kc.sid == r.sid {
				r.prev = &kc
				break
			}
			gone(&kc)
		}
		if r.st == stHidden {
			if r.prev == nil {
				continue // never published: nothing to retract
			}
			tombs = append(tombs, r)
		}
		out = append(out, r)
	}
	if batch == nil {
		for {
			k, err := b.prev.peek(ctx)
			if err != nil || k == nil {
				if err != nil {
					return err
				}
				break
			}
			kc := *k
			b.prev.next()
			gone(&kc)
		}
	}
	// A record that was already a tombstone and still is stays as it was, without reading it back.
	tombs = slices.DeleteFunc(tombs, func(r *record) bool {
		r.carry = r.prev.status == oneroster.StatusToBeDeleted
		return r.carry
	})
	if len(tombs) > 0 {
		sids := make([]string, len(tombs))
		for i, r := range tombs {
			sids[i] = r.sid
		}
		rows, err := fetchPrev(ctx, b.gb.c.db.SQL, b.gb.c.pg, b.gb.prev, b.coll, sids)
		if err != nil {
			return fmt.Errorf("reading tombstones of the previous generation: %w", err)
		}
		for _, r := range tombs {
			p := rows[r.sid]
			if p == nil {
				return fmt.Errorf("record %q of the previous generation vanished", r.sid)
			}
			if err := r.tombFrom(p); err != nil {
				return err
			}
		}
	}
	if err := b.keepGone(ctx, out); err != nil {
		return err
	}
	wb := &writeBatch{coll: b.coll}
	for _, r := range out {
		if r.carry {
			r.kinds = r.prev.kinds
		} else if err := r.finish(b.gb.stampMs); err != nil {
			return err
		}
		r.stampTombs(0) // the publish time, set by flip
		b.counts[string(b.coll)]++
		b.markAt(wb, 0, r.sid)
		for _, sn := range subsetNames {
			if r.kinds&sn.bit != 0 {
				b.counts[countKey(b.coll, sn.bit)]++
				b.markAt(wb, sn.bit, r.sid)
			}
		}
		if !r.changed {
			continue
		}
		b.changed++
		if r.prev != nil {
			wb.closeIDs = append(wb.closeIDs, r.prev.id)
		} else if b.coll.info().gradebook {
			wb.closeOpen = append(wb.closeOpen, r.sid)
		}
		wb.inserts = append(wb.inserts, r)
	}
	if len(wb.inserts) == 0 && len(wb.marks) == 0 {
		return nil
	}
	t := time.Now()
	defer func() { b.wait += time.Since(t); start = start.Add(time.Since(t)) }()
	select {
	case b.writes <- wb:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// keepGone records, on the live records of a merged batch, the schools that lose sight of them (gone.go),
// reading the previous versions' links only where it must.
func (b *collBuild) keepGone(ctx context.Context, out []*record) error {
	from := map[string]int{}
	var need []*record
	for _, r := range out {
		if r.st != stHidden && r.prev != nil && r.needsPrevLinks(r.prev) {
			from[r.sid] = r.prev.genFrom
			need = append(need, r)
		}
	}
	if len(need) > 0 {
		links, tombs, err := fetchLinks(ctx, b.gb.c.db.SQL, b.gb.c.pg, b.coll, from)
		if err != nil {
			return fmt.Errorf("reading the previous generation's schools: %w", err)
		}
		for _, r := range need {
			r.keepGone(r.prev.scope, r.prev.school, links[r.sid], tombs[r.sid])
		}
	}
	// Schools that lose sight of a record now get the body they last saw, frozen.
	var ids []int64
	var fresh []*record
	for _, r := range out {
		if r.st != stHidden && r.prev != nil && r.freshTombs() {
			ids = append(ids, r.prev.id)
			fresh = append(fresh, r)
		}
	}
	if len(fresh) == 0 {
		return nil
	}
	bodies, err := fetchBodies(ctx, b.gb.c.db.SQL, b.gb.c.pg, ids)
	if err != nil {
		return fmt.Errorf("reading the bodies schools lose sight of: %w", err)
	}
	for _, r := range fresh {
		bs, ok := bodies[r.prev.id]
		if !ok {
			return fmt.Errorf("record %q of the previous generation vanished", r.sid)
		}
		if err := r.fillTombs(bs[0], bs[1]); err != nil {
			return err
		}
	}
	return nil
}

// markAt counts a record of a subset (bit 0: the collection) and marks every markStep-th one.
func (b *collBuild) markAt(wb *writeBatch, bit int32, sid string) {
	n := b.seen[bit]
	if n%markStep == 0 {
		wb.marks = append(wb.marks, mark{bit: bit, n: n / markStep, sid: sid})
	}
	b.seen[bit] = n + 1
}

// finish hashes a record and stamps its dateLastModified: the previous one if the content is unchanged,
// stampMs if it changed or is new.
func (r *record) finish(stampMs int64) error {
	r.links = canonLinks(r.links)
	r.hash = r.contentHash()
	r.modified, r.changed = stampMs, true
	if r.prev != nil && r.prev.hash == r.hash {
		r.modified, r.changed = r.prev.modified, false
	}
	if err := stamp(r.body12, r.modified); err != nil {
		return fmt.Errorf("%s %s: %w", r.coll, r.sid, err)
	}
	return stamp(r.body11, r.modified)
}
