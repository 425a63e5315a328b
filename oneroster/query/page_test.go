package query

import "testing"

func TestParsePage(t *testing.T) {
	tests := []struct {
		name          string
		limit, offset []string
		max           int
		want          Page
	}{
		{"defaults", nil, nil, 10000, Page{100, 0}},
		{"default under small max", nil, nil, 50, Page{50, 0}},
		{"no max", []string{"2147483647"}, nil, 0, Page{2147483647, 0}},
		{"given", []string{"10"}, []string{"20"}, 10000, Page{10, 20}},
		{"spaces", []string{" 10 "}, []string{" 0"}, 10000, Page{10, 0}},
		{"leading zeros", []string{"010"}, []string{"007"}, 10000, Page{10, 7}},
		{"exact max", []string{"50000"}, nil, 50000, Page{50000, 0}},
		{"large limits seen in the wild", []string{"10000"}, nil, 50000, Page{10000, 0}},
		{"max offset", nil, []string{"2147483647"}, 100, Page{100, 2147483647}},
		{"negative zero offset", nil, []string{"-0"}, 100, Page{100, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePage(tt.limit, tt.offset, tt.max)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("ParsePage = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParsePageErrors(t *testing.T) {
	tests := []struct {
		name          string
		limit, offset []string
		max           int
		reason        Reason
		param         string
		msg           string // exact
	}{
		{"word", []string{"abc"}, nil, 100, ReasonNotInteger, "limit", "limit: 'abc' is not an integer"},
		{"empty", []string{""}, nil, 100, ReasonNotInteger, "limit", "limit: '' is not an integer"},
		{"fraction", []string{"1.5"}, nil, 100, ReasonNotInteger, "limit", "limit: '1.5' is not an integer"},
		{"exponent", []string{"1e3"}, nil, 100, ReasonNotInteger, "limit", "limit: '1e3' is not an integer"},
		{"plus", []string{"+5"}, nil, 100, ReasonNotInteger, "limit", "limit: '+5' is not an integer"},
		{"hex", []string{"0x10"}, nil, 100, ReasonNotInteger, "limit", "limit: '0x10' is not an integer"},
		{"minus only", []string{"-"}, nil, 100, ReasonNotInteger, "limit", "limit: '-' is not an integer"},
		{"zero", []string{"0"}, nil, 100, ReasonOutOfRange, "limit", "limit: '0' must be at least 1"},
		{"negative", []string{"-1"}, nil, 100, ReasonOutOfRange, "limit", "limit: '-1' must be at least 1"},
		{"above max", []string{"50001"}, nil, 50000, ReasonOutOfRange, "limit", "limit: '50001' exceeds the maximum page size of 50000"},
		{"above int32 without max", []string{"2147483648"}, nil, 0, ReasonOutOfRange, "limit", "limit: '2147483648' exceeds the maximum page size of 2147483647"},
		{"above int64", []string{"99999999999999999999"}, nil, 100, ReasonOutOfRange, "limit", "limit: '99999999999999999999' exceeds the maximum page size of 100"},
		{"repeated limit", []string{"10", "10"}, nil, 100, ReasonRepeated, "limit", "limit is given more than once"},
		{"offset word", nil, []string{"x"}, 100, ReasonNotInteger, "offset", "offset: 'x' is not an integer"},
		{"offset negative", nil, []string{"-5"}, 100, ReasonOutOfRange, "offset", "offset: '-5' must not be negative"},
		{"offset very negative", nil, []string{"-99999999999999999999"}, 100, ReasonOutOfRange, "offset", "offset: '-99999999999999999999' must not be negative"},
		{"offset above int32", nil, []string{"2147483648"}, 100, ReasonOutOfRange, "offset", "offset: '2147483648' exceeds the maximum offset of 2147483647"},
		{"offset above int64", nil, []string{"9223372036854775808"}, 100, ReasonOutOfRange, "offset", "offset: '9223372036854775808' exceeds the maximum offset of 2147483647"},
		{"repeated offset", nil, []string{"0", "100"}, 100, ReasonRepeated, "offset", "offset is given more than once"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePage(tt.limit, tt.offset, tt.max)
			qe := wantErr(t, err, CodeInvalidData, tt.reason, NoPos, "")
			if qe.Msg != tt.msg || qe.Param != tt.param {
				t.Errorf("error = %s: %q, want %s: %q", qe.Param, qe.Msg, tt.param, tt.msg)
			}
		})
	}
}
