# The two commands of the README:
#   make run    build the admin app and the server, start it on the embedded SQLite with a demo district
#   make test   run every test: the admin app's (Vitest), Go's on SQLite and PostgreSQL, and the
#               end-to-end tests in headless Chromium
.PHONY: run test build frontend generate bench

DEMO_STUDENTS ?= 2000

frontend:
	./scripts/ensure-frontend.sh
	cd frontend && npm run build

build: frontend
	go build -o rollcall .

run: build
	./rollcall serve -demo-students $(DEMO_STUDENTS)

test:
	./scripts/ensure-services.sh
	./scripts/ensure-frontend.sh
	cd frontend && npm run build && npm test
	go vet ./...
	go test -count=1 -timeout 45m ./...
	go build -o rollcall .
	cd frontend && ROLLCALL_BIN=$(CURDIR)/rollcall npm run e2e

generate:
	go generate ./...

bench:
	./scripts/ensure-services.sh
	go test -run '^$$' -bench . -benchtime 1x -timeout 60m ./...
