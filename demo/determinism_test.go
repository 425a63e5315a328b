package demo

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"entgo.io/ent/dialect"

	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

// sids returns the sourcedIds of a dump's users.
func sids(lines []string, table string) []string {
	var out []string
	for _, l := range lines {
		if parts := strings.SplitN(l, "|", 3); parts[0] == table {
			out = append(out, parts[1])
		}
	}
	return out
}

func TestDeterministic(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		generate(t, db, Options{Students: testStudents, Seed: 7})
		first := dump(t, db)

		again := storetest.Open(t, db.Dialect)
		generate(t, again, Options{Students: testStudents, Seed: 7})
		if second := dump(t, again); !slices.Equal(first, second) {
			t.Fatalf("same seed, different records: %s", diff(first, second))
		}

		other := storetest.Open(t, db.Dialect)
		generate(t, other, Options{Students: testStudents, Seed: 8})
		third := dump(t, other)
		if slices.Equal(first, third) {
			t.Fatal("different seeds gave the same records")
		}
		a, b := sids(first, "user"), sids(third, "user")
		shared := 0
		for _, s := range a {
			if _, ok := slices.BinarySearch(b, s); ok {
				shared++
			}
		}
		if shared > 0 {
			t.Errorf("%d user sourcedIds are the same under two seeds", shared)
		}
	})
}

// TestDialectsAgree compares PostgreSQL, written with COPY, and SQLite, written through ent: the same seed must
// give the same records in both.
func TestDialectsAgree(t *testing.T) {
	lite := storetest.Open(t, dialect.SQLite)
	generate(t, lite, Options{Students: testStudents, Seed: 3})
	pg := storetest.Open(t, dialect.Postgres)
	generate(t, pg, Options{Students: testStudents, Seed: 3})
	if a, b := dump(t, lite), dump(t, pg); !slices.Equal(a, b) {
		t.Fatalf("SQLite and PostgreSQL differ: %s", diff(a, b))
	}
	// And ent's path on PostgreSQL agrees with COPY.
	pgEnt := storetest.Open(t, dialect.Postgres)
	generate(t, pgEnt, Options{Students: testStudents, Seed: 3, forceEnt: true})
	if a, b := dump(t, pg), dump(t, pgEnt); !slices.Equal(a, b) {
		t.Fatalf("COPY and ent differ on PostgreSQL: %s", diff(a, b))
	}
}

func TestRefusesNonEmptyDatabase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.Client.Org.Create().SetSourcedID("existing-district").SetName("Existing").
			SetType("district").Save(ctx); err != nil {
			t.Fatal(err)
		}
		_, err := Generate(ctx, db, Options{Students: 100})
		if !errors.Is(err, ErrNotEmpty) || !strings.Contains(err.Error(), "fresh data directory") {
			t.Fatalf("Generate into a database with an org: %v, want ErrNotEmpty telling what to do", err)
		}
		if n, _ := db.Client.Org.Query().Count(ctx); n != 1 {
			t.Fatalf("refused generation still wrote: %d orgs", n)
		}
		if n, _ := db.Client.User.Query().Count(ctx); n != 0 {
			t.Fatalf("refused generation still wrote: %d users", n)
		}
	})
}

func TestSecondRunRefused(t *testing.T) {
	db := storetest.Open(t, dialect.SQLite)
	first := generate(t, db, Options{Students: MinStudents})
	if _, err := Generate(context.Background(), db, Options{Students: MinStudents}); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("second Generate: %v, want ErrNotEmpty", err)
	}
	if n, _ := db.Client.User.Query().Count(context.Background()); n != first.Users {
		t.Fatalf("users = %d after a refused second run, want %d", n, first.Users)
	}
}

// failingSink fails when the nth batch of enrollments is written.
type failingSink struct {
	sink
	n int
}

var errInjected = errors.New("injected failure")

func (f *failingSink) enrollments(ctx context.Context, es []*enrollment) error {
	if f.n--; f.n == 0 {
		return errInjected
	}
	return f.sink.enrollments(ctx, es)
}

