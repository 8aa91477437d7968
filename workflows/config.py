"""`perfbot.yaml`: which repositories perfbot serves, and how each job builds, deploys and measures.

One validated model feeds three consumers: the template generator (`workflows.pipeline`), the
bot (who may run what, which options a comment may set) and the local runner. Anything from the
config that ends up inside a WorkflowTemplate is checked here for `{{`, because Argo would
expand it: a maintainer's command must never become a place where a PR comment's text is
substituted into a shell script.

A bad file raises `ConfigError` naming the file, the key path and what was expected, e.g.
`perfbot.yaml: repos.acme/db.jobs.sql.benchmark.rounds: expected an integer >= 1, got 'ten'`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from workflows.horreum.config import HorreumConfig

DEFAULT_DEADLINE_SECONDS = 7200  # the budget of a whole run: 2 h
DEFAULT_PERFBOT_IMAGE = "ghcr.io/perfbot/perfbot:0.1.0"
# Buildah, maintained by the containers project (kaniko's Google repository is archived).
DEFAULT_BUILDAH_IMAGE = "quay.io/containers/buildah:v1.46.1"
DEFAULT_CRANE_IMAGE = "gcr.io/go-containerregistry/crane:debug"
DEFAULT_BISECT_STEPS = 8  # one culprit among up to 32 commits: reproduce, 5 halvings, "no more"
DEFAULT_CONFIRM_ROUNDS = 10  # bench/confirmation.py: 5 rounds lose half the real changes found
# Fewer rounds than the compare's min samples (5) give no verdict, so could confirm nothing.
MIN_CONFIRM_ROUNDS = 5
CONFIRM_ROUNDS_RANGE = (
    "expected 0 (no confirmation run) or 5 to 1000 rounds (fewer than 5 rounds give no "
    "verdict, so they could confirm nothing), got {value}"
)

NAME_RE = re.compile(r"^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$")  # leaves room for "perf-" + suffixes
REPO_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")
PARAMETER_RE = re.compile(r"^[a-z][a-z0-9-]{0,62}$")
ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
SECRET_NAME_RE = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")  # a DNS subdomain

# Workflow parameters every template declares; a job option may not reuse these names.
RESERVED_PARAMETERS = (
    "repo",
    "pr",
    "head-sha",
    "base-sha",
    "base-ref",
    "job",
    "rebuild",
    "callback-url",
    "rounds",
    "benchmarks",
)

# What `perfbot compare --input-format` accepts, with the file suffix a round's result gets.
RESULT_FORMATS: dict[str, str] = {
    "perfbot": ".json",
    "hyperfine": ".json",
    "pytest-benchmark": ".json",
    "google-benchmark": ".json",
    "go-bench": ".txt",
}


class ConfigError(ValueError):
    """A config the user must fix; the message names the file, the key path and the expectation.

    One line per problem; `summary()` is the first of them for one-line CLI errors.
    """

    def summary(self) -> str:
        lines = str(self).splitlines() or [""]
        more = len(lines) - 1
        return lines[0] + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else "")


class _Model(BaseModel):
    """Strict about unknown keys: a misspelt key is an error, not a silently ignored setting."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _no_template_braces(value: Any) -> Any:
    """Refuse `{{` anywhere in strings that become template text (Argo would expand them)."""
    items = value if isinstance(value, list | tuple) else [value]
    for item in items:
        if isinstance(item, str) and "{{" in item:
            raise ValueError(
                "must not contain '{{' (Argo would substitute workflow parameters into it); "
                "read the PERFBOT_* environment variables instead"
            )
    return value


Command = Annotated[list[str], Field(min_length=1)]


