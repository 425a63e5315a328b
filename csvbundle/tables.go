package csvbundle

import (
	"context"

	"entgo.io/ent/dialect/sql"

	"github.com/rollcall/rollcall/ent"
)

// table is one entity's SQL table, with the ent operations the importer writes it through: bulk creates and
// update mutations, so that the record hooks stamp dateLastModified and modifiedBy.
type table struct {
	name  string // SQL table, e.g. "academic_sessions"
	label string // for messages, e.g. "academic session"
	// create creates n records in one statement; fill sets the fields of the i-th mutation.
	create func(ctx context.Context, c *ent.Client, n int, fill func(i int, m ent.Mutation) error) ([]int, error)
	// update returns an update mutation (op OpUpdate) to restrict with WhereP.
	update func(c *ent.Client) ent.Mutation
}

// whereP is the predicate method every generated mutation has.
type whereP interface{ WhereP(...func(*sql.Selector)) }

// bulk builds a table's create function from its builder constructor, its bulk save and an entity's id.
func bulk[B interface{ Mutation() M }, M ent.Mutation, E any](
	newB func(*ent.Client) B, save func(context.Context, *ent.Client, []B) ([]E, error), id func(E) int,
) func(context.Context, *ent.Client, int, func(int, ent.Mutation) error) ([]int, error) {
	return func(ctx context.Context, c *ent.Client, n int, fill func(int, ent.Mutation) error) ([]int, error) {
		bs := make([]B, n)
		for i := range bs {
			bs[i] = newB(c)
			if err := fill(i, bs[i].Mutation()); err != nil {
				return nil, err
			}
		}
		es, err := save(ctx, c, bs)
		if err != nil {
			return nil, err
		}
		ids := make([]int, len(es))
		for i, e := range es {
			ids[i] = id(e)
		}
		return ids, nil
	}
}

