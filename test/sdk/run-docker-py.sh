#!/usr/bin/env bash
# Runs docker-py's own swarm integration tests (tag 7.1.0), as they are, against `swarmdeck sim`
# (or, with DOCKER_PY_HOST, against any engine, e.g. a real 20.10 manager for the baseline).
#
#   DOCKER_PY_DIR=/path/to/docker-py-7.1.0 bash test/sdk/run-docker-py.sh [extra pytest args]
#
# docker-py is not vendored here: give a checkout of its 7.1.0 tag (git clone -b 7.1.0
# https://github.com/docker/docker-py, or Debian's `apt-get source python-docker`, which carries
# the tests). Python and pytest, requests, paramiko, websocket and packaging come from the
# distribution: apt-get install python3-pytest python3-requests python3-paramiko python3-websocket
# python3-packaging. Without a checkout, or without those modules, it skips with a message (exit 0).
# The suite's tests leave and re-initialise the swarm of the engine they are given: never point
# DOCKER_PY_HOST at a swarm you care about.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ -z "${DOCKER_PY_DIR:-}" ] || [ ! -f "$DOCKER_PY_DIR/tests/integration/api_swarm_test.py" ]; then
  echo "SKIP: docker-py's suite did not run: set DOCKER_PY_DIR to a checkout of docker-py 7.1.0 (see test/sdk/run-docker-py.sh)"
  exit 0
fi
python=${PYTHON:-/usr/bin/python3}
if ! "$python" -c 'import pytest, requests, paramiko, websocket, packaging' 2>/dev/null; then
  echo "SKIP: docker-py's suite did not run: $python lacks pytest/requests/paramiko/websocket/packaging (apt-get install python3-pytest python3-requests python3-paramiko python3-websocket python3-packaging)"
  exit 0
fi

tests=(
  tests/integration/api_swarm_test.py
  tests/integration/api_service_test.py
  tests/integration/api_secret_test.py
  tests/integration/api_config_test.py
  tests/integration/models_services_test.py
  tests/integration/models_nodes_test.py
  tests/integration/models_swarm_test.py
  # The swarm network tests of api_network_test.py: those that initialise a swarm.
  tests/integration/api_network_test.py::TestNetworks::test_create_network_attachable
  tests/integration/api_network_test.py::TestNetworks::test_create_network_ingress
  tests/integration/api_network_test.py::TestNetworks::test_create_inspect_network_with_scope
)

sim_pid=
tmp=$(mktemp -d)
cleanup() {
  if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

if [ -n "${DOCKER_PY_HOST:-}" ]; then
  host=$DOCKER_PY_HOST
else
  [ -f dist/cli.js ] || npm run --silent build
  # One engine not yet in a swarm: the suite initialises, leaves and re-initialises it itself.
  node dist/cli.js sim --scenario blank --names node-01 --socket "$tmp/docker.sock" >"$tmp/sim.log" 2>&1 &
  sim_pid=$!
  for _ in $(seq 100); do [ -S "$tmp/docker.sock" ] && break; sleep 0.1; done
  host=unix://$tmp/docker.sock
fi

echo "docker-py $(cd "$DOCKER_PY_DIR" && git describe --tags 2>/dev/null || echo '(version unknown)') against $host"
cd "$DOCKER_PY_DIR"
PYTHONPATH="$DOCKER_PY_DIR" DOCKER_HOST=$host "$python" -m pytest -q -p no:cacheprovider -rfE "${tests[@]}" "$@"
