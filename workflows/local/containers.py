"""One container (or script) template as one local process.

Images are ignored; what runs is the template's `command + args`, exec'ed directly (a shell only
when the template itself runs `sh -c` with its fixed script). Around it, the pod is imitated:
- volumes and artifacts get directories of the run, and container paths in argv, env and
  `workingDir` are rewritten to them (`paths.PathMap`);
- `git` input artifacts become worktrees of the local repository, `from` artifacts copies of
  the producing step's output (a new worktree of the same commit when that output is an
  unchanged worktree, such as the `fetch` step's checkout), `raw` artifacts files;
- env: the user's environment (minus anything that looks like a credential, as no pod that
  runs PR code gets one), the venv's `bin` first on PATH, then the template's `env`, with
  Kubernetes' `$(VAR)` expansion; `secretKeyRef` reads `<secrets dir>/<secret>/<key>`;
- a daemon gets a free local port for each declared container port: an env value or argv item
  equal to the declared port is replaced by the local one, and `{{tasks.<daemon>.ip}}:<port>`
  in later steps becomes `127.0.0.1:<local port>` (see `executor`).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workflows.local import extensions, probes, selfreport
from workflows.local.nodes import Node
from workflows.local.paths import PathMap
from workflows.local.processes import ProcessTable
from workflows.local.worktrees import GitError, Worktrees

# Top-level directories of this machine that a container path under them must not take over;
# any other top-level directory (`/perfbot`, `/workspace`) is the step's own, as in a pod.
_SYSTEM_DIRS = {"", "bin", "boot", "dev", "etc", "home", "lib", "lib32", "lib64", "libx32",
                "media", "mnt", "opt", "proc", "root", "run", "sbin", "srv", "sys", "tmp", "usr",
                "var"}  # fmt: skip
_CREDENTIAL = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|API_KEY|PRIVATE_KEY", re.I)
_K8S_VAR = re.compile(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)")


class StepError(RuntimeError):
    """The step could not be started or its outputs collected (Argo's `Error` phase)."""


@dataclass
class RunContext:
    """What every container step of one run shares."""

    work_dir: Path  # volumes, step directories, worktrees, artifact snapshots
    logs_dir: Path
    worktrees: Worktrees
    table: ProcessTable = field(default_factory=ProcessTable)
    secrets_dir: Path | None = None
    workflow_volumes: set[str] = field(default_factory=set)
    workspace: str | None = None  # a container path that is one directory for the whole run
    allocated_ports: set[int] = field(default_factory=set)  # free ports handed out as inputs
    warn: Callable[[str], None] | None = None  # the executor sets its display's
    base_env: dict[str, str] = field(default_factory=lambda: base_environment())

    def warning(self, text: str) -> None:
        if self.warn is not None:
            self.warn(text)


PROJECT_VENVS = (".venv", "venv")  # where a repository keeps its (untracked) environment


def project_bin(repo: Path) -> Path | None:
    """The `bin` of the repository's own virtual environment, if it has one at its root.

    Steps run in fresh worktrees of commits, where an untracked venv does not exist, so a
    job cannot name it by a relative path; it is put first on PATH instead (docs/local.md,
    "Which Python a step runs"). A directory without `pyvenv.cfg` is not a venv.
    """
    for name in PROJECT_VENVS:
        found = repo / name
        if (found / "pyvenv.cfg").is_file() and (found / "bin").is_dir():
            return found / "bin"
    return None


def base_environment(
    environ: Mapping[str, str] = os.environ, first: Path | None = None
) -> dict[str, str]:
    """The user's environment without credentials, with this Python's `bin` first on PATH,
    after `first` (the repository's own venv) when given."""
    env = {k: v for k, v in environ.items() if not _CREDENTIAL.search(k)}
    bin_dir = str(Path(sys.executable).parent)
    path = env.get("PATH", os.defpath)
    if bin_dir not in path.split(os.pathsep):
        path = os.pathsep.join([bin_dir, path])
    if first is not None:
        path = os.pathsep.join(
            [str(first), *(p for p in path.split(os.pathsep) if p != str(first))]
        )
    env["PATH"] = path
    env.pop("VIRTUAL_ENV_PROMPT", None)
    env[extensions.LOCAL_ENV] = "1"
    return env


@dataclass
class PreparedStep:
    argv: list[str]
    env: dict[str, str]
    cwd: Path
    paths: PathMap
    step_dir: Path
    probe: dict[str, Any] | None = None
    probe_argv: list[str] | None = None
    probe_port: int | None = None


def step_dir(run: RunContext, node: Node) -> Path:
    return run.work_dir / "steps" / _safe(node.id)


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_") or "step"


def prepare(
    run: RunContext,
    node: Node,
    template: Mapping[str, Any],
    artifact_sources: Mapping[str, Mapping[str, Any]],
) -> PreparedStep:
    """Directories, artifacts, env and argv of a substituted container/script template."""
    where = node.id
    container = dict(template.get("container") or template.get("script") or {})
    directory = step_dir(run, node)
    if directory.exists():
        run.worktrees.remove_under(directory)
        shutil.rmtree(directory)  # a retry starts from a clean pod
    directory.mkdir(parents=True)
    paths = PathMap()
    _map_volumes(run, template, container, directory, paths, where)
    if run.workspace:
        local_workspace = run.work_dir / "workspace"
        local_workspace.mkdir(parents=True, exist_ok=True)
        paths.add(run.workspace, local_workspace)
    _materialize_inputs(run, template, artifact_sources, directory, paths, where)
    working = extensions.local_working_dir(template) or container.get("workingDir")
    _map_private_roots(template, container, working, directory, paths)
    _map_outputs(template, directory, paths)

    env = _environment(run, container, node, where)
    argv = [str(a) for a in (container.get("command") or [])] + [
        str(a) for a in (container.get("args") or [])
    ]
    replacement = extensions.local_command(template, where)
    if replacement is not None:
        argv = replacement
    elif template.get("script") is not None:
        script = directory / "script"
        script.write_text(paths.rewrite(str(container.get("source") or "")), encoding="utf-8")
        script.chmod(0o700)
        argv = [str(a) for a in (container.get("command") or [])] + [str(script)]
    if not argv:
        raise StepError(f"step {where}: no command to run locally")

    if node.daemon:
        _assign_ports(container, env, argv, node, run)
    declared = {item["name"]: env[item["name"]] for item in container.get("env") or []
                if item["name"] in env}  # fmt: skip
    for name, value in declared.items():
        env[name] = paths.rewrite(_expand(value, declared))
    declared = {name: env[name] for name in declared}
    # Argo's controller appends its own env after the template's, so its value wins there too.
    env[selfreport.ENV] = str(directory / selfreport.FILE_NAME)
    argv = [paths.rewrite(_expand(item, declared)) for item in argv]
    cwd = Path(paths.rewrite(_expand(str(working), declared))) if working else directory / "work"
    if working and not cwd.is_absolute():
        raise StepError(f"step {where}: workingDir {working!r} is not under a mapped path")

    prepared = PreparedStep(argv=argv, env=env, cwd=cwd, paths=paths, step_dir=directory)
    probe = container.get("readinessProbe")
    if probe:
        prepared.probe = dict(probe)
        declared = probes.probe_port(probe)
        if isinstance(declared, str):
            declared = _named_port(container, declared, where)
        prepared.probe_port = node.ports.get(declared, declared) if declared else None
        if "exec" in probe:
            command = [str(a) for a in (probe["exec"] or {}).get("command") or []]
            prepared.probe_argv = [paths.rewrite(_expand(a, declared)) for a in command]
    return prepared


# -- volumes and artifacts --------------------------------------------------------------------


def _map_volumes(
    run: RunContext,
    template: Mapping[str, Any],
    container: Mapping[str, Any],
    directory: Path,
    paths: PathMap,
    where: str,
) -> None:
    pod_volumes = {v.get("name") for v in template.get("volumes") or []}
    for mount in container.get("volumeMounts") or []:
        name = mount.get("name", "")
        if name in pod_volumes:
            local = directory / "volumes" / _safe(name)
        elif name in run.workflow_volumes:
            local = run.work_dir / "volumes" / _safe(name)
        else:
            raise StepError(f"step {where}: volumeMount {name!r} names no volume of the workflow")
        if mount.get("subPath"):
            local = local / str(mount["subPath"])
        local.mkdir(parents=True, exist_ok=True)
        paths.add(str(mount["mountPath"]), local)


def _materialize_inputs(
    run: RunContext,
    template: Mapping[str, Any],
    sources: Mapping[str, Mapping[str, Any]],
    directory: Path,
    paths: PathMap,
    where: str,
) -> None:
    for artifact in (template.get("inputs") or {}).get("artifacts") or []:
        name = artifact["name"]
        spec = {**artifact, **(sources.get(name) or {})}
        container_path = spec.get("path")
        if not container_path:
            raise StepError(f"step {where}: input artifact {name!r} has no path")
        local = directory / "inputs" / _safe(name)
        local.parent.mkdir(parents=True, exist_ok=True)
        if spec.get("git"):
            revision = str(spec["git"].get("revision") or "HEAD")
            try:
                run.worktrees.add(local, revision)
            except GitError as exc:
                raise StepError(f"step {where}: input artifact {name!r}: {exc}") from None
        elif spec.get("from_path") and (commit := run.worktrees.handed(Path(spec["from_path"]))):
            try:
                run.worktrees.add(local, commit)
            except GitError as exc:
                raise StepError(f"step {where}: input artifact {name!r}: {exc}") from None
        elif spec.get("from_path"):
            _copy(Path(spec["from_path"]), local)
        elif spec.get("raw") is not None:
            local.write_text(str(spec["raw"].get("data", "")), encoding="utf-8")
        elif spec.get("optional"):
            continue
        else:
            kinds = sorted(k for k in spec if k not in ("name", "path", "mode", "optional"))
            raise StepError(
                f"step {where}: input artifact {name!r} ({', '.join(kinds) or 'no source'}) "
                "is not available locally: only git, raw and from-task artifacts are"
            )
        paths.add(str(container_path), local)


def _map_private_roots(
    template: Mapping[str, Any],
    container: Mapping[str, Any],
    working: str | None,
    directory: Path,
    paths: PathMap,
) -> None:
    """A step-private directory for each non-system top-level directory the template uses.

    In a pod, `/perfbot/results` is the container's own; locally, writing there would touch
    this machine's root. So `/perfbot` (say) becomes `<step dir>/root/perfbot`, below the more
    specific volume and artifact mappings, which keep precedence (longest prefix wins).
    """
    used = [working or ""]
    used += [str(m.get("mountPath", "")) for m in container.get("volumeMounts") or []]
    for kind in ("inputs", "outputs"):
        for key in ("artifacts", "parameters"):
            for item in (template.get(kind) or {}).get(key) or []:
                used.append(str(item.get("path") or (item.get("valueFrom") or {}).get("path", "")))
    for path in used:
        top = path.strip("/").split("/", 1)[0] if path.startswith("/") else ""
        if top not in _SYSTEM_DIRS and paths.local(f"/{top}") is None:
            paths.add(f"/{top}", directory / "root" / top)


def _map_outputs(template: Mapping[str, Any], directory: Path, paths: PathMap) -> None:
    outputs = template.get("outputs") or {}
    for kind in ("artifacts", "parameters"):
        for item in outputs.get(kind) or []:
            container_path = item.get("path") or (item.get("valueFrom") or {}).get("path")
            if not container_path or paths.local(str(container_path)) is not None:
                continue
            local = directory / "outputs" / kind / _safe(item["name"])
            local.mkdir(parents=True, exist_ok=True)
            paths.add(str(container_path), local / (Path(str(container_path)).name or "out"))


def _copy(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, symlinks=True, copy_function=_link_or_copy)
    elif source.exists():
        _link_or_copy(str(source), str(target))
    else:
        raise StepError(f"artifact {source} does not exist")


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def snapshot(source: Path, target: Path) -> Path:
    """A copy of an output artifact as it is now (hard links where the file system allows)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    _copy(source, target)
    return target


# -- environment and ports ----------------------------------------------------------------------


def _environment(
    run: RunContext, container: Mapping[str, Any], node: Node, where: str
) -> dict[str, str]:
    env = dict(run.base_env)
    declared: dict[str, str] = {}
    for item in container.get("env") or []:
        name = item["name"]
        if "value" in item:
            declared[name] = str(item["value"])
            continue
        value = _value_from(run, item.get("valueFrom") or {}, node, where, name)
        if value is not None:
            declared[name] = value
    env.update(declared)
    return env


def _value_from(
    run: RunContext, source: Mapping[str, Any], node: Node, where: str, name: str
) -> str | None:
    if "secretKeyRef" in source:
        ref = source["secretKeyRef"]
        if run.secrets_dir is not None:
            path = run.secrets_dir / str(ref.get("name")) / str(ref.get("key"))
            if path.is_file():
                return path.read_text(encoding="utf-8").rstrip("\n")
        if ref.get("optional"):
            return None  # as in Kubernetes: an optional secret that is absent leaves it unset
        run.warning(
            f"step {where}: {name} left unset (secret {ref.get('name')}/{ref.get('key')} is "
            "not in the local secrets directory)"
        )
        return None
    if "fieldRef" in source:
        field_path = source["fieldRef"].get("fieldPath", "")
        return {"metadata.name": node.id, "status.podIP": "127.0.0.1",
                "spec.nodeName": "localhost"}.get(field_path, "")  # fmt: skip
    run.warning(f"step {where}: {name} left unset ({', '.join(source)} is not available locally)")
    return None


def _expand(text: str, env: Mapping[str, str]) -> str:
    """Kubernetes' `$(VAR)` expansion (only declared names; `$$` is a literal `$`)."""

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1)
        return env[name] if name in env else match.group(0)

    return _K8S_VAR.sub(replace, text)


