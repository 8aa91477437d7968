"""`python -m tests.horreum_real build|up|down|status`: the real Horreum the e2e tests run on.

- `build`: Horreum from `../shared/horreum/server` (Maven), PostgreSQL 16 and Artemis (Maven
  Central), each cached (`<cache>/horreum`);
- `up`: build if needed, then start all three on loopback; prints the URL, the admin's login
  and the API key of user `perfbot` (team `perf-team`);
- `down`: ends each process by PID and removes the runtime folder;
- `status`: what is running.

`make horreum-e2e` runs the tests, which bring it up and down themselves.
"""

from __future__ import annotations

import argparse
import sys
import time

from tests.horreum_real import build, stack


def cmd_build(_: argparse.Namespace) -> None:
    started = time.monotonic()
    built = build.build_all()
    print(
        f"built in {time.monotonic() - started:.0f} s: Horreum {built.commit[:12]} at {built.app}"
    )


def cmd_up(_: argparse.Namespace) -> None:
    running = stack.up(build.build_all())
    print(f"HORREUM_URL={running.url}")
    print(f"HORREUM_ADMIN={stack.ADMIN}:{running.admin_password}")
    print(f"HORREUM_API_KEY={running.api_key}")


def cmd_down(_: argparse.Namespace) -> None:
    stack.down()


def cmd_status(_: argparse.Namespace) -> None:
    running = stack.current()
    if running is None:
        print("not running")
        return
    print(f"{running.url} (runtime folder {running.dir})")
    for name, pid in running.pids.items():
        state = "running" if stack._ours(pid, running.dir) else "exited"
        print(f"{name} (pid {pid}): {state}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.horreum_real")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, handler in (("build", cmd_build), ("up", cmd_up), ("down", cmd_down),
                          ("status", cmd_status)):  # fmt: skip
        commands.add_parser(name).set_defaults(handler=handler)
    args = parser.parse_args(argv)
    try:
        args.handler(args)
    except (build.BuildFailed, stack.StackError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
