#!/usr/bin/env bash
# Install the AWS API emulator (moto's server) and the AWS CLI into a venv for tests/moto.rs.
#
# Usage (from anywhere):  bash .ci/install-emulator.sh [VENV_DIR]
# VENV_DIR defaults to "$SAGELINT_VENV", else <repo>/.venv. tests/moto.rs looks for
# moto_server and aws in $SAGELINT_VENV/bin, then <repo>/.venv/bin, then on PATH.
# Idempotent: an existing venv that already has both tools is reused.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${1:-${SAGELINT_VENV:-$repo/.venv}}"
if [[ -x "$venv/bin/moto_server" && -x "$venv/bin/aws" ]]; then
    echo "install-emulator: reusing $venv" >&2
    exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check 'moto[server]' awscli
"$venv/bin/moto_server" --help >/dev/null
"$venv/bin/aws" --version >&2
echo "install-emulator: ready in $venv" >&2
