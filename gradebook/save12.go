package gradebook

import (
	"context"

	"github.com/rollcall/rollcall/cache"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/assessmentlineitem"
	"github.com/rollcall/rollcall/ent/assessmentresult"
	"github.com/rollcall/rollcall/ent/scorescale"
	"github.com/rollcall/rollcall/facade"
	"github.com/rollcall/rollcall/oneroster"
)

// The writers of OneRoster 1.2's score scales and the Assessment Results Profile.

type scoreScaleW struct{ in *scoreScaleIn }

func (w *scoreScaleW) sid() string { return w.in.SourcedID }

func (w *scoreScaleW) refs(c check) error {
	return firstErr(c.ref("scoreScale.class", cache.Classes, "", w.in.Class), c.ref("scoreScale.course", cache.Courses, "", w.in.Course))
}

func (w *scoreScaleW) save(ctx context.Context, t *txn, p prior) (bool, error) {
	in := w.in
	row, err := first(forUpdate(t, t.ScoreScale.Query().Where(scorescale.SourcedID(in.SourcedID))).Only(ctx))
	if err != nil {
		return false, err
	}
	active := row != nil && row.Status == oneroster.StatusActive
	if err := t.guard(ctx, active, p, "score scale", in.SourcedID, func() string { return row.ModifiedBy }); err != nil {
		return false, err
	}
	cl, err := t.class(ctx, "scoreScale.class", in.Class)
	if err != nil {
		return false, err
	}
	course := 0
	if in.Course != "" {
		if course, err = t.courseID(ctx, "scoreScale.course", in.Course); err != nil {
			return false, err
		}
	}
	fields := []kv{{"title", in.Title}, {"type", in.Type}, {"score_scale_value", in.Values}, {"class_id", cl.ID},
		optID("course_id", course), meta(in.Metadata)}
	var m ent.Mutation = t.ScoreScale.Create().SetSourcedID(in.SourcedID).Mutation()
	if row != nil {
		m = t.ScoreScale.UpdateOne(row).SetStatus(oneroster.StatusActive).Mutation()
	}
	return !active, t.apply(ctx, m, row == nil, fields)
}

type assessmentLineItemW struct{ in *assessmentLineItemIn }

func (w *assessmentLineItemW) sid() string { return w.in.SourcedID }

func (w *assessmentLineItemW) refs(c check) error {
	in := w.in
	if in.Class == "" && !c.req.Viewer.AllSchools {
		return facade.Forbidden("assessmentLineItem.class: a connection limited to some schools writes assessment line items of its classes only; name the class")
	}
	return firstErr(
		c.ref("assessmentLineItem.class", cache.Classes, "", in.Class),
		c.ref("assessmentLineItem.parentAssessmentLineItem", cache.AssessmentLineItems, "", in.Parent),
		c.ref("assessmentLineItem.scoreScale", cache.ScoreScales, "", in.ScoreScale))
}

