"""PostgreSQL 16, Artemis and Horreum on loopback, started and stopped by PID.

`up()` starts all three on free ports in a new runtime folder (under the system's temporary
directory: PostgreSQL refuses to run as root, so as root it runs as `nobody`, which must reach
its binaries and data) and writes `<cache>/horreum/running.json`: the folder, the PIDs, the
URL, the admin's password and an API key. `down()` reads that file and ends each process by its
PID (the process group it leads), after checking the PID still runs a command of that folder,
so a recycled PID is never signalled; then removes the folder. Whatever fails in `up()`, what
it started is stopped before the error propagates.

Users are Horreum's own (`horreum.roles.provider=database`, no Keycloak): the bootstrap admin
`horreum.bootstrap`, and `perfbot` in team `perf-team` with the uploader, tester and viewer
roles, whose API key the bot and `perfbot upload` use.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import requests

from tests.horreum_real.build import Built, home

TEAM = "perf-team"
USER = "perfbot"
ADMIN = "horreum.bootstrap"
BROKER_USER = "horreum"
HORREUM_HEAP = "-Xmx640m"
START_ATTEMPTS = 3
START_TIMEOUT = 240.0  # seconds for Horreum's first start (schema creation) on a busy machine


class StackError(Exception):
    """A part did not start; the message says which and ends with its log's tail."""


class HorreumExited(StackError):
    """Horreum's process ended before it answered."""


@dataclass
class Running:
    dir: str
    url: str
    admin_password: str
    api_key: str = ""
    pids: dict[str, int] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    commit: str = ""
    tries: int = 1  # Horreum starts it took (see up())

    @property
    def admin(self) -> tuple[str, str]:
        return (ADMIN, self.admin_password)


def state_file() -> Path:
    """One per pytest-xdist worker: each worker's session brings up its own stack."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return home() / (f"running-{worker}.json" if worker else "running.json")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _save(running: Running) -> None:
    state_file().parent.mkdir(parents=True, exist_ok=True)
    state_file().write_text(json.dumps(asdict(running), indent=2))


def _load() -> Running | None:
    try:
        return Running(**json.loads(state_file().read_text()))
    except (OSError, ValueError, TypeError):
        return None


def _ours(pid: int, directory: str) -> bool:
    """The PID runs (not a zombie) a command that names our runtime folder."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z" and directory in cmdline


def _stop(pid: int, directory: str, grace: float = 20.0, how: int = signal.SIGTERM) -> str:
    if not _ours(pid, directory):
        return "not running"
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, how)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # our own child: reap it, or it stays a zombie
        if not _ours(pid, directory):
            return "stopped"
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)
    return "killed"


def down(say: Callable[[str], None] = print) -> None:
    """Stop what `running.json` names, Horreum first, and remove its runtime folder."""
    running = _load()
    if running is None:
        return
    for name in ("horreum", "artemis", "postgres"):
        pid = running.pids.get(name)
        # PostgreSQL: SIGINT, its fast shutdown; SIGTERM would wait for every client to leave.
        how = signal.SIGINT if name == "postgres" else signal.SIGTERM
        if pid:
            say(f"{name} (pid {pid}): {_stop(pid, running.dir, how=how)}")
    shutil.rmtree(running.dir, ignore_errors=True)
    state_file().unlink(missing_ok=True)


def _start(
    running: Running, name: str, command: list[str], *, user: str | None = None, cwd: Path
) -> subprocess.Popen[bytes]:
    log = Path(running.dir) / "logs" / f"{name}.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, user=user,
        )  # fmt: skip
    running.pids[name] = process.pid
    _save(running)
    return process


def _wait(what: str, ready: Callable[[], bool], process: subprocess.Popen[bytes], log: Path,
          timeout: float, exited: type[StackError] = StackError) -> None:  # fmt: skip
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise exited(f"{what} exited with {process.returncode}:\n{_tail(log)}")
        if ready():
            return
        time.sleep(0.3)
    raise StackError(f"{what} was not ready within {timeout:.0f} s:\n{_tail(log)}")


def _run_as(user: str | None, command: list[str], what: str, **kwargs: object) -> None:
    result = subprocess.run(command, user=user, capture_output=True, text=True, check=False,
                            **kwargs)  # type: ignore[call-overload]  # fmt: skip
    output = result.stdout + result.stderr
    if result.returncode != 0 or "ERROR:" in output:  # single-user mode exits 0 on SQL errors
        raise StackError(f"{what} failed: {output[-2000:]}")


