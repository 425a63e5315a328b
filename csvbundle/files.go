package csvbundle

import "github.com/rollcall/rollcall/oneroster"

// The files and columns of SPEC §8.2 (1.1) and §8.3 (1.2), in header order, with where each column is stored.

func orgsFile() []col {
	return []col{text("name", "name").required(), enum("type", "type", &oneroster.OrgTypes).required(),
		text("identifier", "identifier"), ref("parentSourcedId", "parent_id", "orgs")}
}

func sessionsFile() []col {
	return []col{text("title", "title").required(), enum("type", "type", &oneroster.SessionTypes).required(),
		of("startDate", "start_date", kDate).required(), of("endDate", "end_date", kDate).required(),
		ref("parentSourcedId", "parent_id", "academic_sessions"), of("schoolYear", "school_year", kYear).required()}
}

func coursesFile() []col {
	return []col{ref("schoolYearSourcedId", "school_year_id", "academic_sessions"), text("title", "title").required(),
		text("courseCode", "course_code"), of("grades", "grades", kList), ref("orgSourcedId", "org_id", "orgs").required(),
		of("subjects", "subjects", kList), of("subjectCodes", "subject_codes", kList)}
}

func classesFile() []col {
	ct := enum("classType", "class_type", &oneroster.ClassTypes).required()
	ct.def = "scheduled"
	return []col{text("title", "title").required(), of("grades", "grades", kList),
		ref("courseSourcedId", "course_id", "courses").required(), text("classCode", "class_code"), ct,
		text("location", "location"), ref("schoolSourcedId", "school_id", "orgs").required(),
		refs("termSourcedIds", "academic_sessions", classTerms).required(), of("subjects", "subjects", kList),
		of("subjectCodes", "subject_codes", kList), of("periods", "periods", kList)}
}

func enabledUser() col {
	return col{name: "enabledUser", field: "enabled_user", kind: kBool, def: true, req: true}
}

func enrollmentsFile() []col {
	return []col{ref("classSourcedId", "class_id", "classes").required(), ref("schoolSourcedId", "school_id", "orgs").required(),
		ref("userSourcedId", "user_id", "users").required(), enum("role", "role", &oneroster.EnrollmentRoles).required(),
		{name: "primary", field: "primary", kind: kBool, def: false},
		of("beginDate", "begin_date", kNullDate), of("endDate", "end_date", kNullDate)}
}

func demographicsFile(sexes *oneroster.Vocabulary) []col {
	return []col{of("birthDate", "birth_date", kNullDate), {name: "sex", field: "sex", kind: kNullEnum, voc: sexes},
		of("americanIndianOrAlaskaNative", "american_indian_or_alaska_native", kNullBool),
		of("asian", "asian", kNullBool), of("blackOrAfricanAmerican", "black_or_african_american", kNullBool),
		of("nativeHawaiianOrOtherPacificIslander", "native_hawaiian_or_other_pacific_islander", kNullBool),
		of("white", "white", kNullBool), of("demographicRaceTwoOrMoreRaces", "demographic_race_two_or_more_races", kNullBool),
		of("hispanicOrLatinoEthnicity", "hispanic_or_latino_ethnicity", kNullBool),
		text("countryOfBirthCode", "country_of_birth_code"), text("stateOfBirthAbbreviation", "state_of_birth_abbreviation"),
		text("cityOfBirth", "city_of_birth"), text("publicSchoolResidenceStatus", "public_school_residence_status")}
}

func resourcesFile() []col {
	return []col{text("vendorResourceId", "vendor_resource_id").required(), text("title", "title"),
		{name: "roles", field: "roles", kind: kEnumList, voc: &oneroster.ResourceRoles},
		{name: "importance", field: "importance", kind: kNullEnum, voc: &oneroster.Importances},
		text("vendorId", "vendor_id"), text("applicationId", "application_id")}
}

// linkFile is classResources.csv and courseResources.csv: title, owner, resource.
func linkFile(name, owner, ownerTable string, j *join) *fileSpec {
	return &fileSpec{name: name, table: ownerTable, kind: fJoin, join: j, owner: 1, target: 2,
		cols: []col{of("title", "", kIgnore), {name: owner, kind: kCheck, ref: ownerTable, req: true},
			{name: "resourceSourcedId", kind: kCheck, ref: "resources", req: true}}}
}

