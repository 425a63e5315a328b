package settings_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/actor"
	"github.com/rollcall/rollcall/settings"
	"github.com/rollcall/rollcall/store"
	"github.com/rollcall/rollcall/store/storetest"
)

func TestLoadUpdate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := actor.With(context.Background(), actor.KindAdmin, "alice")
		s, err := settings.Load(ctx, db.Client)
		if err != nil || s != settings.Defaults() {
			t.Fatalf("fresh database: %+v, %v; want the defaults", s, err)
		}
		s, err = settings.Update(ctx, db.Client, func(s *settings.Settings) error {
			s.SitePrefix = "LAKESIDE"
			return nil
		})
		if err != nil || s.SitePrefix != "LAKESIDE" {
			t.Fatalf("update: %+v, %v", s, err)
		}
		// Updating twice works (the row is upserted), and a refused change writes nothing.
		if _, err := settings.Update(ctx, db.Client, func(s *settings.Settings) error { s.TokenLifetimeSeconds = 1800; return nil }); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name   string
			change func(*settings.Settings) error
			want   string
		}{
			{"short prefix", func(s *settings.Settings) error { s.SitePrefix = "ABC"; return nil }, "exactly 8"},
			{"prefix with underscore", func(s *settings.Settings) error { s.SitePrefix = "LAKE_IDE"; return nil }, "letters or digits"},
			{"token lifetime too long", func(s *settings.Settings) error { s.TokenLifetimeSeconds = 999999; return nil }, "between 300"},
			{"change fails", func(s *settings.Settings) error { s.SitePrefix = "OTHERONE"; return errors.New("nope") }, "nope"},
		}
		for _, tt := range tests {
			if _, err := settings.Update(ctx, db.Client, tt.change); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
			}
		}
		s, err = settings.Load(ctx, db.Client)
		if err != nil || s.SitePrefix != "LAKESIDE" || s.TokenLifetimeSeconds != 1800 {
			t.Fatalf("after refused changes: %+v, %v", s, err)
		}
	})
}
