package gradebook

import (
	"context"

	"github.com/rollcall/rollcall/cache"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/category"
	"github.com/rollcall/rollcall/ent/lineitem"
	"github.com/rollcall/rollcall/ent/result"
	"github.com/rollcall/rollcall/oneroster"
)

// Each writer resolves its references to live rows, creates or replaces its record, and says which other
// records must be published again (the results of a line item that moved or came back). A OneRoster 1.1
// write replaces what 1.1 has and leaves the 1.2-only fields as they are.

type categoryW struct {
	in  *categoryIn
	v12 bool
}

func (w *categoryW) sid() string      { return w.in.SourcedID }
func (w *categoryW) refs(check) error { return nil }

func (w *categoryW) save(ctx context.Context, t *txn, p prior) (bool, error) {
	row, err := first(forUpdate(t, t.Category.Query().Where(category.SourcedID(w.in.SourcedID))).Only(ctx))
	if err != nil {
		return false, err
	}
	active := row != nil && row.Status == oneroster.StatusActive
	if err := t.guard(ctx, active, p, "category", w.in.SourcedID, func() string { return row.ModifiedBy }); err != nil {
		return false, err
	}
	fields := []kv{{"title", w.in.Title}, meta(w.in.Metadata)}
	if w.v12 {
		fields = append(fields, opt("weight", w.in.Weight))
	}
	var m ent.Mutation = t.Category.Create().SetSourcedID(w.in.SourcedID).Mutation()
	if row != nil {
		m = t.Category.UpdateOne(row).SetStatus(oneroster.StatusActive).Mutation()
	}
	return !active, t.apply(ctx, m, row == nil, fields)
}

type lineItemW struct {
	in  *lineItemIn
	v12 bool
}

func (w *lineItemW) sid() string { return w.in.SourcedID }

func (w *lineItemW) refs(c check) error {
	in := w.in
	return firstErr(
		c.ref("lineItem.class", cache.Classes, "", in.Class),
		c.ref("lineItem.school", cache.Orgs, cache.KindSchool, in.School),
		c.ref("lineItem.category", cache.Categories, "", in.Category),
		c.ref("lineItem.gradingPeriod", cache.AcademicSessions, "", in.Session),
		c.ref("lineItem.scoreScale", cache.ScoreScales, "", in.ScoreScale))
}

func (w *lineItemW) save(ctx context.Context, t *txn, p prior) (bool, error) {
	in := w.in
	row, err := first(forUpdate(t, t.LineItem.Query().Where(lineitem.SourcedID(in.SourcedID))).WithClass().Only(ctx))
	if err != nil {
		return false, err
	}
	active := row != nil && row.Status == oneroster.StatusActive
	if err := t.guard(ctx, active, p, "line item", in.SourcedID, func() string { return row.ModifiedBy }); err != nil {
		return false, err
	}
	cl, err := t.class(ctx, "lineItem.class", in.Class)
	if err != nil {
		return false, err
	}
	if in.School != "" {
		id, err := t.orgID(ctx, "lineItem.school", in.School)
		if err != nil {
			return false, err
		}
		if id != cl.SchoolID {
			return false, invalidf("lineItem.school: %s is not the school of class %s (%s)", quote(in.School), quote(in.Class), quote(t.schoolOf(ctx, cl.SchoolID)))
		}
	}
	fields := []kv{{"title", in.Title}, {"description", in.Description}, {"assign_date", in.AssignDate.UTC()},
		{"due_date", in.DueDate.UTC()}, {"class_id", cl.ID}, {"school_id", cl.SchoolID}, meta(in.Metadata),
		opt("result_value_min", in.Min), opt("result_value_max", in.Max)}
	ids := []struct {
		field, name, sid string
		get              func(context.Context, string, string) (int, error)
	}{
		{"lineItem.category", "category_id", in.Category, t.categoryID},
		{"lineItem.gradingPeriod", "academic_session_id", in.Session, func(ctx context.Context, f, s string) (int, error) {
			se, err := t.session(ctx, f, s)
			if err != nil {
				return 0, err
			}
			return se.ID, nil
		}},
		{"lineItem.scoreScale", "score_scale_id", in.ScoreScale, t.scoreScaleID},
	}
	for i, ref := range ids {
		if i == 2 && !w.v12 {
			break // 1.1 has no score scales
		}
		id := 0
		if ref.sid != "" {
			if id, err = ref.get(ctx, ref.field, ref.sid); err != nil {
				return false, err
			}
		}
		fields = append(fields, optID(ref.name, id))
	}
	if w.v12 {
		fields = append(fields, objectives(in.Objectives))
	}
	var m ent.Mutation = t.LineItem.Create().SetSourcedID(in.SourcedID).Mutation()
	if row != nil {
		m = t.LineItem.UpdateOne(row).SetStatus(oneroster.StatusActive).Mutation()
	}
	if err := t.apply(ctx, m, row == nil, fields); err != nil {
		return false, err
	}
	if row != nil && (!active || row.ClassID != cl.ID) {
		// Its results follow it: they come back with it, or are seen by the connections of its new class.
		if err := t.touchResults(ctx, row.ID); err != nil {
			return false, err
		}
	}
	return !active, nil
}

