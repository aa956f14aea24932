#!/bin/sh
# manage.py with the installation's environment (docs/deployment.md), e.g.
#   deploy/manage.sh check --deploy
# ZS_ENV_FILE (default /etc/zelfsturing/zelfsturing.env) and ZS_VENV (default
# /srv/zelfsturing/venv) say where they are.
set -eu
env_file="${ZS_ENV_FILE:-/etc/zelfsturing/zelfsturing.env}"
venv="${ZS_VENV:-/srv/zelfsturing/venv}"
set -a
. "$env_file"
set +a
exec "$venv/bin/python" "$(dirname "$0")/../manage.py" "$@"
