package graph

import (
	"context"
	"fmt"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/ent"
	"github.com/rollcall/rollcall/provision"
)

// setExclude sets External LMS Exclude on the record with this global id and audits the change. Only the
// kinds the district can exclude qualify: orgs (schools), academic sessions, courses, classes, users and
// enrollments. The next cache refresh publishes the record (and what hangs beneath it) as tombstones.
func (r *Resolver) setExclude(ctx context.Context, id int, exclude bool) (ent.Noder, error) {
	if err := requireRole(ctx, provision.RoleSISAdmin); err != nil {
		return nil, err
	}
	c := r.db(ctx)
	n, err := c.Noder(ctx, id)
	if err != nil {
		return nil, &gqlerror.Error{Message: fmt.Sprintf("no record with id %d", id), Extensions: map[string]any{"code": "NOT_FOUND"}}
	}
	var sourcedID string
	switch v := n.(type) {
	case *ent.Org:
		sourcedID = v.SourcedID
		n, err = v.Update().SetExternalLmsExclude(exclude).Save(ctx)
	case *ent.AcademicSession:
		sourcedID = v.SourcedID
		n, err = v.Update().SetExternalLmsExclude(exclude).Save(ctx)
	case *ent.Course:
		sourcedID = v.SourcedID
		n, err = v.Update().SetExternalLmsExclude(exclude).Save(ctx)
	case *ent.Class:
		sourcedID = v.SourcedID
		n, err = v.Update().SetExternalLmsExclude(exclude).Save(ctx)
	case *ent.User:
		sourcedID = v.SourcedID
		n, err = v.Update().SetExternalLmsExclude(exclude).Save(ctx)
	case *ent.Enrollment:
		sourcedID = v.SourcedID
		n, err = v.Update().SetExternalLmsExclude(exclude).Save(ctx)
	default:
		return nil, &gqlerror.Error{Message: fmt.Sprintf("a %T has no External LMS Exclude flag", n), Extensions: map[string]any{"code": "INVALID_INPUT"}}
	}
	if err != nil {
		return nil, err
	}
	return n, audit.Record(ctx, c, audit.Event{
		Action: "record.exclude", Target: fmt.Sprintf("%s:%s", kindName(n), sourcedID),
		Detail: map[string]any{"externalLmsExclude": exclude},
	})
}

// kindName names a record kind for the audit log ("org", "class"...).
func kindName(n ent.Noder) string {
	switch n.(type) {
	case *ent.Org:
		return "org"
	case *ent.AcademicSession:
		return "academicSession"
	case *ent.Course:
		return "course"
	case *ent.Class:
		return "class"
	case *ent.User:
		return "user"
	case *ent.Enrollment:
		return "enrollment"
	}
	return "record"
}