class ArgoSettings(_Model):
    namespace: str = "perfbot"
    server: str | None = None  # Argo Server URL; ARGO_SERVER overrides it
    ui_url: str | None = None  # defaults to the server URL
    service_account: str = "perfbot-workflow"  # identity of the workflow pods (no token)
    executor_service_account: str = "perfbot-executor"  # Argo's init/wait containers only
    semaphore_config_map: str = "perfbot-semaphores"
    # name of the Secret (key `secret`) mounted into the report and exit steps only
    callback_secret: str = "perfbot-callback"  # noqa: S105 - a Secret's name, not its value

    @field_validator("server", "ui_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("expected an http(s) URL such as https://argo.example.com")
        return value.rstrip("/") if value else value

    @property
    def link_base(self) -> str | None:
        return self.ui_url or self.server


class WorkspaceConfig(_Model):
    """The volume a `command` build leaves its output on for the deploy and benchmark steps.

    Builds may land on other nodes than the benchmark, so the default asks for ReadWriteMany.
    """

    size: str = "10Gi"
    storage_class: str | None = None
    access_mode: Literal["ReadWriteOnce", "ReadWriteMany", "ReadWriteOncePod"] = "ReadWriteMany"

    @field_validator("size")
    @classmethod
    def _size(cls, value: str) -> str:
        if not re.match(r"^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$", value):
            raise ValueError("expected a Kubernetes quantity such as 10Gi")
        return value


class BuildConfig(_Model):
    """Either `dockerfile` (an image built in-cluster) or `command` (run in `builder_image`)."""

    dockerfile: str | None = None
    context: str = "."
    registry: str | None = None  # e.g. ghcr.io/acme; the image is <registry>/<image>:<sha>
    image: str | None = None
    registry_secret: str | None = None  # docker config Secret for pushing / checking
    buildah_image: str = DEFAULT_BUILDAH_IMAGE
    args: dict[str, str] = Field(default_factory=dict)  # the Dockerfile's build arguments
    crane_image: str = DEFAULT_CRANE_IMAGE
    builder_image: str | None = None
    command: Command | None = None
    keep: list[str] = Field(default_factory=lambda: ["."])  # paths kept on the workspace
    workspace: WorkspaceConfig = Field(default_factory=WorkspaceConfig)
    local_command: Command | None = None  # what `perfbot run --local` runs instead
    env: dict[str, str] = Field(default_factory=dict)
    retries: int = Field(default=2, ge=0, le=10)
    timeout: int = Field(default=3600, ge=60)

    _braces = field_validator("command", "local_command", "keep", "dockerfile", "context")(
        lambda cls, v: _no_template_braces(v)
    )

    @field_validator("env")
    @classmethod
    def _env(cls, value: dict[str, str]) -> dict[str, str]:
        return _check_env(value)

    @field_validator("args")
    @classmethod
    def _args(cls, value: dict[str, str]) -> dict[str, str]:
        for name, item in value.items():
            if not ENV_NAME_RE.match(name):
                raise ValueError(f"{name!r} is not a build argument name")
            _no_template_braces(item)
        return value

    @model_validator(mode="before")
    @classmethod
    def _kaniko_retired(cls, data: Any) -> Any:
        if isinstance(data, dict) and "kaniko_image" in data:
            raise ValueError(
                "kaniko_image: perfbot builds images with buildah now (kaniko's project is "
                "archived); rename the key to buildah_image and give a buildah image"
            )
        return data

    @model_validator(mode="after")
    def _one_kind(self) -> BuildConfig:
        if (self.dockerfile is None) == (self.command is None):
            raise ValueError("expected exactly one of `dockerfile` or `command`")
        if self.dockerfile is not None and not (self.registry and self.image):
            raise ValueError("a `dockerfile` build needs `registry` and `image` to push to")
        if self.args and self.dockerfile is None:
            raise ValueError("args: build arguments are for a `dockerfile` build")
        # a `command` build without `builder_image` runs locally only: JobConfig.cluster_gaps
        for path in self.keep:
            if path.startswith("/") or ".." in path.split("/"):
                raise ValueError(f"keep: expected paths inside the checkout, got {path!r}")
        return self

    @property
    def kind(self) -> Literal["image", "command"]:
        return "image" if self.dockerfile is not None else "command"

    @property
    def image_repository(self) -> str | None:
        return f"{self.registry}/{self.image}" if self.registry and self.image else None


class ReadinessConfig(_Model):
    """HTTP GET on `http_path` when given, else a command (`exec`), else a TCP check of the port."""

    http_path: str | None = None
    exec: Command | None = None
    initial_delay_seconds: int = Field(default=2, ge=0)
    period_seconds: int = Field(default=2, ge=1)
    timeout_seconds: int = Field(default=2, ge=1)
    failure_threshold: int = Field(default=60, ge=1)

    _braces = field_validator("http_path", "exec")(lambda cls, v: _no_template_braces(v))


class ResourcesConfig(_Model):
    """CPU and memory for a measured container, set as requests AND limits.

    Equal requests and limits give the container Kubernetes' Guaranteed QoS class: pinned to
    its share, never throttled below it nor evicted first. Without them a benchmark or the
    service it measures runs best-effort, and its neighbours become part of the measurement.
    """

    cpu: str
    memory: str

    @field_validator("cpu", mode="before")
    @classmethod
    def _cpu(cls, value: Any) -> str:
        text = str(value)
        if not re.fullmatch(r"[0-9]+m|[0-9]+(\.[0-9]+)?", text):
            raise ValueError(f"expected a CPU quantity such as 2, 1.5 or 500m, got {text!r}")
        return text

    @field_validator("memory", mode="before")
    @classmethod
    def _memory(cls, value: Any) -> str:
        text = str(value)
        if not re.fullmatch(r"[0-9]+(Ki|Mi|Gi|Ti|k|M|G|T)?", text):
            raise ValueError(f"expected a memory quantity such as 512Mi or 4Gi, got {text!r}")
        return text


class DeployConfig(_Model):
    image: str | None = None  # default: the built image, or the builder image for commands
    command: Command | None = None  # default: the image's entrypoint
    args: list[str] = Field(default_factory=list)
    local_command: Command | None = None  # run from the build's workspace by the local runner
    env: dict[str, str] = Field(default_factory=dict)
    port: int = Field(ge=1, le=65535)
    readiness: ReadinessConfig = Field(default_factory=ReadinessConfig)
    retries: int = Field(default=2, ge=0, le=10)
    resources: ResourcesConfig | None = None

    _braces = field_validator("command", "args", "local_command", "image")(
        lambda cls, v: _no_template_braces(v)
    )

    @field_validator("env")
    @classmethod
    def _env(cls, value: dict[str, str]) -> dict[str, str]:
        return _check_env(value)


class BenchmarkConfig(_Model):
    image: str | None = None  # required on Argo only: JobConfig.cluster_gaps
    command: Command
    format: str = "perfbot"
    rounds: int = Field(default=10, ge=1, le=1000)
    # fresh processes of the command per side and round (pyperf's workers, JMH's forks): a
    # process's layout is a random draw, and one draw a round can bias the whole round
    processes: int = Field(default=1, ge=1, le=100)
    # rounds of the confirmation run, which measures the flagged benchmarks again; 0: none
    confirm_rounds: int = DEFAULT_CONFIRM_ROUNDS
    timeout: int = Field(default=3600, ge=10)  # seconds for all rounds together
    env: dict[str, str] = Field(default_factory=dict)
    # whose checkout the benchmark runs in; default: head with a deploy, none without (a
    # command-line benchmark runs in each side's build on the workspace)
    source: Literal["head", "base", "none"] | None = None
    resources: ResourcesConfig | None = None
    # what the driver measures itself around the command, per round and side (docs/config.md)
    measure: list[Literal["cpu", "rss", "instructions"]] = Field(
        default_factory=lambda: ["cpu", "rss"]
    )
    # the benchmark container gets CAP_PERFMON, so that perf stat can count instructions on a
    # node that exposes hardware counters: an operator's choice, off by default
    perf_events: bool = False

    _braces = field_validator("command", "image")(lambda cls, v: _no_template_braces(v))

    @model_validator(mode="after")
    def _perf_events(self) -> BenchmarkConfig:
        if self.perf_events and "instructions" not in self.measure:
            raise ValueError("perf_events needs instructions in benchmark.measure")
        return self

    @field_validator("format")
    @classmethod
    def _format(cls, value: str) -> str:
        if value not in RESULT_FORMATS:
            raise ValueError(f"expected one of {', '.join(RESULT_FORMATS)}")
        return value

    @field_validator("env")
    @classmethod
    def _env(cls, value: dict[str, str]) -> dict[str, str]:
        return _check_env(value)

    @field_validator("confirm_rounds")
    @classmethod
    def _confirm_rounds(cls, value: int) -> int:
        if value != 0 and not MIN_CONFIRM_ROUNDS <= value <= 1000:
            raise ValueError(CONFIRM_ROUNDS_RANGE.format(value=value))
        return value

    @property
    def result_suffix(self) -> str:
        return RESULT_FORMATS[self.format]


class BenchmarkRuleConfig(_Model):
    """A per-benchmark setting (workflows.compare.rules): benchmarks named by a glob."""

    match: str = Field(min_length=1)
    threshold: float | None = Field(default=None, ge=0, lt=10)
    direction: Literal["lower", "higher"] | None = None
    ignore: bool | None = None
    # which of the benchmark's metrics decides its verdict (wall, cpu, max-rss, instructions)
    metric: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9/-]{0,39}$")


