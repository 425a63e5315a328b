package gradebook

import (
	"context"
	"fmt"

	"github.com/rollcall/rollcall/actor"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/ent/academicsession"
	"github.com/rollcall/rollcall/ent/assessmentlineitem"
	"github.com/rollcall/rollcall/ent/category"
	"github.com/rollcall/rollcall/ent/class"
	"github.com/rollcall/rollcall/ent/course"
	"github.com/rollcall/rollcall/ent/enrollment"
	"github.com/rollcall/rollcall/ent/lineitem"
	"github.com/rollcall/rollcall/ent/org"
	"github.com/rollcall/rollcall/ent/scorescale"
	"github.com/rollcall/rollcall/ent/user"
	"github.com/rollcall/rollcall/facade"
	"github.com/rollcall/rollcall/oneroster"
)

// Live lookups inside the write's transaction. The references were checked against the cache (what the
// connection sees) before the transaction; here they are resolved to rows, and a row that is gone from the
// live data in between is the same 422 as an unknown reference.

func gone(field, what, sid string) error {
	return invalidf("%s: no %s with sourcedId %s is available to this connection", field, what, quote(sid))
}

// found turns ent's not-found into the 422 of an unknown reference.
func found[T any](v T, err error, field, what, sid string) (T, error) {
	if ent.IsNotFound(err) {
		return v, gone(field, what, sid)
	}
	return v, err
}

func (t *txn) class(ctx context.Context, field, sid string) (*ent.Class, error) {
	c, err := t.Class.Query().Where(class.SourcedID(sid), class.Status(oneroster.StatusActive)).Only(ctx)
	return found(c, err, field, "class", sid)
}

func (t *txn) orgID(ctx context.Context, field, sid string) (int, error) {
	id, err := t.Org.Query().Where(org.SourcedID(sid), org.Status(oneroster.StatusActive)).OnlyID(ctx)
	return found(id, err, field, "org", sid)
}

func (t *txn) categoryID(ctx context.Context, field, sid string) (int, error) {
	id, err := t.Category.Query().Where(category.SourcedID(sid), category.Status(oneroster.StatusActive)).OnlyID(ctx)
	return found(id, err, field, "category", sid)
}

func (t *txn) session(ctx context.Context, field, sid string) (*ent.AcademicSession, error) {
	s, err := t.AcademicSession.Query().Where(academicsession.SourcedID(sid), academicsession.Status(oneroster.StatusActive)).Only(ctx)
	return found(s, err, field, "academic session", sid)
}

func (t *txn) scoreScaleID(ctx context.Context, field, sid string) (int, error) {
	id, err := t.ScoreScale.Query().Where(scorescale.SourcedID(sid), scorescale.Status(oneroster.StatusActive)).OnlyID(ctx)
	return found(id, err, field, "score scale", sid)
}

func (t *txn) courseID(ctx context.Context, field, sid string) (int, error) {
	id, err := t.Course.Query().Where(course.SourcedID(sid), course.Status(oneroster.StatusActive)).OnlyID(ctx)
	return found(id, err, field, "course", sid)
}

func (t *txn) userID(ctx context.Context, field, sid string) (int, error) {
	id, err := t.User.Query().Where(user.SourcedID(sid), user.Status(oneroster.StatusActive)).OnlyID(ctx)
	return found(id, err, field, "student", sid)
}

// lineItem is an active line item with its class and academic session loaded.
func (t *txn) lineItem(ctx context.Context, field, sid string) (*ent.LineItem, error) {
	li, err := t.LineItem.Query().Where(lineitem.SourcedID(sid), lineitem.Status(oneroster.StatusActive)).
		WithClass().WithAcademicSession().Only(ctx)
	return found(li, err, field, "line item", sid)
}

func (t *txn) assessmentLineItem(ctx context.Context, field, sid string) (*ent.AssessmentLineItem, error) {
	a, err := t.AssessmentLineItem.Query().Where(assessmentlineitem.SourcedID(sid), assessmentlineitem.Status(oneroster.StatusActive)).
		WithClass().Only(ctx)
	return found(a, err, field, "assessment line item", sid)
}

// enrolled refuses a student who is not actively enrolled as a student in the class.
func (t *txn) enrolled(ctx context.Context, field string, studentID int, studentSID string, cl *ent.Class, why string) error {
	ok, err := t.Enrollment.Query().Where(enrollment.UserID(studentID), enrollment.ClassID(cl.ID),
		enrollment.Role("student"), enrollment.Status(oneroster.StatusActive)).Exist(ctx)
	if err != nil || ok {
		return err
	}
	return invalidf("%s: student %s is not enrolled in class %s%s", field, quote(studentSID), quote(cl.SourcedID), why)
}

// schoolOf is the sourcedId of an org row, for messages.
func (t *txn) schoolOf(ctx context.Context, id int) string {
	o, err := t.Org.Get(ctx, id)
	if err != nil {
		return fmt.Sprint(id)
	}
	return o.SourcedID
}

// guard refuses to replace a live, active record the connection did not see before the transaction: one
// of another school (foreign), or one it cannot see for another reason (unpublished, hidden) unless it last
// wrote that record itself (a concurrent PUT of the same new record, not yet published when it looked).
func (t *txn) guard(ctx context.Context, active bool, p prior, what, sid string, modifiedBy func() string) error {
	if !active || p.seen || (!p.foreign && modifiedBy() == actor.From(ctx)) {
		return nil
	}
	return facade.Forbidden(fmt.Sprintf("%s %s exists and is not available to this connection (another school's, or not published)", what, quote(sid)))
}