def start_postgres(running: Running, built: Built, password: str) -> None:
    """A fresh cluster, superuser `dbadmin`, database `horreum`, role `appuser` (as Horreum's
    own dev services set it up). zonky's binaries have no psql: the database and role are made
    in single-user mode before the server starts."""
    root = Path(running.dir)
    user = "nobody" if os.geteuid() == 0 else None
    pg = root / "pg"
    shutil.copytree(built.postgres, pg / "dist", symlinks=True)
    data = pg / "data"
    data.mkdir(parents=True)
    if user is not None:
        entry = pwd.getpwnam(user)
        for path in (pg, data):
            os.chown(path, entry.pw_uid, entry.pw_gid)
        os.chown(root / "logs", entry.pw_uid, entry.pw_gid)
    bin_dir = pg / "dist" / "bin"
    _run_as(user, [str(bin_dir / "initdb"), "-D", str(data), "-U", "dbadmin", "-A", "trust",
                   "-E", "UTF8", "--no-sync"], "initdb", cwd=pg)  # fmt: skip
    # -j: a statement ends at a semicolon followed by an empty line.
    for sql in ("CREATE DATABASE horreum;\n\n",
                f"CREATE ROLE appuser noinherit login password '{password}';\n\n"):  # fmt: skip
        _run_as(user, [str(bin_dir / "postgres"), "--single", "-D", str(data), "-j", "postgres"],
                "creating Horreum's database", input=sql, cwd=pg)  # fmt: skip
    port = running.ports["postgres"]
    process = _start(
        running, "postgres",
        [str(bin_dir / "postgres"), "-D", str(data), "-p", str(port), "-k", str(pg),
         "-c", "listen_addresses=127.0.0.1", "-c", "max_prepared_transactions=100",
         "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
        user=user, cwd=pg,
    )  # fmt: skip
    _wait("PostgreSQL", lambda: port_open(port), process, root / "logs" / "postgres.log", 60)


def start_artemis(running: Running, built: Built, password: str) -> None:
    """A broker instance with one login; its default acceptor speaks AMQP on a free port."""
    root = Path(running.dir)
    instance = root / "artemis"
    port = running.ports["artemis"]
    _run_as(None, [str(built.artemis / "bin" / "artemis"), "create", str(instance),
                   "--user", BROKER_USER, "--password", password, "--require-login",
                   "--host", "127.0.0.1", "--default-port", str(port), "--no-web",
                   "--no-amqp-acceptor", "--no-stomp-acceptor", "--no-hornetq-acceptor",
                   "--no-mqtt-acceptor", "--no-fsync", "--silent"],
            "creating the Artemis instance", cwd=root)  # fmt: skip
    process = _start(running, "artemis", [str(instance / "bin" / "artemis"), "run"], cwd=instance)
    _wait("Artemis", lambda: port_open(port), process, root / "logs" / "artemis.log", 90)


def horreum_command(running: Running, built: Built, db_password: str, broker_password: str,
                    ) -> list[str]:  # fmt: skip
    pg = f"jdbc:postgresql://127.0.0.1:{running.ports['postgres']}/horreum"
    props = {
        "perfbot.harness": running.dir,  # names the folder in the command line, for down()
        "quarkus.http.host": "127.0.0.1",
        "quarkus.http.port": running.ports["horreum"],
        "horreum.url": running.url,
        "horreum.internal.url": running.url,
        "horreum.roles.provider": "database",
        "quarkus.oidc.tenant-enabled": "false",
        "horreum.bootstrap.password": running.admin_password,
        "quarkus.datasource.jdbc.url": pg,
        "quarkus.datasource.username": "appuser",
        "quarkus.datasource.password": db_password,
        "quarkus.datasource.jdbc.additional-jdbc-properties.ssl": "false",
        "quarkus.datasource.jdbc.additional-jdbc-properties.sslmode": "disable",
        "quarkus.datasource.migration.jdbc.url": pg,
        "quarkus.datasource.migration.username": "dbadmin",
        "quarkus.datasource.migration.password": db_password,
        "quarkus.datasource.migration.jdbc.additional-jdbc-properties.sslmode": "disable",
        "amqp-host": "127.0.0.1",
        "amqp-port": running.ports["artemis"],
        "amqp-username": BROKER_USER,
        "amqp-password": broker_password,
    }
    return ["java", HORREUM_HEAP, *(f"-D{k}={v}" for k, v in props.items()),
            "-jar", str(built.app / "quarkus-run.jar")]  # fmt: skip


def start_horreum(running: Running, built: Built, db_password: str, broker_password: str) -> None:
    root = Path(running.dir)
    command = horreum_command(running, built, db_password, broker_password)
    process = _start(running, "horreum", command, cwd=root)

    def ready() -> bool:
        try:
            return requests.get(f"{running.url}/api/config/version", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    _wait("Horreum", ready, process, root / "logs" / "horreum.log", START_TIMEOUT, HorreumExited)


def provision(running: Running) -> None:
    """Team `perf-team`, user `perfbot` with its roles, and that user's API key."""
    session = requests.Session()
    session.auth = running.admin
    user_password = secrets.token_hex(12)

    def call(method: str, path: str, **kwargs: object) -> requests.Response:
        response = session.request(method, running.url + path, timeout=30, **kwargs)  # type: ignore[arg-type]
        if response.status_code >= 400:
            raise StackError(f"{method} {path}: {response.status_code} {response.text[:300]}")
        return response

    call("POST", f"/api/user/team/{TEAM}")
    call("POST", "/api/user/createUser", json={
        "user": {"username": USER, "email": f"{USER}@localhost", "firstName": "perf",
                 "lastName": "bot"},
        "password": user_password, "team": TEAM,
        "roles": ["uploader", "tester", "viewer"],
    })  # fmt: skip
    mine = requests.Session()
    mine.auth = (USER, user_password)
    answer = mine.post(f"{running.url}/api/user/apikey", json={"name": "perfbot", "type": "USER"},
                       timeout=30)  # fmt: skip
    if answer.status_code >= 400:
        raise StackError(f"creating the API key: {answer.status_code} {answer.text[:300]}")
    running.api_key = answer.text.strip().strip('"')
    _save(running)


def up(built: Built, say: Callable[[str], None] = print, attempts: int = START_ATTEMPTS) -> Running:
    """Everything started and provisioned; on any failure, everything stopped again.

    Seen here: Horreum's first start on a new database sometimes fails in its own bootstrap
    (creating the admin: a NullPointerException, "previousRoles" is null, or "new row violates
    row-level security policy for table userinfo_roles"), in about half the new starts; a
    start against the database such a failure left fails the same way. So a Horreum that
    exits during start-up is tried again from a new database, up to `attempts` times; a hang
    is not."""
    for attempt in range(1, attempts + 1):
        try:
            running = _up_once(built, say)
        except HorreumExited as exc:
            if attempt == attempts:
                raise
            say(f"Horreum exited during start-up (try {attempt} of {attempts}): trying again")
            say(str(exc).splitlines()[-1][:200])
            continue
        running.tries = attempt
        _save(running)
        return running
    raise AssertionError("unreachable")


def _up_once(built: Built, say: Callable[[str], None]) -> Running:
    down(say)  # whatever an interrupted session left behind
    directory = tempfile.mkdtemp(prefix="perfbot-horreum-")
    os.chmod(directory, 0o755)  # noqa: S103 - PostgreSQL's user (nobody, as root) must enter it
    (Path(directory) / "logs").mkdir()
    ports = {name: free_port() for name in ("postgres", "artemis", "horreum")}
    running = Running(
        dir=directory, url=f"http://127.0.0.1:{ports['horreum']}",
        admin_password=secrets.token_hex(12), ports=ports, commit=built.commit,
    )  # fmt: skip
    _save(running)
    db_password, broker_password = secrets.token_hex(12), secrets.token_hex(12)
    started = time.monotonic()
    try:
        start_postgres(running, built, db_password)
        start_artemis(running, built, broker_password)
        start_horreum(running, built, db_password, broker_password)
        provision(running)
    except BaseException:
        say("bring-up failed: stopping what started")
        keep = Path(directory) / "logs"
        if keep.is_dir():
            shutil.copytree(keep, home() / "last-failed-logs", dirs_exist_ok=True)
        down(say)
        raise
    say(f"Horreum up at {running.url} in {time.monotonic() - started:.0f} s")
    return running


def current() -> Running | None:
    return _load()
