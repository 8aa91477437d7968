#!/bin/sh
# Refresh the image's locks: exact versions with the sha256 hashes of every published file of
# each version (so one lock serves amd64 and arm64 builds), resolved for the image's Python 3.11
# on Linux whatever machine runs this. Needs uv (`pip install uv`).
#   deploy/image/lock.sh             # after changing the dependencies in pyproject.toml
#   deploy/image/lock.sh --upgrade   # take the newest versions pyproject.toml allows
set -eu
cd "$(dirname "$0")/../.."
for pair in pyproject.toml:requirements.lock build-requirements.in:build-requirements.lock; do
  source=${pair%%:*}
  [ "$source" = pyproject.toml ] || source=deploy/image/$source
  uv pip compile "$source" --output-file "deploy/image/${pair#*:}" \
    --python-version 3.11 --python-platform linux --generate-hashes --quiet \
    --custom-compile-command deploy/image/lock.sh "$@"
done
