package csvbundle

import "github.com/rollcall/rollcall/oneroster"

// kind is how a column's cells are parsed, compared, stored and written back.
type kind uint8

const (
	kText      kind = iota // string field; a blank cell is def or ""
	kEnum                  // string field from voc; a blank cell is def (or a problem when required)
	kNullEnum              // nullable string field from voc
	kDate                  // YYYY-MM-DD string field
	kNullDate              // nullable YYYY-MM-DD string field
	kYear                  // YYYY string field
	kBool                  // bool field; a blank cell is def
	kNullBool              // nullable bool field
	kNullFloat             // nullable float field
	kTime                  // dateTime field (time.Time)
	kList                  // comma-separated cell, JSON []string field
	kEnumList              // as kList, each item from voc
	kUserIDs               // {type:identifier} cell, JSON []oneroster.UserID field
	kScale                 // {lhs:rhs} cell, JSON []oneroster.ScoreScaleValue field
	kCreds                 // JSON []oneroster.Credential field (userProfiles: built from the credential columns)
	kLOSet                 // JSON []oneroster.LearningObjectiveSet field (lineItemLearningObjectiveIds.csv)
	kLOScores              // JSON []oneroster.LearningObjectiveScoreSet field (resultLearningObjectiveIds.csv)
	kRef                   // a sourcedId: the id of a record of ref, in a foreign key field
	kRefs                  // comma-separated sourcedIds of records of ref: the rows of join
	kCheck                 // a sourcedId of a record of ref that is checked but not stored
	kIgnore                // a cell that is read and not stored (the title of link files)
	kOrgs11                // 1.1 users.orgSourcedIds: roles at these orgs, the first is the primary org
	kRole11                // 1.1 users.role: the role at each of those orgs
	kCred                  // a credential cell of userProfiles.csv (credentialType, username, password)
)

// join is a many-to-many join table: owner and target are its columns.
type join struct{ table, owner, target string }

var (
	classTerms      = &join{"class_terms", "class_id", "academic_session_id"}
	userAgents      = &join{"user_agents", "user_id", "dependent_id"}
	classResources  = &join{"class_resources", "class_id", "resource_id"}
	courseResources = &join{"course_resources", "course_id", "resource_id"}
	userResources   = &join{"user_resources", "user_id", "resource_id"}
)

// col is one column of a file.
type col struct {
	name  string // CSV header
	field string // ent field (= SQL column) it is stored in; "" when not stored as a field
	kind  kind
	req   bool                  // a cell is required (except in a status-only tombstone row)
	voc   *oneroster.Vocabulary // kEnum, kNullEnum, kEnumList, kRole11
	ref   string                // table of the records kRef, kRefs, kCheck and kOrgs11 name
	join  *join                 // kRefs
	def   any                   // value of a blank cell (kText, kEnum, kBool)
}

func (c col) required() col { c.req = true; return c }

func text(name, field string) col { return col{name: name, field: field, kind: kText, def: ""} }
func enum(name, field string, v *oneroster.Vocabulary) col {
	return col{name: name, field: field, kind: kEnum, voc: v, def: ""}
}
func ref(name, field, table string) col { return col{name: name, field: field, kind: kRef, ref: table} }
func refs(name, table string, j *join) col {
	return col{name: name, kind: kRefs, ref: table, join: j}
}
func of(name, field string, k kind) col { return col{name: name, field: field, kind: k} }

// fileKind says how a file's rows map onto the data model.
type fileKind uint8

const (
	fRecords   fileKind = iota // each row is a record of table
	fProfiles                  // userProfiles.csv: consecutive rows with one sourcedId are one profile, a credential each
	fJoin                      // classResources.csv...: each row is a link of join (owner = cols[owner], target = cols[target])
	fScaleLink                 // lineItemScoreScales.csv...: each row sets the score scale of a record of table
	fLOSet                     // *LearningObjectiveIds.csv: each row is a learning objective of a record of table
)

// fileSpec is one data file of one version.
type fileSpec struct {
	name    string // "users.csv"
	table   string // the table written: the records' own, or the owners' for the link kinds
	kind    fileKind
	cols    []col // the columns after sourcedId, status and dateLastModified, in header order
	join    *join // fJoin
	owner   int   // link kinds: index in cols of the owner's sourcedId
	target  int   // fJoin, fScaleLink: index in cols of the target's sourcedId
	version string
}

// col returns the file's column named name, or nil.
func (f *fileSpec) col(name string) *col {
	for i := range f.cols {
		if f.cols[i].name == name {
			return &f.cols[i]
		}
	}
	return nil
}

// Narrower 1.1 vocabularies (SPEC §5.4); where 1.1 and 1.2 agree the shared ones apply.
var (
	userRoles11 = oneroster.Vocabulary{Name: "1.1 user role", Values: []string{"administrator", "aide", "guardian", "parent", "proctor", "relative", "student", "teacher"}}
	sexes11     = oneroster.Vocabulary{Name: "1.1 sex", Values: []string{"male", "female"}}
)

// specs holds the files of each version in processing order: every file after the files it refers to.
var specs = map[string][]*fileSpec{"1.1": files11(), "1.2": files12()}

// fileNames lists the data files of a version in processing order.
func fileNames(version string) []string {
	var out []string
	for _, f := range specs[version] {
		out = append(out, f.name)
	}
	return out
}
