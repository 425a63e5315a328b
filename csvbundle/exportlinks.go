package csvbundle

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// linkRows writes a link file (see links.go): its rows are made from the links stored on their owners.
func (ex *exporter) linkRows(ctx context.Context, spec *fileSpec, cw *csvWriter) error {
	header := []string{"sourcedId", "status", "dateLastModified"}
	for _, c := range spec.cols {
		header = append(header, c.name)
	}
	if err := cw.write(header); err != nil {
		return err
	}
	type lrow struct {
		sid   string
		cells []string
	}
	var out []lrow
	add := func(sid string, set map[int]string) {
		cells := make([]string, 3+len(spec.cols))
		cells[0], cells[1] = sid, "active"
		for i, v := range set {
			cells[3+i] = v
		}
		out = append(out, lrow{sid, cells})
	}
	switch spec.kind {
	case fJoin:
		links, err := ex.joinAll(ctx, spec.join)
		if err != nil {
			return err
		}
		for o, ts := range links {
			osid, err := ex.sid(ctx, spec.table, o)
			if err != nil {
				return err
			}
			for _, t := range ts {
				tsid, err := ex.sid(ctx, "resources", t)
				if err != nil {
					return err
				}
				add(synthID(osid, tsid), map[int]string{spec.owner: osid, spec.target: tsid})
			}
		}
	case fScaleLink:
		refs, err := ex.refsOf(ctx, spec.table, "score_scale_id")
		if err != nil {
			return err
		}
		for o, s := range refs {
			osid, err := ex.sid(ctx, spec.table, o)
			if err != nil {
				return err
			}
			ssid, err := ex.sid(ctx, "score_scales", s)
			if err != nil {
				return err
			}
			add(synthID(osid, ssid), map[int]string{spec.owner: osid, spec.target: ssid})
		}
	case fLOSet:
		k := kLOSet
		if spec.table == "results" {
			k = kLOScores
		}
		sets, err := (&writer{tx: ex.tx, dia: ex.dia}).loSets(ctx, spec.table, k)
		if err != nil {
			return err
		}
		for o, es := range sets {
			osid, err := ex.sid(ctx, spec.table, o)
			if err != nil {
				return err
			}
			for _, e := range es {
				set := map[int]string{0: osid, 1: e.source, 2: e.id}
				if len(spec.cols) > 3 {
					if e.score != nil {
						set[3] = formatFloat(*e.score)
					}
					set[4] = e.text
				}
				add(synthID(osid, e.source, e.id), set)
			}
		}
	}
	slices.SortFunc(out, func(a, b lrow) int { return strings.Compare(a.sid, b.sid) })
	for i, r := range out {
		if i > 0 && r.sid == out[i-1].sid {
			return fmt.Errorf("two rows would share the made-up sourcedId %s", r.sid)
		}
		if err := cw.write(r.cells); err != nil {
			return err
		}
		ex.counts[spec.name]++
		ex.bar.Add(1)
	}
	return nil
}

// refsOf reads a nullable foreign key of every record of table that has one.
func (ex *exporter) refsOf(ctx context.Context, table, field string) (map[int]int, error) {
	return (&writer{tx: ex.tx, dia: ex.dia}).refsOf(ctx, table, field)
}
