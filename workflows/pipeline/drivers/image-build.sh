# perfbot image-build: one side's Dockerfile built with buildah and pushed to the registry.
# In: PERFBOT_IMAGE (<registry>/<image>:<commit>), PERFBOT_SHA, PERFBOT_DOCKERFILE, PERFBOT_CONTEXT,
#     PERFBOT_CACHE_REPO (layers are cached there, keyed by buildah on their instructions),
#     DOCKER_CONFIG (the registry's credentials, when a Secret is mounted there);
#     each positional argument is one build argument, NAME=value.
# Storage and isolation come from the environment (STORAGE_DRIVER, BUILDAH_ISOLATION): the
# template sets vfs and chroot, which need no mounts beyond what the pod is given. The driver is
# named on every call: `buildah push` (1.28) ignores STORAGE_DRIVER and would look for overlay.
set -eu
fail() { printf 'perfbot: %s\n' "$*" >&2; exit 2; }

case "$PERFBOT_SHA" in ""|*[!0-9a-f]*) fail "the commit must be a hex commit id" ;; esac
[ -f "$PERFBOT_DOCKERFILE" ] || fail "no Dockerfile at $PERFBOT_DOCKERFILE in this commit"
[ -d "$PERFBOT_CONTEXT" ] || fail "no build context $PERFBOT_CONTEXT in this commit"
# buildah also reads DOCKER_CONFIG, and refuses to push when it names a missing file.
if [ -f "${DOCKER_CONFIG:-/nonexistent}/config.json" ]; then
  REGISTRY_AUTH_FILE="$DOCKER_CONFIG/config.json"
  export REGISTRY_AUTH_FILE
else
  unset DOCKER_CONFIG REGISTRY_AUTH_FILE
fi

count=$#
i=0
while [ "$i" -lt "$count" ]; do
  set -- "$@" --build-arg "$1"
  shift
  i=$((i + 1))
done

storage="${STORAGE_DRIVER:-vfs}"
buildah --storage-driver "$storage" build \
  --layers --cache-from "$PERFBOT_CACHE_REPO" --cache-to "$PERFBOT_CACHE_REPO" \
  --file "$PERFBOT_DOCKERFILE" \
  --label "org.opencontainers.image.revision=$PERFBOT_SHA" \
  --tag "$PERFBOT_IMAGE" \
  "$@" "$PERFBOT_CONTEXT"
buildah --storage-driver "$storage" push "$PERFBOT_IMAGE"
printf 'perfbot: pushed %s\n' "$PERFBOT_IMAGE" >&2
