package demo

import (
	"context"
	"fmt"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/rollcall/rollcall/ent"
)

// sink writes generated records. Every method writes its records in one or more batches, sets the database id
// of records that others refer to (orgs, sessions, users, courses, classes), and may assume that every record
// referred to was written before. users also writes the links from each user to its agents.
type sink interface {
	orgs(ctx context.Context, os []*org) error
	sessions(ctx context.Context, ss []*session) error
	users(ctx context.Context, us []*user) error
	demographics(ctx context.Context, us []*user) error // the demographics of these students
	roles(ctx context.Context, rs []*role) error
	courses(ctx context.Context, cs []*course) error
	classes(ctx context.Context, cs []*class) error // with their terms
	enrollments(ctx context.Context, es []*enrollment) error
}

// maxParams is the number of bind parameters one statement may carry.
func maxParams(dia string) int {
	if dia == dialect.SQLite {
		return 32766 // SQLITE_MAX_VARIABLE_NUMBER of modernc.org/sqlite
	}
	return 65535 // PostgreSQL's protocol limit
}

// chunks calls fn on consecutive slices of xs, each small enough that rows of cols parameters fit in limit.
func chunks[T any](xs []T, limit, cols int, fn func([]T) error) error {
	size := max(1, limit/cols)
	for len(xs) > 0 {
		n := min(size, len(xs))
		if err := fn(xs[:n]); err != nil {
			return err
		}
		xs = xs[n:]
	}
	return nil
}

// txDriver is an ent driver that runs every statement on one *sql.Tx, so that ent's bulk creates and
// PostgreSQL COPY share a transaction. Nested transactions (ent opens one for bulk creates with edges) are
// no-ops within it.
type txDriver struct {
	entsql.Conn
	dia string
}

func (d txDriver) Dialect() string                        { return d.dia }
func (d txDriver) Tx(context.Context) (dialect.Tx, error) { return dialect.NopTx(d), nil }
func (d txDriver) Close() error                           { return nil }

// entSink writes through ent's bulk creates, so that the record hooks stamp dateLastModified and modifiedBy.
// Column counts below are upper bounds of the columns ent writes per row, for sizing batches.
type entSink struct {
	c     *ent.Client
	limit int
}

func (s *entSink) orgs(ctx context.Context, os []*org) error {
	return chunks(os, s.limit, 12, func(part []*org) error {
		bs := make([]*ent.OrgCreate, len(part))
		for i, o := range part {
			bs[i] = s.c.Org.Create().SetSourcedID(o.sid).SetName(o.name).SetType(o.typ).SetIdentifier(o.identifier)
			if o.parent != nil {
				bs[i].SetParentID(o.parent.id)
			}
		}
		got, err := s.c.Org.CreateBulk(bs...).Save(ctx)
		for i := range got {
			part[i].id = got[i].ID
		}
		return wrap("orgs", err)
	})
}

func (s *entSink) sessions(ctx context.Context, ss []*session) error {
	return chunks(ss, s.limit, 14, func(part []*session) error {
		bs := make([]*ent.AcademicSessionCreate, len(part))
		for i, x := range part {
			bs[i] = s.c.AcademicSession.Create().SetSourcedID(x.sid).SetTitle(x.title).SetType(x.typ).
				SetStartDate(x.start).SetEndDate(x.end).SetSchoolYear(x.schoolYear).SetOrgID(x.org.id)
			if x.parent != nil {
				bs[i].SetParentID(x.parent.id)
			}
		}
		got, err := s.c.AcademicSession.CreateBulk(bs...).Save(ctx)
		for i := range got {
			part[i].id = got[i].ID
		}
		return wrap("academic sessions", err)
	})
}

func (s *entSink) users(ctx context.Context, us []*user) error {
	return chunks(us, s.limit, 26, func(part []*user) error {
		bs := make([]*ent.UserCreate, len(part))
		for i, u := range part {
			c := s.c.User.Create().SetSourcedID(u.sid).SetStatus(u.status).SetUsername(u.username).
				SetUserMasterIdentifier(u.masterID).SetEnabledUser(u.enabled).SetGivenName(u.given).
				SetFamilyName(u.family).SetMiddleName(u.middle).SetPreferredFirstName(u.preferred).
				SetPronouns(u.pronouns).SetIdentifier(u.identifier).SetEmail(u.email).SetSms(u.sms).
				SetPhone(u.phone).SetPrimaryOrgID(u.primaryOrg.id)
			if len(u.userIDs) > 0 {
				c.SetUserIds(u.userIDs)
			}
			if len(u.grades) > 0 {
				c.SetGrades(u.grades)
			}
			for _, a := range u.agents {
				c.AddAgentIDs(a.id)
			}
			bs[i] = c
		}
		got, err := s.c.User.CreateBulk(bs...).Save(ctx)
		for i := range got {
			part[i].id = got[i].ID
		}
		return wrap("users", err)
	})
}

