package cache

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/demo"
	"github.com/rollcall/rollcall/settings"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

func TestPublishingSettings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newDistrict(t, db)
		c := New(db, Options{})
		l := lister{t, c}
		refresh(t, c)
		_, err := settings.Update(ctx, db.Client, func(s *settings.Settings) error {
			s.PublishGuardians, s.PublishAides = false, false
			s.IdentifierSource, s.UsernameSource, s.EmailSource = "userIds:SIS", "email", "none"
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		refresh(t, c)
		for _, sid := range []string{"g1", "a1"} {
			if r, _ := get(t, c, Users, sid); r.Status != "tobedeleted" {
				t.Errorf("%s with guardians and aides unpublished: %s", sid, r.Status)
			}
		}
		st1 := l.mustList(Users, v12, "filter=sourcedId='st1'", Scope{}).bySID("st1")
		if st1["agents"] != nil || st1["identifier"] != "Sst1" || st1["username"] != "ana@x.org" || st1["email"] != nil {
			t.Errorf("st1 with the settings applied: %v", st1)
		}
		if p := l.mustList(Users, v12, "filter=identifier='Sst2'", Scope{}); strings.Join(p.sids(), ",") != "st2" {
			t.Errorf("filter on the published identifier: %v", p.sids())
		}
		// The active school year: sessions of other years are not published, nor what hangs on them.
		_, err = settings.Update(ctx, db.Client, func(s *settings.Settings) error { s.ActiveSchoolYear = "2028"; return nil })
		if err != nil {
			t.Fatal(err)
		}
		refresh(t, c)
		for _, r := range []ref{{AcademicSessions, "t1"}, {Classes, "c1"}, {Enrollments, "e1"}, {Courses, "co1"}} {
			if rec, _ := get(t, c, r.coll, r.sid); rec.Status != "tobedeleted" {
				t.Errorf("%s %s outside the active school year: %s", r.coll, r.sid, rec.Status)
			}
		}
		if rec, _ := get(t, c, Courses, "co2"); rec.Status != "active" {
			t.Errorf("a course without a school year: %s", rec.Status)
		}
	})
}

// Pages read through the position marks are exactly those of a plain ordered scan.
func TestMarksPaging(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := demo.Generate(ctx, db, demo.Options{Students: 300, Seed: 3}); err != nil {
			t.Fatal(err)
		}
		c := New(db, Options{})
		refresh(t, c)
		refresh(t, c) // marks of a generation that shares its records with the previous one
		l := lister{t, c}
		all := l.mustList(Enrollments, v12, "limit=100000&filter=status='active' OR status='tobedeleted'", Scope{})
		if len(all.recs) < 2*markStep {
			t.Fatalf("only %d enrollments", len(all.recs))
		}
		for _, off := range []int{0, 999, 1000, 1001, 1500, 1999, 2000, len(all.recs) - 1, len(all.recs)} {
			p := l.mustList(Enrollments, v12, fmt.Sprintf("limit=7&offset=%d", off), Scope{})
			want := all.sids()[min(off, len(all.recs)):min(off+7, len(all.recs))]
			if strings.Join(p.sids(), ",") != strings.Join(want, ",") || p.total != len(all.recs) {
				t.Errorf("offset %d: %v (total %d), want %v (total %d)", off, p.sids(), p.total, want, len(all.recs))
			}
		}
	})
}

func TestScheduleDue(t *testing.T) {
	set := settings.Defaults()
	set.CacheTimeZone = "America/Chicago"
	loc, _ := time.LoadLocation("America/Chicago")
	at := func(d, hm string) time.Time {
		t, _ := time.ParseInLocation("2006-01-02 15:04", d+" "+hm, loc)
		return t
	}
	tests := []struct {
		hourly      bool
		after, upTo time.Time
		want        time.Time
	}{
		{false, at("2026-11-02", "01:59"), at("2026-11-02", "02:00"), at("2026-11-02", "02:00")},
		{false, at("2026-11-02", "02:00"), at("2026-11-02", "02:01"), time.Time{}},
		{false, at("2026-11-02", "02:30"), at("2026-11-03", "01:00"), time.Time{}},
		{true, at("2026-11-02", "06:59"), at("2026-11-02", "07:00"), at("2026-11-02", "07:00")},
		{true, at("2026-11-02", "15:30"), at("2026-11-02", "16:05"), at("2026-11-02", "16:00")},
		{true, at("2026-11-02", "16:30"), at("2026-11-02", "17:01"), time.Time{}},
		{true, at("2026-11-02", "00:00"), at("2026-11-02", "09:30"), at("2026-11-02", "09:00")},
	}
	for _, tc := range tests {
		set.CacheHourly = tc.hourly
		got, ok := Due(set, tc.after, tc.upTo)
		if ok != !tc.want.IsZero() || (ok && !got.Equal(tc.want)) {
			t.Errorf("hourly %v, (%v, %v]: %v %v, want %v", tc.hourly, tc.after, tc.upTo, got, ok, tc.want)
		}
	}
	set.CachePaused, set.CachePausedUntil = true, "2026-11-05"
	if !set.CachePausedAt(at("2026-11-04", "23:00")) || set.CachePausedAt(at("2026-11-05", "00:30")) {
		t.Error("pause until a date")
	}
}

