#!/usr/bin/env bash
# Starts PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) when they are down — the tests of the
# care ledgers and the queue-mode end-to-end test need both, and fail (never skip) without them.
# Uses the machine's Debian packages (postgresql, redis-server); installs them with apt-get if missing.
set -uo pipefail

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && exec 3>&- 3<&-; }

wait_port() {
	for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 0.5; done
	return 1
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! port_open 5432; then
	if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
		echo "ensure-services: installing PostgreSQL (apt-get)"
		as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
		# A cluster this script installed: let the tests log in as postgres from 127.0.0.1 without a
		# password (trust, as on the CI machines). An existing cluster's authentication is left alone.
		hba=$(ls /etc/postgresql/*/main/pg_hba.conf | sort -V | tail -1)
		as_root sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
	fi
	version=$(ls /etc/postgresql | sort -V | tail -1)
	echo "ensure-services: starting PostgreSQL $version"
	as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
	wait_port 5432 || { echo "ensure-services: PostgreSQL did not come up on 127.0.0.1:5432" >&2; exit 1; }
fi

if ! port_open 6379; then
	if ! command -v redis-server >/dev/null; then
		echo "ensure-services: installing Redis (apt-get)"
		as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
	fi
	echo "ensure-services: starting Redis"
	mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
	as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
		--dir /var/lib/redis --logfile /var/log/redis/ci.log
	wait_port 6379 || { echo "ensure-services: Redis did not come up on 127.0.0.1:6379" >&2; exit 1; }
fi
# The tests use the database "test" as user postgres without a password.
pg() { psql -h 127.0.0.1 -U postgres -d postgres -tAc "$1" 2>/dev/null; }
if ! command -v psql >/dev/null; then
	echo "ensure-services: psql (the PostgreSQL client) is missing; cannot check the database \"test\"" >&2
	exit 1
fi
if ! pg "SELECT 1" | grep -q 1; then
	echo "ensure-services: cannot log in to PostgreSQL on 127.0.0.1 as postgres without a password; the tests need" >&2
	echo "  trust authentication for it (pg_hba.conf: host all postgres 127.0.0.1/32 trust)" >&2
	exit 1
fi
if ! pg "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1; then
	echo "ensure-services: creating the database \"test\""
	pg "CREATE DATABASE test" >/dev/null || { echo "ensure-services: could not create the database \"test\"" >&2; exit 1; }
fi
echo "ensure-services: PostgreSQL 127.0.0.1:5432 (database test) and Redis 127.0.0.1:6379 are up"