func userCols() []col {
	return []col{text("username", "username"), of("userIds", "user_ids", kUserIDs), text("givenName", "given_name").required(),
		text("familyName", "family_name").required(), text("middleName", "middle_name"), text("identifier", "identifier"),
		text("email", "email"), text("sms", "sms"), text("phone", "phone"), refs("agentSourcedIds", "users", userAgents),
		of("grades", "grades", kList), text("password", "password")}
}

func files11() []*fileSpec {
	users := append([]col{enabledUser(),
		{name: "orgSourcedIds", field: "primary_org_id", kind: kOrgs11, ref: "orgs", req: true},
		{name: "role", kind: kRole11, voc: &userRoles11, req: true}}, userCols()...)
	users[3].req = true // username is required in 1.1
	fs := []*fileSpec{
		{name: "orgs.csv", table: "orgs", cols: orgsFile()},
		{name: "academicSessions.csv", table: "academic_sessions", cols: sessionsFile()},
		{name: "courses.csv", table: "courses", cols: coursesFile()},
		{name: "classes.csv", table: "classes", cols: classesFile()},
		{name: "users.csv", table: "users", cols: users},
		{name: "enrollments.csv", table: "enrollments", cols: enrollmentsFile()},
		{name: "demographics.csv", table: "demographics", cols: demographicsFile(&sexes11)},
		{name: "resources.csv", table: "resources", cols: resourcesFile()},
		linkFile("classResources.csv", "classSourcedId", "classes", classResources),
		linkFile("courseResources.csv", "courseSourcedId", "courses", courseResources),
		{name: "categories.csv", table: "categories", cols: []col{text("title", "title").required()}},
		{name: "lineItems.csv", table: "line_items", cols: []col{text("title", "title").required(),
			text("description", "description"), of("assignDate", "assign_date", kTime).required(),
			of("dueDate", "due_date", kTime).required(), ref("classSourcedId", "class_id", "classes").required(),
			ref("categorySourcedId", "category_id", "categories").required(),
			ref("gradingPeriodSourcedId", "academic_session_id", "academic_sessions").required(),
			// Required by 1.1 but optional since 1.2: read leniently, so that 1.2 data exported as 1.1 imports.
			of("resultValueMin", "result_value_min", kNullFloat), of("resultValueMax", "result_value_max", kNullFloat)}},
		{name: "results.csv", table: "results", cols: []col{ref("lineItemSourcedId", "line_item_id", "line_items").required(),
			ref("studentSourcedId", "student_id", "users").required(),
			enum("scoreStatus", "score_status", &oneroster.ScoreStatuses).required(),
			of("score", "score", kNullFloat), of("scoreDate", "score_date", kDate).required(), // score: see resultValueMin
			text("comment", "comment")}},
	}
	for _, f := range fs {
		f.version = "1.1"
	}
	return fs
}

