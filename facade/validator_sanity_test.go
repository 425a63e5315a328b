package facade_test

import "testing"

// The validator must refuse what the official schemas refuse, or the conformance walk proves nothing.
func TestValidatorRefuses(t *testing.T) {
	doc := loadOfficial(t, "rostering")
	for _, body := range []string{
		`{"users":[{"sourcedId":"u1"}]}`,
		`{"users":[],"statusInfoSet":[]}`,
		`{"imsx_codeMajor":"failure","imsx_severity":"error","imsx_CodeMinor":{"imsx_codeMinorField":[{"imsx_codeMinorFieldName":"TargetEndSystem","imsx_codeMinorFieldValue":"unknown object"}]}}`,
		`{"user":{"sourcedId":"u1","status":"active","dateLastModified":"yesterday","enabledUser":"true","givenName":"a","familyName":"b","roles":[{"roleType":"primary","role":"student","org":{"href":"http://h/o","sourcedId":"o","type":"org"}}]}}`,
		`{"user":{"sourcedId":"u1","status":"active","dateLastModified":"2026-01-01T00:00:00.000Z","enabledUser":true,"givenName":"a","familyName":"b","roles":[{"roleType":"primary","role":"student","org":{"href":"http://h/o","sourcedId":"o","type":"org"}}]}}`,
	} {
		ref := "#/components/schemas/UserSetDType"
		switch body[2] {
		case 'i':
			ref = "#/components/schemas/imsx_StatusInfoDType"
		case 'u':
			if body[6] == '"' {
				ref = "#/components/schemas/SingleUserDType"
			}
		}
		if err := doc.validate(ref, []byte(body)); err == nil {
			t.Errorf("%s accepted %s", ref, body)
		}
	}
	ok := `{"user":{"sourcedId":"u1","status":"active","dateLastModified":"2026-01-01T00:00:00.000Z","enabledUser":"true","givenName":"a","familyName":"b","roles":[{"roleType":"primary","role":"student","org":{"href":"http://h/o","sourcedId":"o","type":"org"}}]}}`
	if err := doc.validate("#/components/schemas/SingleUserDType", []byte(ok)); err != nil {
		t.Errorf("refused a valid user: %v", err)
	}
}
