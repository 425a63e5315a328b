#!/usr/bin/env bash
# Brings up what the tests need on a machine of this project's kind: a running PostgreSQL on 127.0.0.1:5432
# (started if it is down). Later parts add Chromium and the frontend's npm packages here.
set -euo pipefail

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "PostgreSQL is not answering on 127.0.0.1:5432; starting it" >&2
  version=$(ls /etc/postgresql | sort -V | tail -n1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do
    pg_isready -h 127.0.0.1 -p 5432 -q && break
    sleep 1
  done
fi
pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL did not come up; the tests need it" >&2; exit 1; }