func (w *assessmentLineItemW) save(ctx context.Context, t *txn, p prior) (bool, error) {
	in := w.in
	row, err := first(forUpdate(t, t.AssessmentLineItem.Query().Where(assessmentlineitem.SourcedID(in.SourcedID))).Only(ctx))
	if err != nil {
		return false, err
	}
	active := row != nil && row.Status == oneroster.StatusActive
	if err := t.guard(ctx, active, p, "assessment line item", in.SourcedID, func() string { return row.ModifiedBy }); err != nil {
		return false, err
	}
	var class, parent, scale int
	if in.Class != "" {
		cl, err := t.class(ctx, "assessmentLineItem.class", in.Class)
		if err != nil {
			return false, err
		}
		class = cl.ID
	}
	if in.Parent != "" {
		p, err := t.assessmentLineItem(ctx, "assessmentLineItem.parentAssessmentLineItem", in.Parent)
		if err != nil {
			return false, err
		}
		parent = p.ID
	}
	if in.ScoreScale != "" {
		if scale, err = t.scoreScaleID(ctx, "assessmentLineItem.scoreScale", in.ScoreScale); err != nil {
			return false, err
		}
	}
	fields := []kv{{"title", in.Title}, {"description", in.Description}, optID("class_id", class), optID("parent_id", parent),
		optID("score_scale_id", scale), opt("result_value_min", in.Min), opt("result_value_max", in.Max),
		objectives(in.Objectives), meta(in.Metadata)}
	var m ent.Mutation = t.AssessmentLineItem.Create().SetSourcedID(in.SourcedID).Mutation()
	if row != nil {
		m = t.AssessmentLineItem.UpdateOne(row).SetStatus(oneroster.StatusActive).Mutation()
	}
	if err := t.apply(ctx, m, row == nil, fields); err != nil {
		return false, err
	}
	if row != nil && (!active || row.ClassID == nil || *row.ClassID != class) {
		if err := t.touchAssessmentResults(ctx, row.ID); err != nil {
			return false, err
		}
	}
	return !active, nil
}

// touchAssessmentResults publishes the results of an assessment line item again.
func (t *txn) touchAssessmentResults(ctx context.Context, itemID int) error {
	sids, err := t.AssessmentResult.Query().Where(assessmentresult.AssessmentLineItemID(itemID)).
		Select(assessmentresult.FieldSourcedID).Strings(ctx)
	for _, sid := range sids {
		t.touch(cache.AssessmentResults, sid)
	}
	return err
}

type assessmentResultW struct{ in *assessmentResultIn }

func (w *assessmentResultW) sid() string { return w.in.SourcedID }

func (w *assessmentResultW) refs(c check) error {
	in := w.in
	return firstErr(
		c.ref("assessmentResult.assessmentLineItem", cache.AssessmentLineItems, "", in.AssessmentLineItem),
		c.ref("assessmentResult.student", cache.Users, cache.KindStudent, in.Student),
		c.ref("assessmentResult.scoreScale", cache.ScoreScales, "", in.ScoreScale))
}

func (w *assessmentResultW) save(ctx context.Context, t *txn, p prior) (bool, error) {
	in := w.in
	row, err := first(forUpdate(t, t.AssessmentResult.Query().Where(assessmentresult.SourcedID(in.SourcedID))).Only(ctx))
	if err != nil {
		return false, err
	}
	active := row != nil && row.Status == oneroster.StatusActive
	if err := t.guard(ctx, active, p, "assessment result", in.SourcedID, func() string { return row.ModifiedBy }); err != nil {
		return false, err
	}
	item, err := t.assessmentLineItem(ctx, "assessmentResult.assessmentLineItem", in.AssessmentLineItem)
	if err != nil {
		return false, err
	}
	student, err := t.userID(ctx, "assessmentResult.student", in.Student)
	if err != nil {
		return false, err
	}
	if cl := item.Edges.Class; cl != nil {
		why := " (the class of assessment line item " + quote(item.SourcedID) + ")"
		if err := t.enrolled(ctx, "assessmentResult.student", student, in.Student, cl, why); err != nil {
			return false, err
		}
	}
	scale := 0
	if in.ScoreScale != "" {
		if scale, err = t.scoreScaleID(ctx, "assessmentResult.scoreScale", in.ScoreScale); err != nil {
			return false, err
		}
	}
	fields := append(scoreFields(in.scoreIn, true), kv{"assessment_line_item_id", item.ID}, kv{"student_id", student},
		optID("score_scale_id", scale), opt("score_percentile", in.Percentile))
	var m ent.Mutation = t.AssessmentResult.Create().SetSourcedID(in.SourcedID).Mutation()
	if row != nil {
		m = t.AssessmentResult.UpdateOne(row).SetStatus(oneroster.StatusActive).Mutation()
	}
	return !active, t.apply(ctx, m, row == nil, fields)
}