def declared_ports(container: Mapping[str, Any]) -> list[int]:
    ports = [int(p["containerPort"]) for p in container.get("ports") or [] if "containerPort" in p]
    probe_port = probes.probe_port(container.get("readinessProbe") or {})
    if isinstance(probe_port, int) and probe_port not in ports:
        ports.append(probe_port)
    return ports


def _named_port(container: Mapping[str, Any], name: str, where: str) -> int:
    for port in container.get("ports") or []:
        if port.get("name") == name:
            return int(port["containerPort"])
    raise StepError(f"step {where}: readiness probe names port {name!r}, which is not declared")


def _assign_ports(
    container: Mapping[str, Any], env: dict[str, str], argv: list[str], node: Node, run: RunContext
) -> None:
    """Give a daemon its own local port for each declared one (see the module docstring)."""
    names = {item["name"] for item in container.get("env") or []}
    for declared in declared_ports(container):
        text = str(declared)
        carriers = [k for k in names if env.get(k) == text]
        positions = [i for i, item in enumerate(argv) if item == text]
        if not carriers and not positions:
            given = [int(v) for k, v in env.items() if k in names and v.isdigit()]
            handed_out = [port for port in given if port in run.allocated_ports]
            if len(handed_out) == 1:  # the port this daemon was given as an input
                node.ports[declared] = handed_out[0]
                continue
            run.warning(
                f"step {node.id}: port {declared} is not passed through an env var or argument, "
                "so it cannot be moved; another daemon on the same port would collide"
            )
            node.ports[declared] = declared
            continue
        local = probes.free_port()
        node.ports[declared] = local
        for key in carriers:
            env[key] = str(local)
        for index in positions:
            argv[index] = str(local)