func TestScheduleNext(t *testing.T) {
	loc, _ := time.LoadLocation("America/Chicago")
	at := func(d, hm string) time.Time {
		t, _ := time.ParseInLocation("2006-01-02 15:04", d+" "+hm, loc)
		return t
	}
	tests := []struct {
		name        string
		hourly      bool
		daily       string
		pausedUntil string // "" not paused; "forever" paused without end
		after, want time.Time
	}{
		{"daily later today", false, "02:00", "", at("2026-11-02", "01:00"), at("2026-11-02", "02:00")},
		{"daily tomorrow", false, "02:00", "", at("2026-11-02", "02:00"), at("2026-11-03", "02:00")},
		{"hourly before the daily time", true, "07:30", "", at("2026-11-02", "06:10"), at("2026-11-02", "07:00")},
		{"daily between hours", true, "07:30", "", at("2026-11-02", "07:10"), at("2026-11-02", "07:30")},
		{"after the hourly window", true, "02:00", "", at("2026-11-02", "16:30"), at("2026-11-03", "02:00")},
		{"pause until a date", false, "02:00", "2026-11-05", at("2026-11-02", "03:00"), at("2026-11-05", "02:00")},
		{"paused without end", false, "02:00", "forever", at("2026-11-02", "03:00"), time.Time{}},
	}
	for _, tc := range tests {
		set := settings.Defaults()
		set.CacheTimeZone, set.CacheHourly, set.CacheRefreshTime = "America/Chicago", tc.hourly, tc.daily
		if tc.pausedUntil != "" {
			set.CachePaused = true
			if tc.pausedUntil != "forever" {
				set.CachePausedUntil = tc.pausedUntil
			}
		}
		got, ok := Next(set, tc.after)
		if ok != !tc.want.IsZero() || (ok && !got.Equal(tc.want)) {
			t.Errorf("%s: %v %v, want %v", tc.name, got, ok, tc.want)
		}
	}
}

func TestSchedulerRefreshesWhenDue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newDistrict(t, db)
		before := time.Date(2026, 11, 2, 1, 59, 0, 0, time.UTC)
		now := before.Add(2 * time.Minute) // 02:00, the default refresh time, has just passed
		c := New(db, Options{Now: func() time.Time { return now }})
		s := c.Scheduler()
		if _, err := settings.Update(ctx, db.Client, func(s *settings.Settings) error { s.CachePaused = true; return nil }); err != nil {
			t.Fatal(err)
		}
		if err := s.check(ctx, before, now); err != nil {
			t.Fatal(err)
		}
		if st, _ := c.Status(ctx); st.Current != nil {
			t.Fatal("a paused schedule refreshed")
		}
		settings.Update(ctx, db.Client, func(s *settings.Settings) error { s.CachePaused = false; return nil })
		if err := s.check(ctx, before, now); err != nil {
			t.Fatal(err)
		}
		st, _ := c.Status(ctx)
		if st.Current == nil || st.Current.TriggeredBy != "schedule" {
			t.Fatalf("no scheduled refresh: %+v", st)
		}
		// Another process checking the same due time does not refresh again.
		now = now.Add(time.Minute)
		if err := s.check(ctx, before, now); err != nil {
			t.Fatal(err)
		}
		if st2, _ := c.Status(ctx); st2.Current.ID != st.Current.ID {
			t.Error("the same scheduled time refreshed twice")
		}
		// Run stops with its context.
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan error)
		go func() { done <- (&Scheduler{Cache: c, Every: time.Millisecond}).Run(rctx) }()
		time.Sleep(20 * time.Millisecond)
		cancel()
		if err := <-done; err != context.Canceled {
			t.Errorf("Run: %v", err)
		}
	})
}