// touchResults publishes the results of a line item again (their visibility follows the line item's).
func (t *txn) touchResults(ctx context.Context, lineItemID int) error {
	sids, err := t.Result.Query().Where(result.LineItemID(lineItemID)).Select(result.FieldSourcedID).Strings(ctx)
	for _, sid := range sids {
		t.touch(cache.Results, sid)
	}
	return err
}

type resultW struct {
	in  *resultIn
	v12 bool
}

func (w *resultW) sid() string { return w.in.SourcedID }

func (w *resultW) refs(c check) error {
	in := w.in
	return firstErr(
		c.ref("result.lineItem", cache.LineItems, "", in.LineItem),
		c.ref("result.student", cache.Users, cache.KindStudent, in.Student),
		c.ref("result.class", cache.Classes, "", in.Class),
		c.ref("result.scoreScale", cache.ScoreScales, "", in.ScoreScale))
}

func (w *resultW) save(ctx context.Context, t *txn, p prior) (bool, error) {
	in := w.in
	row, err := first(forUpdate(t, t.Result.Query().Where(result.SourcedID(in.SourcedID))).Only(ctx))
	if err != nil {
		return false, err
	}
	active := row != nil && row.Status == oneroster.StatusActive
	if err := t.guard(ctx, active, p, "result", in.SourcedID, func() string { return row.ModifiedBy }); err != nil {
		return false, err
	}
	li, err := t.lineItem(ctx, "result.lineItem", in.LineItem)
	if err != nil {
		return false, err
	}
	if active && row.LineItemID != li.ID {
		// Moving a score out of a grading period is a change to that period too.
		old, err := t.LineItem.Query().Where(lineitem.ID(row.LineItemID)).WithAcademicSession().Only(ctx)
		if err != nil {
			return false, err
		}
		if err := t.closedPeriod(old.Edges.AcademicSession, old.SourcedID); err != nil {
			return false, err
		}
	}
	fields, err := w.fields(ctx, t, li)
	if err != nil {
		return false, err
	}
	var m ent.Mutation = t.Result.Create().SetSourcedID(in.SourcedID).Mutation()
	if row != nil {
		m = t.Result.UpdateOne(row).SetStatus(oneroster.StatusActive).Mutation()
	}
	return !active, t.apply(ctx, m, row == nil, fields)
}

// fields checks a result against its line item (its class, the student's enrollment, the grading period)
// and returns what to write.
func (w *resultW) fields(ctx context.Context, t *txn, li *ent.LineItem) ([]kv, error) {
	in := w.in
	cl := li.Edges.Class
	if in.Class != "" && in.Class != cl.SourcedID {
		return nil, invalidf("result.class: %s is not the class of line item %s (%s)", quote(in.Class), quote(li.SourcedID), quote(cl.SourcedID))
	}
	if err := t.closedPeriod(li.Edges.AcademicSession, li.SourcedID); err != nil {
		return nil, err
	}
	student, err := t.userID(ctx, "result.student", in.Student)
	if err != nil {
		return nil, err
	}
	if err := t.enrolled(ctx, "result.student", student, in.Student, cl, " (the class of line item "+quote(li.SourcedID)+")"); err != nil {
		return nil, err
	}
	fields := append(scoreFields(in.scoreIn, w.v12), kv{"line_item_id", li.ID}, kv{"student_id", student}, kv{"class_id", cl.ID})
	if w.v12 {
		scale := 0
		if in.ScoreScale != "" {
			if scale, err = t.scoreScaleID(ctx, "result.scoreScale", in.ScoreScale); err != nil {
				return nil, err
			}
		}
		fields = append(fields, optID("score_scale_id", scale))
	}
	return fields, nil
}

// scoreFields are the fields results and assessment results share.
func scoreFields(in scoreIn, v12 bool) []kv {
	fields := []kv{{"score_status", in.ScoreStatus}, opt("score", in.Score), {"score_date", in.ScoreDate},
		{"comment", in.Comment}, meta(in.Metadata)}
	if v12 {
		fields = append(fields, kv{"text_score", in.TextScore}, opt("in_progress", in.InProgress), opt("incomplete", in.Incomplete),
			opt("late", in.Late), opt("missing", in.Missing))
		fields = append(fields, scoreObjectives(in.Objectives))
	}
	return fields
}

// firstErr returns the first non-nil error.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