class CompareConfig(_Model):
    threshold: float = Field(default=0.04, gt=0, lt=10)  # relative change that counts
    extra_args: list[str] = Field(default_factory=list)  # more `perfbot compare` flags
    benchmarks: list[BenchmarkRuleConfig] = Field(default_factory=list)  # per-benchmark rules

    _braces = field_validator("extra_args")(lambda cls, v: _no_template_braces(v))


class Toleration(_Model):
    key: str | None = None
    operator: Literal["Equal", "Exists"] = "Equal"
    value: str | None = None
    effect: Literal["NoSchedule", "PreferNoSchedule", "NoExecute"] | None = None


class PlacementConfig(_Model):
    node_selector: dict[str, str] = Field(default_factory=dict)
    tolerations: list[Toleration] = Field(default_factory=list)
    semaphore: str = "benchmark-nodes"  # key in the semaphore ConfigMap
    # How long the run's measure pods may wait to be placed (a node added by the autoscaler
    # included) before the run fails and lets go of the semaphore (the `reserve` step).
    schedule_timeout: int = Field(default=900, ge=60, le=7200)
    # The allocatable CPU and memory of the largest benchmark node, when known: a job whose
    # measure pods together ask for more is refused when the config is loaded.
    node_capacity: ResourcesConfig | None = None

    @field_validator("semaphore")
    @classmethod
    def _key(cls, value: str) -> str:
        if not re.match(r"^[A-Za-z0-9._-]{1,253}$", value):
            raise ValueError("expected a ConfigMap key (letters, digits, '.', '_', '-')")
        return value