func files12() []*fileSpec {
	users := append([]col{enabledUser()}, userCols()...)
	users = append(users, text("userMasterIdentifier", "user_master_identifier"),
		text("preferredGivenName", "preferred_first_name"), text("preferredMiddleName", "preferred_middle_name"),
		text("preferredFamilyName", "preferred_last_name"), ref("primaryOrgSourcedId", "primary_org_id", "orgs"),
		text("pronouns", "pronouns"))
	fs := []*fileSpec{
		{name: "orgs.csv", table: "orgs", cols: orgsFile()},
		{name: "academicSessions.csv", table: "academic_sessions", cols: sessionsFile()},
		{name: "courses.csv", table: "courses", cols: coursesFile()},
		{name: "classes.csv", table: "classes", cols: classesFile()},
		{name: "users.csv", table: "users", cols: users},
		{name: "userProfiles.csv", table: "user_profiles", kind: fProfiles, cols: []col{
			ref("userSourcedId", "user_id", "users").required(), text("profileType", "profile_type").required(),
			text("vendorId", "vendor_id").required(), text("applicationId", "application_id"),
			text("description", "description"), of("credentialType", "", kCred), of("username", "", kCred),
			of("password", "", kCred)}},
		{name: "roles.csv", table: "roles", cols: []col{ref("userSourcedId", "user_id", "users").required(),
			enum("roleType", "role_type", &oneroster.RoleTypes).required(), enum("role", "role", &oneroster.UserRoles).required(),
			of("beginDate", "begin_date", kNullDate), of("endDate", "end_date", kNullDate),
			ref("orgSourcedId", "org_id", "orgs").required(), ref("userProfileSourcedId", "profile_id", "user_profiles")}},
		{name: "enrollments.csv", table: "enrollments", cols: enrollmentsFile()},
		{name: "demographics.csv", table: "demographics", cols: demographicsFile(&oneroster.Sexes)},
		{name: "resources.csv", table: "resources", cols: resourcesFile()},
		linkFile("classResources.csv", "classSourcedId", "classes", classResources),
		linkFile("courseResources.csv", "courseSourcedId", "courses", courseResources),
		{name: "userResources.csv", table: "users", kind: fJoin, join: userResources, owner: 0, target: 3, cols: []col{
			{name: "userSourcedId", kind: kCheck, ref: "users", req: true}, {name: "orgSourcedId", kind: kCheck, ref: "orgs"},
			{name: "classSourcedId", kind: kCheck, ref: "classes"},
			{name: "resourceSourcedId", kind: kCheck, ref: "resources", req: true}}},
		{name: "categories.csv", table: "categories", cols: []col{text("title", "title").required(),
			of("weight", "weight", kNullFloat)}},
		{name: "scoreScales.csv", table: "score_scales", cols: []col{text("title", "title").required(),
			text("type", "type").required(), {name: "orgSourcedId", kind: kCheck, ref: "orgs", req: true},
			ref("courseSourcedId", "course_id", "courses"), ref("classSourcedId", "class_id", "classes").required(),
			of("scoreScaleValue", "score_scale_value", kScale).required()}},
		{name: "lineItems.csv", table: "line_items", cols: []col{text("title", "title").required(),
			text("description", "description"), of("assignDate", "assign_date", kTime).required(),
			of("dueDate", "due_date", kTime).required(), ref("classSourcedId", "class_id", "classes").required(),
			ref("categorySourcedId", "category_id", "categories").required(),
			ref("academicSessionSourcedId", "academic_session_id", "academic_sessions").required(),
			of("resultValueMin", "result_value_min", kNullFloat), of("resultValueMax", "result_value_max", kNullFloat),
			ref("schoolSourcedId", "school_id", "orgs").required()}},
		{name: "results.csv", table: "results", cols: []col{ref("lineItemSourcedId", "line_item_id", "line_items").required(),
			ref("studentSourcedId", "student_id", "users").required(),
			enum("scoreStatus", "score_status", &oneroster.ScoreStatuses).required(), of("score", "score", kNullFloat),
			of("scoreDate", "score_date", kDate).required(), text("comment", "comment"), text("textScore", "text_score"),
			ref("classSourcedId", "class_id", "classes"), of("inProgress", "in_progress", kNullBool),
			of("incomplete", "incomplete", kNullBool), of("late", "late", kNullBool), of("missing", "missing", kNullBool)}},
		{name: "lineItemScoreScales.csv", table: "line_items", kind: fScaleLink, owner: 1, target: 2, cols: []col{
			of("title", "", kIgnore), {name: "lineItemSourcedId", kind: kCheck, ref: "line_items", req: true},
			{name: "scoreScaleSourcedId", kind: kCheck, ref: "score_scales", req: true}}},
		{name: "resultScoreScales.csv", table: "results", kind: fScaleLink, owner: 1, target: 2, cols: []col{
			of("title", "", kIgnore), {name: "resultSourcedId", kind: kCheck, ref: "results", req: true},
			{name: "scoreScaleSourcedId", kind: kCheck, ref: "score_scales", req: true}}},
		{name: "lineItemLearningObjectiveIds.csv", table: "line_items", kind: fLOSet, owner: 0, cols: []col{
			{name: "lineItemSourcedId", kind: kCheck, ref: "line_items", req: true}, text("source", "").required(),
			text("learningObjectiveId", "").required()}},
		{name: "resultLearningObjectiveIds.csv", table: "results", kind: fLOSet, owner: 0, cols: []col{
			{name: "resultSourcedId", kind: kCheck, ref: "results", req: true}, text("source", "").required(),
			text("learningObjectiveId", "").required(), of("score", "", kNullFloat), text("textScore", "")}},
	}
	for _, f := range fs {
		f.version = "1.2"
	}
	return fs
}
