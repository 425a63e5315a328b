// The Go tool treats every directory below the module root as a package, node_modules included, and some
// npm packages ship .go files. A go.mod inside node_modules makes it a module of its own, so `go build ./...`,
// `go vet ./...` and `go test ./...` of the Rollcall module skip it. Run by npm after every install.
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const nodeModules = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules');
if (existsSync(nodeModules)) {
  writeFileSync(join(nodeModules, 'go.mod'), 'module rollcall.invalid/frontend-node-modules // keeps npm packages out of the Go build\n');
}
