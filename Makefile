# The two commands a newcomer needs: `make demo` and `make test`. Both install the project
# into a virtual environment first (VENV, default .venv), so they work on a fresh clone.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: demo test render bench cluster-build cluster-up cluster-down cluster-render e2e \
	horreum-e2e

# The runtime dependencies are installed at the versions of the image's lock (its hashes
# stripped: pip refuses hashes beside an editable install), so the tests meet the same versions
# whatever the package index serves that day.
$(VENV)/.installed: pyproject.toml deploy/image/requirements.lock
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	sed -n 's/^\([A-Za-z0-9._-]*==[^ ]*\).*/\1/p' deploy/image/requirements.lock > $(VENV)/constraints.txt
	$(PY) -m pip install --quiet --constraint $(VENV)/constraints.txt -e ".[test]"
	touch $@

demo: $(VENV)/.installed
	$(VENV)/bin/perfbot demo

# Argo's validator (Go, tools/argo-validate) is built before the suite, so no test waits minutes
# for a cold build; without Go this stops with how to install it. One parallel pass: no test
# asserts a verdict on real timings (those figures are bench/'s), so none needs the CPU alone.
test: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m workflows.argo_validate >/dev/null
	$(PY) -m pytest -n 2 -q -m "not cluster and not horreum"

# Regenerate the committed WorkflowTemplates (the golden files) after changing the builders or
# examples/perfbot.yaml. CI never does this; tests/pipeline fails on drift instead.
render: $(VENV)/.installed
	$(VENV)/bin/perfbot render --config examples/perfbot.yaml --out templates

# A real Horreum (built from ../shared/horreum/server, cached; PostgreSQL 16 and Artemis from
# Maven Central) with the bot under gunicorn: uploads, change detection, the payloads Horreum
# sends (docs/horreum.md). Without ../shared it says so in one line and passes, unless
# PERFBOT_REQUIRE_HORREUM=1 (CI). Cold: about 8 minutes (Maven); warm: about a minute to start.
horreum-e2e: $(VENV)/.installed
	$(PY) -m pytest -q -m horreum tests/horreum_real

bench: $(VENV)/.installed
	for b in bench/*.py; do $(PY) $$b || exit 1; done

# The real one-node Kubernetes + Argo of tests/cluster (root; docs/cluster.md). A cold build
# compiles Kubernetes, etcd and Argo from the Go module proxy (about 40 minutes on 2 cores); the
# binaries and images are cached under ~/.cache/perfbot/cluster, keyed on their versions.
cluster-build: $(VENV)/.installed
	$(PY) -m tests.cluster build

cluster-up: $(VENV)/.installed
	$(PY) -m tests.cluster up

cluster-down:
	python3 -m tests.cluster down

cluster-render: $(VENV)/.installed
	$(VENV)/bin/perfbot render --config tests/cluster/overlay/perfbot.yaml --out tests/cluster/overlay/templates

# The whole loop on the cluster: up, perfbot installed, the demo run by a signed /run-perf, down.
e2e: $(VENV)/.installed
	$(PY) -m tests.cluster build
	$(PY) -m pytest -q -s -m cluster tests/cluster
