# The two commands of the README:
#   make run    build and start the server on the embedded SQLite with a demo district
#   make test   run every test, on SQLite and on PostgreSQL
.PHONY: run test build generate bench

DEMO_STUDENTS ?= 2000

build:
	go build -o rollcall .

run: build
	./rollcall serve -demo-students $(DEMO_STUDENTS)

test:
	./scripts/ensure-services.sh
	go vet ./...
	go test -count=1 -timeout 30m ./...

generate:
	go generate ./...

bench:
	./scripts/ensure-services.sh
	go test -run '^$$' -bench . -benchtime 1x -timeout 60m ./...
