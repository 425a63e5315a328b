package csvbundle

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rollcall/rollcall/oneroster"
)

// Link files do not hold records of their own: their rows link records (classResources, courseResources,
// userResources), set a line item's or result's score scale (lineItemScoreScales, resultScoreScales), or list
// its learning objectives (*LearningObjectiveIds). Their own sourcedIds are not stored (the data model has no
// record for them); exports make them up from what they link. A changed link is a change of its owner record:
// the owner is updated through ent, so its dateLastModified moves. In bulk mode the file is the complete set
// of such links, and owners it does not mention lose theirs; in delta mode a row with status tobedeleted
// removes its link.

// linkRow is one row of a link file, resolved.
type linkRow struct {
	owner  int
	target int     // fJoin, fScaleLink
	lo     loEntry // fLOSet
	active bool
}

// loEntry is one learning objective of a line item or result.
type loEntry struct {
	source, id string
	score      *float64
	text       string
}

func (w *writer) linkFile(ctx context.Context, f *bundleFile) error {
	spec := f.spec
	var rows []linkRow
	_, err := w.readRows(f, func(l *layout, r *row) error {
		lr := linkRow{active: r.status == oneroster.StatusActive}
		owner, _ := r.vals[spec.owner].(string)
		var ok bool
		if lr.owner, ok = w.resolve(spec.table, owner); !ok {
			return fmt.Errorf("line %d: %s %q: %w", r.line, spec.cols[spec.owner].name, owner, errChanged)
		}
		switch spec.kind {
		case fJoin, fScaleLink:
			c := spec.cols[spec.target]
			target, _ := r.vals[spec.target].(string)
			if lr.target, ok = w.resolve(c.ref, target); !ok {
				return fmt.Errorf("line %d: %s %q: %w", r.line, c.name, target, errChanged)
			}
		case fLOSet:
			src, _ := r.vals[1].(string)
			id, _ := r.vals[2].(string)
			lr.lo.source, lr.lo.id = strings.Clone(src), strings.Clone(id)
			if len(r.vals) > 3 {
				if f, ok := r.vals[3].(float64); ok {
					lr.lo.score = &f
				}
				text, _ := r.vals[4].(string)
				lr.lo.text = strings.Clone(text)
			}
		}
		rows = append(rows, lr)
		return nil
	})
	if err != nil {
		return err
	}
	switch spec.kind {
	case fJoin:
		return w.joinFile(ctx, f, rows)
	case fScaleLink:
		return w.scaleFile(ctx, f, rows)
	}
	return w.loFile(ctx, f, rows)
}

// joinFile applies classResources, courseResources or userResources rows.
func (w *writer) joinFile(ctx context.Context, f *bundleFile, rows []linkRow) error {
	j, name := f.spec.join, f.spec.name
	have, err := w.links(ctx, j, nil)
	if err != nil {
		return err
	}
	want := map[int][]int{}
	if f.mode == Delta {
		for _, r := range rows {
			want[r.owner] = slices.Clone(have[r.owner])
		}
	} else {
		for o := range have {
			want[o] = nil
		}
	}
	mentioned := map[[2]int]bool{}
	for _, r := range rows {
		mentioned[[2]int{r.owner, r.target}] = true
		had := slices.Contains(have[r.owner], r.target)
		switch {
		case r.active && had, !r.active && !had:
			w.im.count(name, "unchanged", 1)
		case r.active:
			w.im.count(name, "created", 1)
		default:
			w.im.count(name, "tombstoned", 1)
		}
		if r.active && !slices.Contains(want[r.owner], r.target) {
			want[r.owner] = append(want[r.owner], r.target)
		} else if !r.active {
			want[r.owner] = slices.DeleteFunc(want[r.owner], func(t int) bool { return t == r.target })
		}
	}
	var owners []int
	var pairs [][2]int
	for o, ts := range want {
		slices.Sort(ts)
		if slices.Equal(ts, have[o]) {
			continue
		}
		if f.mode == Bulk {
			for _, t := range have[o] {
				if !slices.Contains(ts, t) && !mentioned[[2]int{o, t}] {
					w.im.count(name, "tombstoned", 1)
				}
			}
		}
		owners = append(owners, o)
		for _, t := range ts {
			pairs = append(pairs, [2]int{o, t})
		}
	}
	slices.Sort(owners)
	if err := w.unlink(ctx, j, owners); err != nil {
		return err
	}
	if err := w.link(ctx, j, pairs); err != nil {
		return err
	}
	return w.update(ctx, tables[f.spec.table], owners, nil)
}

// scaleFile applies lineItemScoreScales or resultScoreScales rows.
func (w *writer) scaleFile(ctx context.Context, f *bundleFile, rows []linkRow) error {
	t, name := tables[f.spec.table], f.spec.name
	have, err := w.refsOf(ctx, f.spec.table, "score_scale_id")
	if err != nil {
		return err
	}
	want := map[int]int{} // owner -> scale, 0 for none
	if f.mode == Bulk {
		for o := range have {
			want[o] = 0
		}
	}
	for _, r := range rows {
		switch {
		case r.active:
			want[r.owner] = r.target
		case have[r.owner] == r.target:
			want[r.owner] = 0
		}
	}
	byScale := map[int][]int{}
	for o, s := range want {
		switch {
		case have[o] == s:
			w.im.count(name, "unchanged", 1)
			continue
		case s == 0:
			w.im.count(name, "tombstoned", 1)
		case have[o] == 0:
			w.im.count(name, "created", 1)
		default:
			w.im.count(name, "updated", 1)
		}
		byScale[s] = append(byScale[s], o)
	}
	for _, s := range sortedKeys(byScale) {
		owners := byScale[s]
		slices.Sort(owners)
		var v any
		if s != 0 {
			v = s
		}
		if err := w.update(ctx, t, owners, []set{{"score_scale_id", v}}); err != nil {
			return err
		}
	}
	return nil
}

