// Package frontend embeds the admin app's build (dist/, written by `make frontend`: npm ci and vite build)
// into the Rollcall binary; package web serves it at /admin/.
//
// dist/ holds only a placeholder (.gitkeep) in a fresh clone, so the module always compiles; a binary built
// before the app serves a page that says how to build it (Built reports which).
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist is the built app: index.html and assets/ at its root.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // "dist" is a valid path: cannot happen
	}
	return sub
}

// Built reports whether the binary holds a built admin app.
func Built() bool {
	_, err := fs.Stat(Dist(), "index.html")
	return err == nil
}