func (s *entSink) demographics(ctx context.Context, us []*user) error {
	return chunks(us, s.limit, 20, func(part []*user) error {
		bs := make([]*ent.DemographicCreate, len(part))
		for i, u := range part {
			d := u.demo
			bs[i] = s.c.Demographic.Create().SetSourcedID(u.sid).SetStatus(d.status).SetBirthDate(d.birthDate).
				SetSex(d.sex).SetAmericanIndianOrAlaskaNative(d.race[0]).SetAsian(d.race[1]).
				SetBlackOrAfricanAmerican(d.race[2]).SetNativeHawaiianOrOtherPacificIslander(d.race[3]).
				SetWhite(d.race[4]).SetDemographicRaceTwoOrMoreRaces(d.race[5]).SetHispanicOrLatinoEthnicity(d.race[6]).
				SetCountryOfBirthCode(d.country).SetStateOfBirthAbbreviation(d.state).SetCityOfBirth(d.city).
				SetPublicSchoolResidenceStatus(d.residence).SetUserID(u.id)
		}
		return wrap("demographics", s.c.Demographic.CreateBulk(bs...).Exec(ctx))
	})
}

func (s *entSink) roles(ctx context.Context, rs []*role) error {
	return chunks(rs, s.limit, 11, func(part []*role) error {
		bs := make([]*ent.RoleCreate, len(part))
		for i, x := range part {
			bs[i] = s.c.Role.Create().SetSourcedID(x.sid).SetStatus(x.status).SetRole(x.role).
				SetRoleType(x.roleType).SetUserID(x.user.id).SetOrgID(x.org.id)
		}
		return wrap("roles", s.c.Role.CreateBulk(bs...).Exec(ctx))
	})
}

func (s *entSink) courses(ctx context.Context, cs []*course) error {
	return chunks(cs, s.limit, 13, func(part []*course) error {
		bs := make([]*ent.CourseCreate, len(part))
		for i, x := range part {
			bs[i] = s.c.Course.Create().SetSourcedID(x.sid).SetTitle(x.title).SetCourseCode(x.code).
				SetGrades(x.grades).SetSubjects(x.subjects).SetSubjectCodes(x.subjectCodes).
				SetOrgID(x.org.id).SetSchoolYearID(x.year.id)
		}
		got, err := s.c.Course.CreateBulk(bs...).Save(ctx)
		for i := range got {
			part[i].id = got[i].ID
		}
		return wrap("courses", err)
	})
}

func (s *entSink) classes(ctx context.Context, cs []*class) error {
	return chunks(cs, s.limit, 17, func(part []*class) error {
		bs := make([]*ent.ClassCreate, len(part))
		for i, x := range part {
			c := s.c.Class.Create().SetSourcedID(x.sid).SetStatus(x.status).SetTitle(x.title).
				SetClassCode(x.code).SetClassType(x.typ).SetLocation(x.location).SetGrades(x.grades).
				SetSubjects(x.subjects).SetSubjectCodes(x.subjectCodes).SetPeriods(x.periods).
				SetCourseID(x.course.id).SetSchoolID(x.school.id)
			for _, t := range x.terms {
				c.AddTermIDs(t.id)
			}
			bs[i] = c
		}
		got, err := s.c.Class.CreateBulk(bs...).Save(ctx)
		for i := range got {
			part[i].id = got[i].ID
		}
		return wrap("classes", err)
	})
}

func (s *entSink) enrollments(ctx context.Context, es []*enrollment) error {
	return chunks(es, s.limit, 13, func(part []*enrollment) error {
		bs := make([]*ent.EnrollmentCreate, len(part))
		for i, x := range part {
			c := s.c.Enrollment.Create().SetSourcedID(x.sid).SetStatus(x.status).SetRole(x.role).
				SetPrimary(x.primary).SetUserID(x.user.id).SetClassID(x.class.id).SetSchoolID(x.school.id)
			if x.begin != "" {
				c.SetBeginDate(x.begin)
			}
			if x.end != "" {
				c.SetEndDate(x.end)
			}
			bs[i] = c
		}
		return wrap("enrollments", s.c.Enrollment.CreateBulk(bs...).Exec(ctx))
	})
}

func wrap(what string, err error) error {
	if err != nil {
		return fmt.Errorf("writing %s: %w", what, err)
	}
	return nil
}
