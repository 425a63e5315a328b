package gradebook

import (
	"context"
	"net/http"

	"github.com/rollcall/rollcall/cache"
	"github.com/rollcall/rollcall/ent/assessmentlineitem"
	"github.com/rollcall/rollcall/ent/assessmentresult"
	"github.com/rollcall/rollcall/ent/category"
	"github.com/rollcall/rollcall/ent/lineitem"
	"github.com/rollcall/rollcall/ent/result"
	"github.com/rollcall/rollcall/ent/scorescale"
	"github.com/rollcall/rollcall/facade"
	"github.com/rollcall/rollcall/oneroster"
)

// delete serves DELETE /<entity>/{sourcedId}: 204 with no body. The live record becomes a tombstone (the ent
// mixin's soft delete, stamped with the vendor's service account) and is published as one at once, so it
// leaves every later read: 404 by sourcedId, absent from lists (a delta filter on dateLastModified still
// lists the tombstone). A line item's results, and an assessment line item's, go with it. A record the
// connection does not see, or one already deleted, is 404 unknownobject.
func (s *Service) delete(e entity) facade.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, req *facade.Request) error {
		if err := authorize(req, e.assessment); err != nil {
			return err
		}
		id := r.PathValue("sourcedId")
		p, err := check{r.Context(), req}.existing(e.coll, id)
		if err != nil {
			return err
		}
		if !p.seen {
			return facade.UnknownObject(e.noun, id)
		}
		err = s.write(r.Context(), req, func(ctx context.Context, t *txn) error {
			t.touch(e.coll, id) // first: its results are published after it, as tombstones
			if err := t.remove(ctx, e, id); err != nil {
				return err
			}
			t.audit("delete", e.coll, id, map[string]any{"connection": req.Principal.ConsumerKey, "version": req.Route.Version})
			return nil
		})
		if err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

// remove soft-deletes the active record with the sourcedId (404 when there is none).
func (t *txn) remove(ctx context.Context, e entity, sid string) error {
	active := oneroster.StatusActive
	missing := facade.UnknownObject(e.noun, sid)
	switch e.coll {
	case cache.Categories:
		row, err := first(forUpdate(t, t.Category.Query().Where(category.SourcedID(sid), category.Status(active))).Only(ctx))
		if err != nil || row == nil {
			return firstErr(err, missing)
		}
		return t.Category.DeleteOne(row).Exec(ctx)
	case cache.LineItems:
		row, err := first(forUpdate(t, t.LineItem.Query().Where(lineitem.SourcedID(sid), lineitem.Status(active))).Only(ctx))
		if err != nil || row == nil {
			return firstErr(err, missing)
		}
		if err := t.touchResults(ctx, row.ID); err != nil {
			return err
		}
		return t.LineItem.DeleteOne(row).Exec(ctx)
	case cache.Results:
		row, err := first(forUpdate(t, t.Result.Query().Where(result.SourcedID(sid), result.Status(active))).Only(ctx))
		if err != nil || row == nil {
			return firstErr(err, missing)
		}
		li, err := t.LineItem.Query().Where(lineitem.ID(row.LineItemID)).WithAcademicSession().Only(ctx)
		if err != nil {
			return err
		}
		if err := t.closedPeriod(li.Edges.AcademicSession, li.SourcedID); err != nil {
			return err
		}
		return t.Result.DeleteOne(row).Exec(ctx)
	case cache.ScoreScales:
		row, err := first(forUpdate(t, t.ScoreScale.Query().Where(scorescale.SourcedID(sid), scorescale.Status(active))).Only(ctx))
		if err != nil || row == nil {
			return firstErr(err, missing)
		}
		return t.ScoreScale.DeleteOne(row).Exec(ctx)
	case cache.AssessmentLineItems:
		row, err := first(forUpdate(t, t.AssessmentLineItem.Query().Where(assessmentlineitem.SourcedID(sid), assessmentlineitem.Status(active))).Only(ctx))
		if err != nil || row == nil {
			return firstErr(err, missing)
		}
		if err := t.touchAssessmentResults(ctx, row.ID); err != nil {
			return err
		}
		return t.AssessmentLineItem.DeleteOne(row).Exec(ctx)
	}
	row, err := first(forUpdate(t, t.AssessmentResult.Query().Where(assessmentresult.SourcedID(sid), assessmentresult.Status(active))).Only(ctx))
	if err != nil || row == nil {
		return firstErr(err, missing)
	}
	return t.AssessmentResult.DeleteOne(row).Exec(ctx)
}
