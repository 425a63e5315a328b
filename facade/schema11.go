package facade

// The JSON Schemas of OneRoster 1.1's REST bodies (SPEC §5.2; 1.1 published no machine-readable schema), in
// the style of the official 1.2 OpenAPI documents: one <Entity>DType per entity, <Entity>SetDType and
// Single<Entity>DType envelopes, a shared GUIDRefDType, and StatusInfoSetDType for errors and warnings. They
// are strict (additionalProperties false) so that the conformance tests catch any drift of what the cache
// publishes for 1.1. Booleans are the strings "true" and "false", as the 1.2 binding has them and most 1.1
// providers send them.

type schema = map[string]any

func ref(name string) schema { return schema{"$ref": "#/components/schemas/" + name} }

func str(desc string) schema { return schema{"type": "string", "description": desc} }

func strFmt(format, desc string) schema {
	return schema{"type": "string", "format": format, "description": desc}
}

func enumOf(desc string, values ...string) schema {
	return schema{"type": "string", "enum": values, "description": desc}
}

func arrOf(items schema, desc string) schema {
	return schema{"type": "array", "items": items, "description": desc}
}

func boolStr(desc string) schema {
	return enumOf(desc+` Serialized as the string "true" or "false".`, "true", "false")
}

// object builds a closed object schema from the entity's own properties plus, for entities, the base fields.
func object(desc string, base bool, props schema, required ...string) schema {
	all := schema{}
	if base {
		all["sourcedId"] = str("The interoperability identifier of the object; never changes.")
		all["status"] = enumOf("active, or tobedeleted for a record to delete (a tombstone kept for delta syncs).", "active", "tobedeleted")
		all["dateLastModified"] = strFmt("date-time", "When the published record last changed (UTC, milliseconds).")
		all["metadata"] = ref("MetadataDType")
		required = append([]string{"sourcedId", "status", "dateLastModified"}, required...)
	}
	for k, v := range props {
		all[k] = v
	}
	s := schema{"type": "object", "description": desc, "properties": all, "additionalProperties": false}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

var (
	roles11      = []string{"administrator", "aide", "guardian", "parent", "proctor", "relative", "student", "teacher"}
	guidRef      = ref("GUIDRefDType")
	guidRefs     = arrOf(ref("GUIDRefDType"), "References to other objects.")
	stringList   = func(desc string) schema { return arrOf(schema{"type": "string"}, desc) }
	dateProperty = func(desc string) schema { return strFmt("date", desc+" (YYYY-MM-DD).") }
)

// entities11 are the 1.1 entity schemas by name (without the DType suffix), with the envelope keys.
var entities11 = []struct {
	name, plural, single string
	schema               schema
}{
	{"AcademicSession", "academicSessions", "academicSession", object("A school year, semester, term or grading period.", true, schema{
		"title":      str("The title of the session."),
		"startDate":  dateProperty("The first day of the session"),
		"endDate":    dateProperty("The day after the session ends (exclusive)"),
		"type":       enumOf("The kind of session.", "gradingPeriod", "semester", "schoolYear", "term"),
		"parent":     guidRef,
		"children":   guidRefs,
		"schoolYear": schema{"type": "string", "pattern": "^[0-9]{4}$", "description": "The year the school year ends, YYYY."},
	}, "title", "startDate", "endDate", "type", "schoolYear")},
	{"Class", "classes", "class", object("A class (section): a course taught to some students in some terms.", true, schema{
		"title":        str("The title of the class."),
		"classCode":    str("The class code."),
		"classType":    enumOf("homeroom or scheduled.", "homeroom", "scheduled"),
		"location":     str("Where the class meets."),
		"grades":       stringList("The grades of the class."),
		"subjects":     stringList("The subjects of the class."),
		"course":       guidRef,
		"school":       guidRef,
		"terms":        guidRefs,
		"subjectCodes": stringList("The subject codes (SCED), matching subjects."),
		"periods":      stringList("The periods the class meets."),
		"resources":    guidRefs,
	}, "title", "classType", "course", "school", "terms")},
	{"Course", "courses", "course", object("A course offered by an org.", true, schema{
		"title":        str("The title of the course."),
		"schoolYear":   guidRef,
		"courseCode":   str("The course code."),
		"grades":       stringList("The grades of the course."),
		"subjects":     stringList("The subjects of the course."),
		"org":          guidRef,
		"subjectCodes": stringList("The subject codes (SCED), matching subjects."),
		"resources":    guidRefs,
	}, "title", "org")},
	{"Demographics", "demographics", "demographics", object("A user's demographics; the sourcedId is the user's.", true, schema{
		"birthDate":                            dateProperty("Date of birth"),
		"sex":                                  enumOf("male or female.", "male", "female"),
		"americanIndianOrAlaskaNative":         boolStr("Race flag."),
		"asian":                                boolStr("Race flag."),
		"blackOrAfricanAmerican":               boolStr("Race flag."),
		"nativeHawaiianOrOtherPacificIslander": boolStr("Race flag."),
		"white":                                boolStr("Race flag."),
		"demographicRaceTwoOrMoreRaces":        boolStr("Race flag."),
		"hispanicOrLatinoEthnicity":            boolStr("Ethnicity flag."),
		"countryOfBirthCode":                   str("Country of birth (ISO 3166-1 alpha-2)."),
		"stateOfBirthAbbreviation":             str("State of birth."),
		"cityOfBirth":                          str("City of birth."),
		"publicSchoolResidenceStatus":          str("Public school residence status (CEDS code)."),
	})},
	{"Enrollment", "enrollments", "enrollment", object("A user's enrollment in a class, with a role.", true, schema{
		"user":      guidRef,
		"class":     guidRef,
		"school":    guidRef,
		"role":      enumOf("The role in the class.", "administrator", "proctor", "student", "teacher"),
		"primary":   boolStr("For teachers: the class's primary teacher."),
		"beginDate": dateProperty("The first day of the enrollment"),
		"endDate":   dateProperty("The day after the enrollment ends (exclusive)"),
	}, "user", "class", "school", "role")},
	{"Org", "orgs", "org", object("An organization: the district, a school, a department.", true, schema{
		"name":       str("The name of the org."),
		"type":       enumOf("The kind of org.", "department", "school", "district", "local", "state", "national"),
		"identifier": str("An external identifier, e.g. the NCES ID."),
		"parent":     guidRef,
		"children":   guidRefs,
	}, "name", "type")},
	{"User", "users", "user", object("A person: student, teacher, guardian, staff.", true, schema{
		"username":    str("The user's login name."),
		"userIds":     arrOf(ref("UserIdDType"), "Other identifiers of the user."),
		"enabledUser": boolStr("Whether the user may sign in to systems."),
		"givenName":   str("Given name."),
		"familyName":  str("Family name."),
		"middleName":  str("Middle name(s)."),
		"role":        enumOf("The user's role.", roles11...),
		"identifier":  str("The user's identifier in the district (e.g. student number)."),
		"email":       str("Email address."),
		"sms":         str("SMS number."),
		"phone":       str("Phone number."),
		"agents":      guidRefs,
		"orgs":        guidRefs,
		"grades":      stringList("The grades of the user."),
		"password":    str("Never published."),
	}, "username", "enabledUser", "givenName", "familyName", "role", "orgs")},
	{"Resource", "resources", "resource", object("A learning resource assigned to classes, courses or users.", true, schema{
		"title":            str("The title of the resource."),
		"roles":            arrOf(enumOf("A role.", roles11...), "The roles the resource is for."),
		"importance":       enumOf("primary or secondary.", "primary", "secondary"),
		"vendorResourceId": str("The vendor's identifier of the resource."),
		"vendorId":         str("The vendor's identifier."),
		"applicationId":    str("The application's identifier."),
	}, "vendorResourceId")},
	{"Category", "categories", "category", object("A category of line items (homework, tests...).", true, schema{
		"title": str("The title of the category."),
	}, "title")},
	{"LineItem", "lineItems", "lineItem", object("An assignment or other gradable item of a class.", true, schema{
		"title":          str("The title of the line item."),
		"description":    str("What the line item is."),
		"assignDate":     strFmt("date-time", "When the line item was assigned."),
		"dueDate":        strFmt("date-time", "When the line item is due."),
		"class":          guidRef,
		"category":       guidRef,
		"gradingPeriod":  guidRef,
		"resultValueMin": schema{"type": "number", "description": "The lowest score."},
		"resultValueMax": schema{"type": "number", "description": "The highest score (scores above it, extra credit, are kept as sent)."},
	}, "title", "assignDate", "dueDate", "class")},
	{"Result", "results", "result", object("A student's score on a line item.", true, schema{
		"lineItem":    guidRef,
		"student":     guidRef,
		"scoreStatus": enumOf("The status of the score.", "exempt", "fully graded", "not submitted", "partially graded", "submitted"),
		"score":       schema{"type": "number", "description": "The score, as sent (also above resultValueMax)."},
		"scoreDate":   dateProperty("When the score was given"),
		"comment":     str("A comment on the score."),
	}, "lineItem", "student", "scoreStatus", "scoreDate")},
}

// schemas11 returns the components.schemas of the 1.1 document.
func schemas11() schema {
	out := schema{
		"MetadataDType": schema{"type": "object", "additionalProperties": true, "description": "Proprietary extensions."},
		"GUIDRefDType": object("A reference to another object.", false, schema{
			"href":      strFmt("uri", "The URL of the referenced object."),
			"sourcedId": str("The sourcedId of the referenced object."),
			"type": enumOf("The type of the referenced object.", "academicSession", "category", "class", "course", "demographics",
				"enrollment", "gradingPeriod", "lineItem", "org", "resource", "result", "student", "teacher", "term", "user"),
		}, "href", "sourcedId", "type"),
		"UserIdDType": object("An identifier of a user in another system.", false, schema{
			"type": str("The system or kind of identifier."), "identifier": str("The identifier."),
		}, "type", "identifier"),
		"StatusInfoDType": object("OneRoster 1.1 status information.", false, schema{
			"imsx_codeMajor":              enumOf("The major status code.", "success", "failure", "unsupported"),
			"imsx_severity":               enumOf("The severity.", "status", "warning", "error"),
			"imsx_description":            str("What happened, for people."),
			"imsx_messageRefIdentifier":   str("Reference of the request message."),
			"imsx_operationRefIdentifier": str("Reference of the operation."),
			"imsx_codeMinor": enumOf("The minor status code.", "full success", "unknown object", "invalid data", "unauthorized",
				"forbidden", "server_busy", "invalid_filter_field", "invalid_selection_field", "invalid_sort_field",
				"invalid_blank_selection_field", "internal_server_error"),
		}, "imsx_codeMajor", "imsx_severity"),
	}
	statusSet := arrOf(ref("StatusInfoDType"), "Warnings (unknown sort or selection fields) or errors.")
	out["StatusInfoSetDType"] = object("The body of a failed request.", false, schema{"statusInfoSet": statusSet}, "statusInfoSet")
	for _, e := range entities11 {
		out[e.name+"DType"] = e.schema
		out[e.name+"SetDType"] = object("A page of "+e.plural+".", false, schema{
			e.plural: arrOf(ref(e.name+"DType"), "The records of the page."), "statusInfoSet": statusSet}, e.plural)
		out["Single"+e.name+"DType"] = object("One "+e.single+".", false, schema{
			e.single: ref(e.name + "DType"), "statusInfoSet": statusSet}, e.single)
	}
	return out
}

// schemaName11 is the response schema of a 1.1 route.
func schemaName11(rt Route) string {
	for _, e := range entities11 {
		switch {
		case rt.Single && e.single == rt.Key:
			return "Single" + e.name + "DType"
		case !rt.Single && e.plural == rt.Key:
			return e.name + "SetDType"
		}
	}
	return "MetadataDType"
}