class OptionSpec(_Model):
    """A `key=value` word a PR comment may add; the value is checked before anything runs."""

    parameter: str = ""  # workflow parameter it sets; default: the option's key
    type: Literal["int", "float", "bool", "choice", "string"] = "string"
    min: float | None = None
    max: float | None = None
    choices: list[str] = Field(default_factory=list)
    pattern: str = r"^[A-Za-z0-9._-]{1,64}$"  # for `string`: a safe, short token by default
    default: str | None = None  # default: the job's own value (rounds) or ""
    help: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> OptionSpec:
        if self.type == "choice" and not self.choices:
            raise ValueError("a `choice` option needs `choices`")
        if self.default is not None:
            try:
                self.parse(self.default)
            except ValueError as exc:
                raise ValueError(f"default: {exc}") from None
        try:
            re.compile(self.pattern)
        except re.error as exc:
            raise ValueError(f"pattern is not a regular expression: {exc}") from exc
        return self

    @property
    def default_value(self) -> str:
        """The parameter's value when a comment does not set it."""
        if self.default is not None:
            return self.default
        return self.choices[0] if self.type == "choice" else ""

    def parse(self, raw: str) -> str:
        """The value as the parameter string, or ValueError saying what is accepted."""
        if self.type == "int":
            try:
                number = int(raw, 10)
            except ValueError:
                raise ValueError(f"expected an integer, got {raw!r}") from None
            self._check_range(number, raw)
            return str(number)
        if self.type == "float":
            try:
                value = float(raw)
            except ValueError:
                raise ValueError(f"expected a number, got {raw!r}") from None
            if value != value or value in (float("inf"), float("-inf")):
                raise ValueError(f"expected a finite number, got {raw!r}")
            self._check_range(value, raw)
            return repr(value)
        if self.type == "bool":
            lowered = raw.lower()
            if lowered in ("true", "yes", "on", "1"):
                return "true"
            if lowered in ("false", "no", "off", "0"):
                return "false"
            raise ValueError(f"expected true or false, got {raw!r}")
        if self.type == "choice":
            if raw not in self.choices:
                raise ValueError(f"expected one of {', '.join(self.choices)}, got {raw!r}")
            return raw
        if not re.fullmatch(self.pattern, raw):
            raise ValueError(f"expected a value matching {self.pattern}, got {raw!r}")
        return raw

    def _check_range(self, value: float, raw: str) -> None:
        if self.min is not None and value < self.min:
            raise ValueError(f"expected at least {_num(self.min)}, got {raw}")
        if self.max is not None and value > self.max:
            raise ValueError(f"expected at most {_num(self.max)}, got {raw}")

    @property
    def accepted(self) -> str:
        """Short description of accepted values, for help replies."""
        if self.type == "choice":
            return " | ".join(self.choices)
        if self.type in ("int", "float"):
            low = _num(self.min) if self.min is not None else ""
            high = _num(self.max) if self.max is not None else ""
            return f"{self.type} {low}..{high}" if (low or high) else self.type
        return "true | false" if self.type == "bool" else "text"