// TestAllOrNothing checks that a failure half way leaves the database empty, so the user can simply retry.
func TestAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, err := Generate(context.Background(), db, Options{Students: testStudents,
			wrapSink: func(s sink) sink { return &failingSink{sink: s, n: 2} }})
		if !errors.Is(err, errInjected) {
			t.Fatalf("Generate = %v, want the injected failure", err)
		}
		ctx := context.Background()
		if n, _ := db.Client.Org.Query().Count(ctx); n != 0 {
			t.Fatalf("%d orgs left after a failed generation", n)
		}
		if n, _ := db.Client.User.Query().Count(ctx); n != 0 {
			t.Fatalf("%d users left after a failed generation", n)
		}
		generate(t, db, Options{Students: MinStudents}) // and a retry works
	})
}

func TestRejectsStudentCounts(t *testing.T) {
	db := storetest.Open(t, dialect.SQLite)
	for _, n := range []int{-1, 0, MinStudents - 1, MaxStudents + 1} {
		if _, err := Generate(context.Background(), db, Options{Students: n}); err == nil {
			t.Errorf("Generate(%d students) succeeded", n)
		}
	}
	if n, _ := db.Client.Org.Query().Count(context.Background()); n != 0 {
		t.Fatalf("rejected runs wrote %d orgs", n)
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{"O'Brien": "obrien", "D'Angelo": "dangelo", "Nguyễn": "nguyen",
		"Zoë": "zoe", "José": "jose", "Müller": "muller", "Weiß": "weiss", "de la Cruz": "delacruz",
		"Łukasz": "lukasz", "Yılmaz": "yilmaz", "Đặng": "dang", "Þórsson": "thorsson", "Smith-Jones": "smithjones",
		"St. John": "stjohn", "Øvergaard": "overgaard"} {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
	// Every letter of every pool name folds to something: nothing is silently dropped.
	for _, pool := range [][]string{femaleNames, maleNames, neutralNames, familyNames} {
		for _, name := range pool {
			for _, r := range strings.ToLower(name) {
				if r > unicode.MaxASCII && asciiFold[r] == "" {
					t.Errorf("%q: no ASCII folding for %q", name, r)
				}
			}
		}
	}
}

func TestSourcedIDs(t *testing.T) {
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	g := newIDs(99)
	seen := map[string]bool{}
	for kind := kindOrg; kind <= kindEnrollment; kind++ {
		for range 20000 {
			s := g.new(kind)
			if !uuid.MatchString(s) || seen[s] {
				t.Fatalf("sourcedId %q: not a v4 UUID shape, or repeated", s)
			}
			seen[s] = true
		}
	}
	if newIDs(99).new(kindUser) != uuidFrom(99, kindUser, 0) || newIDs(1).new(kindUser) == newIDs(2).new(kindUser) {
		t.Fatal("sourcedIds must depend on the seed, kind and counter only")
	}
}

func TestApportion(t *testing.T) {
	for _, tc := range []struct {
		n       int
		weights []float64
		want    []int
	}{
		{10, []float64{1, 1}, []int{5, 5}},
		{7, []float64{1, 1, 1}, []int{3, 2, 2}},
		{0, []float64{1, 2}, []int{0, 0}},
		{100, []float64{0.8, 1.2}, []int{40, 60}},
	} {
		if got := apportion(tc.n, tc.weights); !slices.Equal(got, tc.want) {
			t.Errorf("apportion(%d, %v) = %v, want %v", tc.n, tc.weights, got, tc.want)
		}
	}
}

// TestPlanScales checks the school sizes the planner aims for at district scale, without a database.
func TestPlanScales(t *testing.T) {
	g := newGenerator(100_000, 1)
	total := 0
	for _, sp := range g.schools {
		n := 0
		for _, c := range sp.perGrade {
			n += c
		}
		total += n
		if n < 400 || n > 1800 {
			t.Errorf("%s: %d students", sp.org.name, n)
		}
	}
	if total != 100_000 {
		t.Fatalf("planned %d students, want 100000", total)
	}
	names := map[string]bool{}
	for _, sp := range g.schools {
		if names[sp.org.name] {
			t.Errorf("two schools named %q", sp.org.name)
		}
		names[sp.org.name] = true
	}
}