# -- outputs --------------------------------------------------------------------------------------


def collect_outputs(
    run: RunContext, node: Node, template: Mapping[str, Any], prepared: PreparedStep
) -> None:
    """Output parameters and artifacts into `node.outputs`; StepError if one is missing."""
    outputs = template.get("outputs") or {}
    for parameter in outputs.get("parameters") or []:
        name = parameter["name"]
        source = parameter.get("valueFrom") or {}
        if "path" in source:
            local = prepared.paths.local(str(source["path"]))
            if local is not None and local.is_file():
                node.outputs.parameters[name] = local.read_text(encoding="utf-8").strip()
            elif "default" in source:
                node.outputs.parameters[name] = str(source["default"])
            else:
                raise StepError(
                    f"step {node.id}: output parameter {name!r}: {source['path']} was not written"
                )
        elif "value" in parameter:
            node.outputs.parameters[name] = str(parameter["value"])
        elif "default" in source:
            node.outputs.parameters[name] = str(source["default"])
        else:
            raise StepError(
                f"step {node.id}: output parameter {name!r}: only valueFrom.path is supported "
                "for containers locally"
            )
    for artifact in outputs.get("artifacts") or []:
        name = artifact["name"]
        local = prepared.paths.local(str(artifact.get("path", "")))
        if local is None or not local.exists():
            if artifact.get("optional"):
                continue
            raise StepError(
                f"step {node.id}: output artifact {name!r}: {artifact.get('path')} was not written"
            )
        if run.worktrees.hand_on(local):  # a checkout: each consumer gets its own worktree
            node.outputs.artifacts[name] = local
            continue
        target = run.work_dir / "artifacts" / _safe(node.id) / _safe(name)
        node.outputs.artifacts[name] = snapshot(local, target)
