package cache

import (
	"context"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/rollcall/rollcall/demo"
	"github.com/rollcall/rollcall/store"
)

func TestScratchBig(t *testing.T) {
	dsn := os.Getenv("SCRATCH_BIG")
	if dsn == "" {
		t.Skip()
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	if ok, _ := db.Client.Org.Query().Exist(ctx); !ok {
		if _, err := demo.Generate(ctx, db, demo.Options{Students: 100000, Seed: 1}); err != nil {
			t.Fatal(err)
		}
	}
	c := New(db, Options{Progress: os.Stderr, Logger: slog.New(slog.NewTextHandler(os.Stderr, nil))})
	for i := 0; i < 2; i++ {
		start := time.Now()
		g, err := c.Refresh(ctx, "test")
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("refresh %v %v", time.Since(start), g.Changes)
	}
}
