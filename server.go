// Command rollcall is the district's OneRoster platform: the OneRoster 1.1 and 1.2 REST API for vendors,
// GraphQL for the admin app and analysts, and the tools around them. This file only wires: the subcommands
// live in package cli.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/rollcall/rollcall/cli"
	_ "github.com/rollcall/rollcall/ent/runtime" // registers the schema hooks and defaults
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