// loFile applies lineItemLearningObjectiveIds or resultLearningObjectiveIds rows.
func (w *writer) loFile(ctx context.Context, f *bundleFile, rows []linkRow) error {
	t, name := tables[f.spec.table], f.spec.name
	k := kLOSet
	if f.spec.table == "results" {
		k = kLOScores
	}
	have, err := w.loSets(ctx, f.spec.table, k)
	if err != nil {
		return err
	}
	want := map[int][]loEntry{}
	if f.mode == Bulk {
		for o := range have {
			want[o] = nil
		}
	} else {
		for _, r := range rows {
			want[r.owner] = slices.Clone(have[r.owner])
		}
	}
	for _, r := range rows {
		key := func(e loEntry) bool { return e.source == r.lo.source && e.id == r.lo.id }
		had := slices.ContainsFunc(have[r.owner], key)
		switch {
		case r.active && had, !r.active && !had:
			w.im.count(name, "unchanged", 1)
		case r.active:
			w.im.count(name, "created", 1)
		default:
			w.im.count(name, "tombstoned", 1)
		}
		es := slices.DeleteFunc(want[r.owner], key)
		if r.active {
			es = append(es, r.lo)
		}
		want[r.owner] = es
	}
	for _, o := range sortedKeys(want) {
		v := loValue(k, want[o])
		if same(v, loValue(k, have[o])) {
			continue
		}
		if err := w.update(ctx, t, []int{o}, []set{{"learning_objective_set", v}}); err != nil {
			return err
		}
	}
	return nil
}

// loValue builds the stored learning objective set of entries (nil for none): grouped by source, in order.
func loValue(k kind, es []loEntry) any {
	if len(es) == 0 {
		return nil
	}
	var order []string
	by := map[string][]loEntry{}
	for _, e := range es {
		if _, ok := by[e.source]; !ok {
			order = append(order, e.source)
		}
		by[e.source] = append(by[e.source], e)
	}
	if k == kLOSet {
		out := make([]oneroster.LearningObjectiveSet, len(order))
		for i, s := range order {
			out[i].Source = s
			for _, e := range by[s] {
				out[i].LearningObjectiveIDs = append(out[i].LearningObjectiveIDs, e.id)
			}
		}
		return out
	}
	out := make([]oneroster.LearningObjectiveScoreSet, len(order))
	for i, s := range order {
		out[i].Source = s
		for _, e := range by[s] {
			out[i].LearningObjectiveResults = append(out[i].LearningObjectiveResults,
				oneroster.LearningObjectiveResult{LearningObjectiveID: e.id, Score: e.score, TextScore: e.text})
		}
	}
	return out
}

// loEntries flattens a stored learning objective set.
func loEntries(v any) []loEntry {
	var out []loEntry
	switch s := v.(type) {
	case []oneroster.LearningObjectiveSet:
		for _, set := range s {
			for _, id := range set.LearningObjectiveIDs {
				out = append(out, loEntry{source: set.Source, id: id})
			}
		}
	case []oneroster.LearningObjectiveScoreSet:
		for _, set := range s {
			for _, r := range set.LearningObjectiveResults {
				out = append(out, loEntry{source: set.Source, id: r.LearningObjectiveID, score: r.Score, text: r.TextScore})
			}
		}
	}
	return out
}

// refsOf reads a nullable foreign key of every record of table that has one.
func (w *writer) refsOf(ctx context.Context, table, field string) (map[int]int, error) {
	rows, err := w.tx.QueryContext(ctx, fmt.Sprintf(`SELECT "id", %q FROM %q WHERE %q IS NOT NULL`, field, table, field))
	if err != nil {
		return nil, fmt.Errorf("reading %s.%s: %w", table, field, err)
	}
	defer rows.Close()
	out := map[int]int{}
	for rows.Next() {
		var id, ref int
		if err := rows.Scan(&id, &ref); err != nil {
			return nil, err
		}
		out[id] = ref
	}
	return out, rows.Err()
}

// loSets reads the learning objectives of every record of table that has some.
func (w *writer) loSets(ctx context.Context, table string, k kind) (map[int][]loEntry, error) {
	rows, err := w.tx.QueryContext(ctx, fmt.Sprintf(`SELECT "id", "learning_objective_set" FROM %q
		WHERE "learning_objective_set" IS NOT NULL`, table))
	if err != nil {
		return nil, fmt.Errorf("reading %s learning objectives: %w", table, err)
	}
	defer rows.Close()
	out := map[int][]loEntry{}
	for rows.Next() {
		var id int
		var b []byte
		if err := rows.Scan(&id, &b); err != nil {
			return nil, err
		}
		v, err := decode(k, &b)
		if err != nil {
			return nil, err
		}
		if es := loEntries(v); len(es) > 0 {
			out[id] = es
		}
	}
	return out, rows.Err()
}

func sortedKeys[V any](m map[int]V) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
