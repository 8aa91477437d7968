# syntax=docker/dockerfile:1
# The perfbot image: the GitHub App (default command: gunicorn) and the `perfbot` CLI that the
# workflows' compare, report and notify-exit steps run. From the repository root:
#   docker build -t ghcr.io/example-org/perfbot:0.1.0 .
# Every dependency is installed from deploy/image/requirements.lock: exact versions, checked
# against sha256 hashes, wheels only, so no stage needs a compiler and the runtime stage gets
# exactly what the lock names. deploy/image/README.md says how to refresh the lock and the base.

ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm

# --- wheels: download the locked wheels (hash-checked) and build perfbot's own wheel ---------
FROM ${PYTHON_IMAGE} AS wheels
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
COPY deploy/image/requirements.lock deploy/image/build-requirements.lock deploy/image/
RUN pip download --require-hashes --only-binary=:all: --dest /wheels \
        -r deploy/image/requirements.lock \
 && pip install --require-hashes --only-binary=:all: -r deploy/image/build-requirements.lock
COPY pyproject.toml README.md ./
COPY workflows/ workflows/
COPY bot/ bot/
RUN pip wheel --no-deps --no-build-isolation --wheel-dir /wheels .

# --- runtime: a virtual environment of those wheels, owned by root, run as UID 10001 ----------
FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.title="perfbot" \
      org.opencontainers.image.description="perfbot GitHub App and CLI (pull-request performance testing on Argo Workflows)" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/opt/perfbot \
    PATH=/opt/perfbot/bin:$PATH
# /perfbot belongs to the runtime user: the compare step writes its reports to /perfbot/out
# (Argo collects output artifacts from the container's file system), and the image runs as
# that user in the workflow steps too.
RUN groupadd --system --gid 10001 perfbot \
 && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/perfbot \
        --shell /usr/sbin/nologin perfbot \
 && install -d -o 10001 -g 10001 /perfbot
# The revision the image is built from (`--build-arg PERFBOT_REVISION=$(git rev-parse HEAD)`):
# recorded as the OCI revision label, and part of the layer cache's key from here on. A builder's
# layer cache does not look into a bind-mounted stage, so without it a cached install below would
# survive a change to perfbot's own code (buildah --layers did exactly that).
ARG PERFBOT_REVISION=unknown
LABEL org.opencontainers.image.revision="${PERFBOT_REVISION}"
# The wheels stage's files are bind-mounted, not copied: no layer keeps them. The second
# hash check proves the wheels are still the ones the lock names. numpy's and scipy's own test
# suites (about 50 MB) are never run here and go.
RUN --mount=type=bind,from=wheels,source=/wheels,target=/wheels \
    --mount=type=bind,source=deploy/image/requirements.lock,target=/tmp/requirements.lock \
    python -m venv --without-pip /opt/perfbot \
 && pip --python /opt/perfbot/bin/python install --no-index --find-links=/wheels \
        --require-hashes --only-binary=:all: -r /tmp/requirements.lock \
 && pip --python /opt/perfbot/bin/python install --no-index --no-deps /wheels/perfbot-*.whl \
 && find /opt/perfbot/lib/python3.11/site-packages/numpy /opt/perfbot/lib/python3.11/site-packages/scipy \
        -type d -name tests -prune -exec rm -rf {} + \
 && perfbot --version \
 && python -c "import scipy.stats, bot.server.app"
USER 10001:10001
WORKDIR /perfbot
EXPOSE 8080
CMD ["gunicorn", "--config", "python:bot.server.gunicorn_conf", "bot.server.wsgi:app"]