// The tables a bundle writes, by SQL name.
var tables = map[string]*table{
	"orgs": {name: "orgs", label: "org",
		create: bulk(func(c *ent.Client) *ent.OrgCreate { return c.Org.Create() },
			func(ctx context.Context, c *ent.Client, bs []*ent.OrgCreate) ([]*ent.Org, error) {
				return c.Org.CreateBulk(bs...).Save(ctx)
			},
			func(e *ent.Org) int { return e.ID }),
		update: func(c *ent.Client) ent.Mutation { return c.Org.Update().Mutation() }},
	"academic_sessions": {name: "academic_sessions", label: "academic session",
		create: bulk(func(c *ent.Client) *ent.AcademicSessionCreate { return c.AcademicSession.Create() },
			func(ctx context.Context, c *ent.Client, bs []*ent.AcademicSessionCreate) ([]*ent.AcademicSession, error) {
				return c.AcademicSession.CreateBulk(bs...).Save(ctx)
			},
			func(e *ent.AcademicSession) int { return e.ID }),
		update: func(c *ent.Client) ent.Mutation { return c.AcademicSession.Update().Mutation() }},
	"courses": {name: "courses", label: "course",
		create: bulk(func(c *ent.Client) *ent.CourseCreate { return c.Course.Create() },
			func(ctx context.Context, c *ent.Client, bs []*ent.CourseCreate) ([]*ent.Course, error) {
				return c.Course.CreateBulk(bs...).Save(ctx)
			},
			func(e *ent.Course) int { return e.ID }),
		update: func(c *ent.Client) ent.Mutation { return c.Course.Update().Mutation() }},
	"classes": {name: "classes", label: "class",
		create: bulk(func(c *ent.Client) *ent.ClassCreate { return c.Class.Create() },
			func(ctx context.Context, c *ent.Client, bs []*ent.ClassCreate) ([]*ent.Class, error) {
				return c.Class.CreateBulk(bs...).Save(ctx)
			},
			func(e *ent.Class) int { return e.ID }),
		update: func(c *ent.Client) ent.Mutation { return c.Class.Update().Mutation() }},
	"users": {name: "users", label: "user",
		create: bulk(func(c *ent.Client) *ent.UserCreate { return c.User.Create() },
			func(ctx context.Context, c *ent.Client, bs []*ent.UserCreate) ([]*ent.User, error) {
				return c.User.CreateBulk(bs...).Save(ctx)
			},
			func(e *ent.User) int { return e.ID }),
		update: func(c *ent.Client) ent.Mutation { return c.User.Update().Mutation() }},
	"roles": {name: "roles", label: "role",
		create: bulk(func(c *ent.Client) *ent.RoleCreate { return c.Role.Create() },
			func(ctx context.Context, c *ent.Client, bs []*ent.RoleCreate) ([]*ent.Role, error) {
				return c.Role.CreateBulk(bs...).Save(ctx)
			},
			func(e *ent.Role) int { return e.ID }),
		update: func(c *ent.Client) ent.Mutation { return c.Role.Update().Mutation() }},
	"user_profiles": {name: "user_profiles", label: "user profile",
		create: bulk(func(c *ent.Client) *ent.UserProfileCreate { return c.UserProfile.Create() },
			func(ctx context.Context, c *ent.Client, bs []*ent.UserProfileCreate) ([]*ent.UserProfile, error) {
				return c.UserProfile.CreateBulk(bs...).Save(ctx)
			},
			func(e *ent.UserProfile) int { return e.ID }),
		update: func(c *ent.Client) ent.Mutation { return c.UserProfile.Update().Mutation() }},
	"enrollments": {name: "enrollments", label: "enrollment",
		create: bulk(func(c *ent.Client) *ent.EnrollmentCreate { return c.Enrollment.Create() },
			func(ctx context.Context, c *ent.Client, bs []*ent.EnrollmentCreate) ([]*ent.Enrollment, error) {
				return c.Enrollment.CreateBulk(bs...).Save(ctx)
			},
			func(e *ent.Enrollment) int { return e.ID }),
		update: func(c *ent.Client) ent.Mutation { return c.Enrollment.Update().Mutation() }},
	"demographics": {name: "demographics", label: "demographics record",
		create: bulk(func(c *ent.Client) *ent.DemographicCreate { return c.Demographic.Create() },
			func(ctx context.Context, c *ent.Client, bs []*ent.DemographicCreate) ([]*ent.Demographic, error) {
				return c.Demographic.CreateBulk(bs...).Save(ctx)
			},
			func(e *ent.Demographic) int { return e.ID }),
		update: func(c *ent.Client) ent.Mutation { return c.Demographic.Update().Mutation() }},
	"resources": {name: "resources", label: "resource",
		create: bulk(func(c *ent.Client) *ent.ResourceCreate { return c.Resource.Create() },
			func(ctx context.Context, c *ent.Client, bs []*ent.ResourceCreate) ([]*ent.Resource, error) {
				return c.Resource.CreateBulk(bs...).Save(ctx)
			},
			func(e *ent.Resource) int { return e.ID }),
		update: func(c *ent.Client) ent.Mutation { return c.Resource.Update().Mutation() }},
	"categories": {name: "categories", label: "category",
		create: bulk(func(c *ent.Client) *ent.CategoryCreate { return c.Category.Create() },
			func(ctx context.Context, c *ent.Client, bs []*ent.CategoryCreate) ([]*ent.Category, error) {
				return c.Category.CreateBulk(bs...).Save(ctx)
			},
			func(e *ent.Category) int { return e.ID }),
		update: func(c *ent.Client) ent.Mutation { return c.Category.Update().Mutation() }},
	"score_scales": {name: "score_scales", label: "score scale",
		create: bulk(func(c *ent.Client) *ent.ScoreScaleCreate { return c.ScoreScale.Create() },
			func(ctx context.Context, c *ent.Client, bs []*ent.ScoreScaleCreate) ([]*ent.ScoreScale, error) {
				return c.ScoreScale.CreateBulk(bs...).Save(ctx)
			},
			func(e *ent.ScoreScale) int { return e.ID }),
		update: func(c *ent.Client) ent.Mutation { return c.ScoreScale.Update().Mutation() }},
	"line_items": {name: "line_items", label: "line item",
		create: bulk(func(c *ent.Client) *ent.LineItemCreate { return c.LineItem.Create() },
			func(ctx context.Context, c *ent.Client, bs []*ent.LineItemCreate) ([]*ent.LineItem, error) {
				return c.LineItem.CreateBulk(bs...).Save(ctx)
			},
			func(e *ent.LineItem) int { return e.ID }),
		update: func(c *ent.Client) ent.Mutation { return c.LineItem.Update().Mutation() }},
	"results": {name: "results", label: "result",
		create: bulk(func(c *ent.Client) *ent.ResultCreate { return c.Result.Create() },
			func(ctx context.Context, c *ent.Client, bs []*ent.ResultCreate) ([]*ent.Result, error) {
				return c.Result.CreateBulk(bs...).Save(ctx)
			},
			func(e *ent.Result) int { return e.ID }),
		update: func(c *ent.Client) ent.Mutation { return c.Result.Update().Mutation() }},
}