class BisectConfig(_Model):
    # comparisons a bisection may make (each one a run of the regressed benchmarks: builds,
    # deploys, interleaved rounds, confirmation), before it reports the range it narrowed to
    max_steps: int = Field(default=DEFAULT_BISECT_STEPS, ge=1, le=64)


class JobConfig(_Model):
    name: str
    build: BuildConfig
    deploy: DeployConfig | None = None
    benchmark: BenchmarkConfig
    compare: CompareConfig = Field(default_factory=CompareConfig)
    placement: PlacementConfig = Field(default_factory=PlacementConfig)
    deadline: int = Field(default=DEFAULT_DEADLINE_SECONDS, ge=60)
    options: dict[str, OptionSpec] = Field(default_factory=dict)
    description: str = ""
    bisect: BisectConfig = Field(default_factory=BisectConfig)
    horreum: HorreumConfig | None = None  # replaces the repository's `horreum:` (docs/horreum.md)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not NAME_RE.match(value):
            raise ValueError(
                "expected a job name of lowercase letters, digits and '-', at most 40 characters"
            )
        return value

    @field_validator("options", mode="before")
    @classmethod
    def _option_parameters(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        filled = {}
        for key, spec in value.items():
            if isinstance(spec, dict) and not spec.get("parameter"):
                spec = {**spec, "parameter": key}
            filled[key] = spec
        return filled

    @model_validator(mode="after")
    def _coherent(self) -> JobConfig:
        if self.deploy is None and self.build.kind == "image":
            raise ValueError(
                "a `dockerfile` build needs a `deploy` section; a command-line benchmark "
                "builds with `build.command` and runs from the workspace"
            )
        if self.deploy is not None and self.build.kind == "command" and not self.deploy.command:
            raise ValueError(
                "deploy.command: required when the build is a command (no image "
                "entrypoint to fall back on)"
            )
        from workflows.pipeline.sizing import misfit  # the sizing rule, beside its template

        if (why := misfit(self)) is not None:
            raise ValueError(why)
        for key, spec in self.options.items():
            if not PARAMETER_RE.match(spec.parameter):
                raise ValueError(
                    f"options.{key}.parameter: expected lowercase letters, digits and '-'"
                )
            if spec.parameter in RESERVED_PARAMETERS and spec.parameter != "rounds":
                raise ValueError(
                    f"options.{key}.parameter: {spec.parameter!r} is set by perfbot itself"
                )
        return self

    @property
    def template_name(self) -> str:
        return f"perf-{self.name}"

    def cluster_gaps(self) -> list[str]:
        """Why this job cannot run on Argo: the images a local-only job may leave out."""
        gaps = []
        if self.build.kind == "command" and not self.build.builder_image:
            gaps.append(f"job {self.name} has no builder_image: it cannot run on Argo")
            if self.deploy is not None and not self.deploy.image:
                gaps.append(f"job {self.name} has no deploy.image: it cannot run on Argo")
        if not self.benchmark.image:
            gaps.append(f"job {self.name} has no benchmark.image: it cannot run on Argo")
        return gaps

    @property
    def benchmark_source(self) -> Literal["head", "base", "none"]:
        if self.benchmark.source is not None:
            return self.benchmark.source
        return "head" if self.deploy is not None else "none"

    @property
    def can_reuse_builds(self) -> bool:
        """True when a run may skip building (`rebuild=false`): only images outlive a run."""
        return self.build.kind == "image"

    def option_parameters(self) -> dict[str, str]:
        """Extra workflow parameters the options add, with their defaults."""
        params: dict[str, str] = {}
        for spec in self.options.values():
            if spec.parameter == "rounds":
                continue
            params[spec.parameter] = spec.default_value
        return params

    def parse_options(self, words: dict[str, str]) -> dict[str, str]:
        """`{key: raw}` from a comment to `{parameter: value}`; ValueError names the bad key."""
        parsed: dict[str, str] = {}
        for key, raw in words.items():
            spec = self.options.get(key)
            if spec is None:
                allowed = ", ".join(sorted(self.options)) or "none"
                raise ValueError(f"unknown option {key!r} for job {self.name} (allowed: {allowed})")
            try:
                parsed[spec.parameter] = spec.parse(raw)
            except ValueError as exc:
                raise ValueError(f"option {key}: {exc}") from None
        return parsed


class RepoConfig(_Model):
    default_job: str
    jobs: dict[str, JobConfig]
    allowed_users: list[str] = Field(default_factory=list)
    clone_url: str | None = None  # default: https://github.com/<owner>/<name>.git
    # A private repository: the Secret (type kubernetes.io/basic-auth, keys `username` and
    # `password`) the `fetch` step's git artifact authenticates with; no other step sees it.
    git_credentials_secret: str | None = None
    # The bot's triggers besides comments (docs/bot.md, "Triggers"):
    run_label: str | None = Field(None, min_length=1, max_length=50)  # GitHub's label cap
    run_on_push: bool = False  # pushes to the default branch, compared with `before`
    fork_prs: Literal["maintainers-only", "refuse"] = "maintainers-only"
    comment: Literal["always", "on-change", "quiet"] = "always"  # the report's sticky comment
    horreum: HorreumConfig | None = None  # where runs are stored (docs/horreum.md)

    @field_validator("jobs", mode="before")
    @classmethod
    def _names_from_keys(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        named = {}
        for key, job in value.items():
            if isinstance(job, dict):
                if "name" in job and job["name"] != key:
                    raise ValueError(f"job {key!r} has a different `name` {job['name']!r}")
                job = {**job, "name": key}
            named[key] = job
        return named

    @field_validator("clone_url")
    @classmethod
    def _clone_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https://[^\s{}]+$", value):
            raise ValueError("expected an https:// git URL (no credentials: the pods run PR code)")
        if value is not None and "@" in value.split("//", 1)[1].split("/", 1)[0]:
            raise ValueError("must not carry credentials")
        return value

    @field_validator("git_credentials_secret")
    @classmethod
    def _secret_name(cls, value: str | None) -> str | None:
        if value is not None and not SECRET_NAME_RE.match(value):
            raise ValueError(
                "expected a Kubernetes Secret name (lowercase letters, digits, '-' and '.')"
            )
        return value

    @model_validator(mode="after")
    def _default_exists(self) -> RepoConfig:
        if not self.jobs:
            raise ValueError("jobs: expected at least one job")
        if self.default_job not in self.jobs:
            raise ValueError(
                f"default_job: {self.default_job!r} is not one of the jobs "
                f"({', '.join(sorted(self.jobs))})"
            )
        return self

    def job(self, name: str) -> JobConfig | None:
        return self.jobs.get(name)

    def horreum_for(self, job: str) -> HorreumConfig | None:
        found = self.jobs.get(job)
        return (found.horreum if found is not None else None) or self.horreum


class PerfbotConfig(_Model):
    argo: ArgoSettings = Field(default_factory=ArgoSettings)
    perfbot_image: str = DEFAULT_PERFBOT_IMAGE
    repos: dict[str, RepoConfig]

    @field_validator("repos")
    @classmethod
    def _repo_names(cls, value: dict[str, RepoConfig]) -> dict[str, RepoConfig]:
        seen: set[str] = set()
        for name in value:
            if not REPO_RE.match(name):
                raise ValueError(f"{name!r}: expected repository names as owner/name")
            if name.lower() in seen:
                raise ValueError(f"{name!r} appears twice (names are case-insensitive)")
            seen.add(name.lower())
        owner: dict[str, str] = {}
        for repo_name, repo in value.items():
            for job_name in repo.jobs:
                if job_name in owner:
                    raise ValueError(
                        f"job {job_name!r} is defined in {owner[job_name]} and {repo_name}; "
                        "job names must be unique (each is a WorkflowTemplate perf-<job>)"
                    )
                owner[job_name] = repo_name
        return value

    def repo(self, full_name: str) -> RepoConfig | None:
        wanted = full_name.lower()
        for name, repo in self.repos.items():
            if name.lower() == wanted:
                return repo
        return None

    def job(self, name: str) -> JobConfig | None:
        for repo in self.repos.values():
            if name in repo.jobs:
                return repo.jobs[name]
        return None

    def repo_of(self, job_name: str) -> str | None:
        """The `owner/name` a job belongs to."""
        for name, repo in self.repos.items():
            if job_name in repo.jobs:
                return name
        return None

    def clone_url(self, repo_name: str) -> str:
        repo = self.repo(repo_name)
        if repo is not None and repo.clone_url:
            return repo.clone_url
        return f"https://github.com/{repo_name}.git"


def _check_env(value: dict[str, str]) -> dict[str, str]:
    for name, item in value.items():
        if not ENV_NAME_RE.match(name):
            raise ValueError(f"{name!r} is not an environment variable name")
        if name.startswith("PERFBOT_"):
            raise ValueError(f"{name}: PERFBOT_* variables are set by perfbot itself")
        _no_template_braces(item)
    return value


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def load_config(path: str | Path) -> PerfbotConfig:
    """Read and validate a perfbot.yaml; every problem is a `ConfigError` naming file and key."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    return parse_config(text, source=str(path))


def parse_config(text: str, *, source: str = "perfbot.yaml") -> PerfbotConfig:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{source}: not valid YAML{where}: {problem}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: expected a mapping with `repos:` at the top level")
    try:
        return PerfbotConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe(source, exc)) from None


def _describe(source: str, exc: ValidationError) -> str:
    """One line per problem: `file: key.path: expectation`, first problem first."""
    lines = []
    for error in exc.errors(include_url=False):
        path = ".".join(str(part) for part in error["loc"]) or "(top level)"
        lines.append(f"{source}: {path}: {_expectation(error)}")
    return "\n".join(dict.fromkeys(lines))


def _expectation(error: Any) -> str:
    kind = error["type"]
    given = error.get("input")
    shown = repr(given) if not isinstance(given, dict | list) else type(given).__name__
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        return "unknown key (check its spelling)"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"expected an integer, got {shown}"
    if kind in ("float_parsing", "float_type"):
        return f"expected a number, got {shown}"
    if kind in ("string_type",):
        return f"expected a string, got {shown}"
    if kind in ("list_type",):
        return f"expected a list, got {shown}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping, got {shown}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        ctx = error.get("ctx", {})
        bound = next(iter(ctx.values()), "")
        op = {
            "greater_than_equal": ">=",
            "greater_than": ">",
            "less_than_equal": "<=",
            "less_than": "<",
        }[kind]
        return f"expected a number {op} {bound}, got {shown}"
    if kind == "too_short":
        return "expected at least one item"
    if kind == "literal_error":
        return f"expected {error['ctx']['expected']}, got {shown}"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    return error["msg"]
