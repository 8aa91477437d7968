"""A stand-in for GitHub's REST API, served over real HTTP on 127.0.0.1 from a thread.

The bot's GitHub access goes through PyGithub; to test that code path for real, PyGithub
needs a server that answers the shapes it parses, under a path prefix like GitHub
Enterprise's `/api/v3`, with URLs in its answers that point back at this server (PyGithub
refuses to follow URLs to another host). Only what the bot uses is served:

- repositories: collaborator permission, pull requests, commits by ref, tags, latest release;
- issue comments: list, create, edit, reactions; issue events (who added a label);
- check runs: create, edit, list for a commit;
- authentication: a static token (`GITHUB_TOKEN` style), and a GitHub App whose JWTs are
  verified with the App's public key and which hands out installation tokens, each valid only
  for its own installation's repositories.

Every request is recorded (method, path below `/api/v3`, query, JSON body) so tests can check
exactly what the bot asked for. `latency`, `fail_next` (any status, with headers such as a
rate limit's) and `hang_next` are there to simulate a slow, failing or stuck GitHub.

Run alone, for a benchmark in another process: `python -m tests.standins.github_server
--seed state.json [--latency 0.05] [--app-id N --app-public-key key.pem]` prints its API URL;
`state.json` maps repository names to `StandInRepo` fields.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from flask import Flask, Response, jsonify, request
from werkzeug.serving import WSGIRequestHandler, make_server

API_PREFIX = "/api/v3"
DEFAULT_TOKEN = "gh-test-token"
DEFAULT_USER = "perfbot-user"  # whose token DEFAULT_TOKEN is
LEGACY_PERMISSION = {  # GitHub's `permission` field predates the maintain and triage roles
    "admin": "admin",
    "maintain": "write",
    "write": "write",
    "triage": "read",
    "read": "read",
    "none": "none",
}


@dataclass(frozen=True)
class _Fault:
    status: int | None  # None: answer normally, after `delay`
    path: str | None  # only requests whose path contains this
    delay: float = 0.0
    message: str = "injected failure"
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str  # below /api/v3, without the query string
    query: dict[str, str]
    json: Any


@dataclass
class StandInRepo:
    """One repository's state; tests seed it and read what the bot changed."""

    full_name: str
    installation_id: int = 1
    branches: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    releases: list[str] = field(default_factory=list)  # tag names, oldest first
    roles: dict[str, str] = field(default_factory=dict)  # login -> admin/maintain/write/...
    pulls: dict[int, dict[str, str]] = field(default_factory=dict)
    comments: dict[int, dict[str, Any]] = field(default_factory=dict)
    check_runs: dict[int, dict[str, Any]] = field(default_factory=dict)
    reactions: list[tuple[int, str, str]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)  # issue events, oldest first

    def add_pull(
        self,
        number: int,
        *,
        head_sha: str,
        base_ref: str,
        head_ref: str = "feature",
        head_repo: str | None = None,  # a fork's full name; default: this repository
        pushed_at: str | None = None,  # the head repository's last push (GitHub's clock)
    ):
        self.pulls[number] = {
            "head_sha": head_sha,
            "head_ref": head_ref,
            "base_ref": base_ref,
            "head_repo": head_repo or self.full_name,
            "pushed_at": pushed_at or "2019-05-15T15:20:30Z",
        }

    def add_label_event(self, issue: int, label: str, *, actor: str, event: str = "labeled"):
        """GitHub records `labeled` and `unlabeled` events with the actor and the label."""
        self.events.append({"issue": issue, "event": event, "label": label, "actor": actor})

    def add_comment(
        self, issue: int, body: str, *, login: str, comment_id: int, user_type: str = "User"
    ) -> int:
        self.comments[comment_id] = {
            "issue": issue,
            "body": body,
            "login": login,
            "type": user_type,
        }
        return comment_id

    def issue_comments(self, issue: int) -> list[dict[str, Any]]:
        return [c for c in self.comments.values() if c["issue"] == issue]

    def resolve(self, ref: str) -> str | None:
        known_shas = {*self.branches.values(), *self.tags.values()}
        known_shas |= {p["head_sha"] for p in self.pulls.values()}
        if ref in known_shas:
            return ref
        return self.branches.get(ref) or self.tags.get(ref)


class _QuietHandler(WSGIRequestHandler):
    protocol_version = "HTTP/1.1"  # keeps connections open between requests, as GitHub does

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


class GitHubStandIn:
    """Context manager: `with GitHubStandIn(...) as gh: gh.api_url ...`."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        user_login: str = DEFAULT_USER,
        app_id: int | None = None,
        app_public_key: str | None = None,
        app_slug: str = "perfbot-test",
        latency: float = 0.0,
    ) -> None:
        self.token = token
        self.user_login = user_login
        self.app_id = app_id
        self.app_public_key = app_public_key
        self.app_slug = app_slug
        self.latency = latency
        self.repos: dict[str, StandInRepo] = {}
        self.requests: list[Recorded] = []
        self.installation_tokens: dict[str, int] = {}
        self._faults: list[_Fault] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1000)
        self._server = make_server(
            "127.0.0.1", 0, self._build_app(), threaded=True, request_handler=_QuietHandler
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # -- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> GitHubStandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def api_url(self) -> str:
        return self.url + API_PREFIX

    # -- seeding and inspection ------------------------------------------------------------

    def repo(self, full_name: str, **kwargs: Any) -> StandInRepo:
        with self._lock:
            if full_name not in self.repos:
                self.repos[full_name] = StandInRepo(full_name, **kwargs)
            return self.repos[full_name]

    def fail_next(
        self,
        status: int,
        count: int = 1,
        *,
        path: str | None = None,
        message: str = "injected failure",
        headers: dict[str, str] | None = None,
    ) -> None:
        """The next `count` requests (whose path contains `path`, if given) get `status`,
        with `headers` (a rate limit's, say), after being recorded."""
        fault = _Fault(status, path, message=message, headers=tuple((headers or {}).items()))
        with self._lock:
            self._faults.extend([fault] * count)

    def hang_next(self, seconds: float, count: int = 1, *, path: str | None = None) -> None:
        """The next `count` requests (whose path contains `path`) answer after `seconds`."""
        with self._lock:
            self._faults.extend([_Fault(None, path, delay=seconds)] * count)

    def calls(self, method: str | None = None, path: str | None = None) -> list[Recorded]:
        with self._lock:
            return [
                r
                for r in self.requests
                if (method is None or r.method == method) and (path is None or r.path == path)
            ]

    def writes(self) -> list[Recorded]:
        """Requests that change a repository (not App token minting): what the bot did."""
        with self._lock:
            return [r for r in self.requests if r.method != "GET" and r.path.startswith("/repos/")]

    # -- the HTTP application --------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        """Counts a benchmark in another process reads (`GET /_standin/summary`)."""
        with self._lock:
            return {
                "requests": len(self.requests),
                "writes": sum(
                    1 for r in self.requests if r.method != "GET" and r.path.startswith("/repos/")
                ),
                "repos": {
                    name: {
                        "comments_by_bot": sum(
                            1 for c in repo.comments.values() if c["type"] == "Bot"
                        ),
                        "commented_issues": sorted(
                            {c["issue"] for c in repo.comments.values() if c["type"] == "Bot"}
                        ),
                        "check_runs": len(repo.check_runs),
                        "reactions": len(repo.reactions),
                    }
                    for name, repo in self.repos.items()
                },
            }

    def _build_app(self) -> Flask:
        app = Flask("github-standin")
        app.add_url_rule("/_standin/summary", "summary", lambda: jsonify(self.summary()))
        rules: list[tuple[str, str, Any]] = [
            ("GET", "/user", self._get_user),
            ("GET", "/app", self._get_app),
            ("POST", "/app/installations/<int:iid>/access_tokens", self._create_token),
            ("GET", "/repos/<owner>/<name>/installation", self._get_installation),
            ("GET", "/repos/<owner>/<name>/collaborators/<login>/permission", self._permission),
            ("GET", "/repos/<owner>/<name>/pulls/<int:number>", self._get_pull),
            ("GET", "/repos/<owner>/<name>/commits/<path:ref>/check-runs", self._list_checks),
            ("GET", "/repos/<owner>/<name>/commits/<path:ref>", self._get_commit),
            ("GET", "/repos/<owner>/<name>/releases/latest", self._latest_release),
            ("GET", "/repos/<owner>/<name>/tags", self._list_tags),
            ("GET", "/repos/<owner>/<name>/issues/<int:number>/comments", self._list_comments),
            ("POST", "/repos/<owner>/<name>/issues/<int:number>/comments", self._create_comment),
            ("GET", "/repos/<owner>/<name>/issues/<int:number>/events", self._list_events),
            ("GET", "/repos/<owner>/<name>/issues/<int:number>", self._get_issue),
            ("GET", "/repos/<owner>/<name>/issues/comments/<int:cid>", self._get_comment),
            ("PATCH", "/repos/<owner>/<name>/issues/comments/<int:cid>", self._edit_comment),
            ("POST", "/repos/<owner>/<name>/issues/comments/<int:cid>/reactions", self._react),
            ("POST", "/repos/<owner>/<name>/check-runs", self._create_check),
            ("GET", "/repos/<owner>/<name>/check-runs/<int:check_id>", self._get_check),
            ("PATCH", "/repos/<owner>/<name>/check-runs/<int:check_id>", self._edit_check),
        ]
        for method, rule, view in rules:
            app.add_url_rule(
                API_PREFIX + rule,
                endpoint=f"{method} {rule}",
                view_func=self._wrap(view),
                methods=[method],
            )
        return app

    def _wrap(self, view: Any) -> Any:
        def handle(**kwargs: Any) -> Any:
            path = request.path.removeprefix(API_PREFIX)
            body = request.get_json(silent=True) if request.data else None
            with self._lock:
                self.requests.append(Recorded(request.method, path, dict(request.args), body))
                fault = self._take_fault(path)
            delay = self.latency + (fault.delay if fault else 0.0)
            if delay:
                time.sleep(delay)
            if fault is not None and fault.status is not None:
                response, status = _error(fault.status, fault.message)
                response.headers.update(dict(fault.headers))
                return response, status
            denied = self._authorize(path, kwargs)
            if denied is not None:
                return denied
            with self._lock:
                return view(**kwargs)

        return handle

    def _take_fault(self, path: str) -> _Fault | None:
        for index, fault in enumerate(self._faults):
            if fault.path is None or fault.path in path:
                return self._faults.pop(index)
        return None

    def _authorize(self, path: str, kwargs: dict[str, Any]) -> Response | None:
        scheme, _, credential = request.headers.get("Authorization", "").partition(" ")
        if path.startswith("/app") or path.endswith("/installation"):  # the App's own JWT
            return None if self._valid_jwt(scheme, credential) else _error(401, "Bad credentials")
        if scheme.lower() not in ("token", "bearer"):
            return _error(401, "Requires authentication")
        if credential == self.token:
            return None
        installation = self.installation_tokens.get(credential)
        if installation is None:
            return _error(401, "Bad credentials")
        repo = self.repos.get(f"{kwargs.get('owner')}/{kwargs.get('name')}")
        if repo is not None and repo.installation_id != installation:
            return _error(403, "Resource not accessible by integration")
        return None

    def _valid_jwt(self, scheme: str, credential: str) -> bool:
        if scheme != "Bearer" or not self.app_public_key:
            return False
        try:
            claims = jwt.decode(credential, self.app_public_key, algorithms=["RS256"])
        except jwt.PyJWTError:
            return False
        return str(claims.get("iss")) == str(self.app_id)

    # -- JSON shapes -----------------------------------------------------------------------

    def _repo_or_404(self, owner: str, name: str) -> StandInRepo | None:
        return self.repos.get(f"{owner}/{name}")

    def _user(self, login: str, user_type: str = "User") -> dict[str, Any]:
        return {
            "login": login,
            "id": abs(hash(login)) % 10**8,
            "type": user_type,
            "url": f"{self.api_url}/users/{login}",
            "html_url": f"{self.url}/{login}",
        }

    def _comment_json(self, repo: StandInRepo, cid: int) -> dict[str, Any]:
        c = repo.comments[cid]
        base = f"{self.api_url}/repos/{repo.full_name}"
        return {
            "id": cid,
            "url": f"{base}/issues/comments/{cid}",
            "html_url": f"{self.url}/{repo.full_name}/pull/{c['issue']}#issuecomment-{cid}",
            "issue_url": f"{base}/issues/{c['issue']}",
            "body": c["body"],
            "user": self._user(c["login"], c["type"]),
            "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-01T00:00:00Z",
        }

    def _check_json(self, repo: StandInRepo, check_id: int) -> dict[str, Any]:
        run = repo.check_runs[check_id]
        return {
            "id": check_id,
            "url": f"{self.api_url}/repos/{repo.full_name}/check-runs/{check_id}",
            "html_url": f"{self.url}/{repo.full_name}/runs/{check_id}",
            **run,
        }

    def _commit_json(self, repo: StandInRepo, sha: str) -> dict[str, Any]:
        return {
            "sha": sha,
            "url": f"{self.api_url}/repos/{repo.full_name}/commits/{sha}",
            "html_url": f"{self.url}/{repo.full_name}/commit/{sha}",
        }

    def _page(self, items: list[Any]) -> Response:
        """GitHub's pagination: `page`/`per_page` in, a `Link` header out with `next` and
        `last` (not on the last page) and `prev` and `first` (not on the first), as GitHub's
        REST API documents ("Using pagination in the REST API")."""
        page = max(int(request.args.get("page", 1)), 1)
        per_page = min(max(int(request.args.get("per_page", 30)), 1), 100)
        response = jsonify(items[(page - 1) * per_page : page * per_page])
        last = max(-(-len(items) // per_page), 1)

        def link(number: int, rel: str) -> str:
            args = {**request.args, "page": str(number), "per_page": str(per_page)}
            query = "&".join(f"{k}={v}" for k, v in args.items())
            return f'<{self.url}{request.path}?{query}>; rel="{rel}"'

        links = []
        if page > 1:
            links += [link(page - 1, "prev"), link(1, "first")]
        if page < last:
            links += [link(page + 1, "next"), link(last, "last")]
        if links:
            response.headers["Link"] = ", ".join(links)
        return response

    # -- views -----------------------------------------------------------------------------

    def _get_user(self) -> Any:
        return jsonify(self._user(self.user_login))

    def _get_app(self) -> Any:
        return jsonify({"id": self.app_id, "slug": self.app_slug, "name": self.app_slug})

    def _create_token(self, iid: int) -> Any:
        token = "ghs_" + secrets.token_hex(16)
        self.installation_tokens[token] = iid
        expires = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        return jsonify({"token": token, "expires_at": expires, "permissions": {}}), 201

    def _get_installation(self, owner: str, name: str) -> Any:
        repo = self._repo_or_404(owner, name)
        if repo is None:
            return _error(404, "Not Found")
        return jsonify({"id": repo.installation_id, "app_id": self.app_id})

    def _permission(self, owner: str, name: str, login: str) -> Any:
        repo = self._repo_or_404(owner, name)
        if repo is None:
            return _error(404, "Not Found")
        role = repo.roles.get(login, "read")
        return jsonify(
            {"permission": LEGACY_PERMISSION[role], "role_name": role, "user": self._user(login)}
        )

    def _get_pull(self, owner: str, name: str, number: int) -> Any:
        repo = self._repo_or_404(owner, name)
        if repo is None or number not in repo.pulls:
            return _error(404, "Not Found")
        pull = repo.pulls[number]
        base_sha = repo.branches.get(pull["base_ref"], "0" * 40)
        head_repo = pull.get("head_repo", repo.full_name)
        return jsonify(
            {
                "number": number,
                "url": f"{self.api_url}/repos/{repo.full_name}/pulls/{number}",
                "html_url": f"{self.url}/{repo.full_name}/pull/{number}",
                "state": "open",
                "head": {
                    "sha": pull["head_sha"],
                    "ref": pull["head_ref"],
                    "repo": {**self._repo_json(head_repo), "pushed_at": pull["pushed_at"]},
                },
                "base": {
                    "sha": base_sha,
                    "ref": pull["base_ref"],
                    "repo": self._repo_json(repo.full_name),
                },
            }
        )

    def _repo_json(self, full_name: str) -> dict[str, Any]:
        owner = full_name.split("/", 1)[0]
        return {
            "full_name": full_name,
            "name": full_name.split("/", 1)[-1],
            "owner": self._user(owner),
            "url": f"{self.api_url}/repos/{full_name}",
            "html_url": f"{self.url}/{full_name}",
        }

    def _get_issue(self, owner: str, name: str, number: int) -> Any:
        repo = self._repo_or_404(owner, name)
        if repo is None:
            return _error(404, "Not Found")
        return jsonify(
            {
                "number": number,
                "url": f"{self.api_url}/repos/{repo.full_name}/issues/{number}",
                "html_url": f"{self.url}/{repo.full_name}/pull/{number}",
                "state": "open",
            }
        )

    def _list_events(self, owner: str, name: str, number: int) -> Any:
        repo = self._repo_or_404(owner, name)
        if repo is None:
            return _error(404, "Not Found")
        items = [
            {
                "id": index + 1,
                "url": f"{self.api_url}/repos/{repo.full_name}/issues/events/{index + 1}",
                "event": event["event"],
                "actor": self._user(event["actor"]),
                "label": {"name": event["label"], "color": "ededed"},
                "created_at": "2024-01-01T00:00:00Z",
            }
            for index, event in enumerate(repo.events)
            if event["issue"] == number
        ]
        return self._page(items)

    def _get_commit(self, owner: str, name: str, ref: str) -> Any:
        repo = self._repo_or_404(owner, name)
        if repo is None:
            return _error(404, "Not Found")
        sha = repo.resolve(ref)
        if sha is None:
            return _error(422, f"No commit found for SHA: {ref}")
        return jsonify(self._commit_json(repo, sha))

    def _latest_release(self, owner: str, name: str) -> Any:
        repo = self._repo_or_404(owner, name)
        if repo is None or not repo.releases:
            return _error(404, "Not Found")
        tag = repo.releases[-1]
        return jsonify(
            {
                "id": len(repo.releases),
                "url": f"{self.api_url}/repos/{repo.full_name}/releases/{len(repo.releases)}",
                "html_url": f"{self.url}/{repo.full_name}/releases/tag/{tag}",
                "tag_name": tag,
                "name": tag,
                "draft": False,
                "prerelease": False,
            }
        )

    def _list_tags(self, owner: str, name: str) -> Any:
        repo = self._repo_or_404(owner, name)
        if repo is None:
            return _error(404, "Not Found")
        items = [
            {"name": tag, "commit": self._commit_json(repo, sha)} for tag, sha in repo.tags.items()
        ]
        return self._page(items)

    def _list_comments(self, owner: str, name: str, number: int) -> Any:
        repo = self._repo_or_404(owner, name)
        if repo is None:
            return _error(404, "Not Found")
        ids = sorted(cid for cid, c in repo.comments.items() if c["issue"] == number)
        return self._page([self._comment_json(repo, cid) for cid in ids])

    def _create_comment(self, owner: str, name: str, number: int) -> Any:
        repo = self._repo_or_404(owner, name)
        body = (request.get_json(silent=True) or {}).get("body")
        if repo is None:
            return _error(404, "Not Found")
        if not isinstance(body, str) or not body:
            return _error(422, "body is required")
        cid = repo.add_comment(
            number,
            body,
            login=self._caller_login(),
            comment_id=next(self._ids),
            user_type=self._caller_type(),
        )
        return jsonify(self._comment_json(repo, cid)), 201

    def _get_comment(self, owner: str, name: str, cid: int) -> Any:
        repo = self._repo_or_404(owner, name)
        if repo is None or cid not in repo.comments:
            return _error(404, "Not Found")
        return jsonify(self._comment_json(repo, cid))

    def _edit_comment(self, owner: str, name: str, cid: int) -> Any:
        repo = self._repo_or_404(owner, name)
        body = (request.get_json(silent=True) or {}).get("body")
        if repo is None or cid not in repo.comments:
            return _error(404, "Not Found")
        if repo.comments[cid]["login"] != self._caller_login():
            return _error(403, "Must have admin rights to Repository.")
        repo.comments[cid]["body"] = body
        return jsonify(self._comment_json(repo, cid))

    def _react(self, owner: str, name: str, cid: int) -> Any:
        repo = self._repo_or_404(owner, name)
        content = (request.get_json(silent=True) or {}).get("content")
        if repo is None or cid not in repo.comments:
            return _error(404, "Not Found")
        if content not in ("+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"):
            return _error(422, "Validation Failed")
        login = self._caller_login()
        existing = (cid, content, login) in repo.reactions
        if not existing:
            repo.reactions.append((cid, content, login))
        payload = {"id": cid, "content": content, "user": self._user(login)}
        return jsonify(payload), 200 if existing else 201

    def _create_check(self, owner: str, name: str) -> Any:
        repo = self._repo_or_404(owner, name)
        data = request.get_json(silent=True) or {}
        if repo is None:
            return _error(404, "Not Found")
        if not self._is_app_installation():
            return _error(403, "You must authenticate via a GitHub App.")
        if not data.get("name") or not data.get("head_sha"):
            return _error(422, "Validation Failed")
        check_id = next(self._ids)
        repo.check_runs[check_id] = {
            "name": data["name"],
            "head_sha": data["head_sha"],
            "status": data.get("status", "queued"),
            "conclusion": data.get("conclusion"),
            "external_id": data.get("external_id", ""),
            "details_url": data.get("details_url"),
            "output": data.get("output", {}),
        }
        return jsonify(self._check_json(repo, check_id)), 201

    def _get_check(self, owner: str, name: str, check_id: int) -> Any:
        repo = self._repo_or_404(owner, name)
        if repo is None or check_id not in repo.check_runs:
            return _error(404, "Not Found")
        return jsonify(self._check_json(repo, check_id))

    def _edit_check(self, owner: str, name: str, check_id: int) -> Any:
        repo = self._repo_or_404(owner, name)
        data = request.get_json(silent=True) or {}
        if repo is None or check_id not in repo.check_runs:
            return _error(404, "Not Found")
        run = repo.check_runs[check_id]
        for key in ("status", "conclusion", "details_url", "output", "external_id"):
            if key in data:
                run[key] = data[key]
        if data.get("conclusion"):
            run["status"] = "completed"
        return jsonify(self._check_json(repo, check_id))

    def _list_checks(self, owner: str, name: str, ref: str) -> Any:
        repo = self._repo_or_404(owner, name)
        if repo is None:
            return _error(404, "Not Found")
        wanted = request.args.get("check_name")
        ids = [
            i
            for i, run in repo.check_runs.items()
            if run["head_sha"] == ref and (wanted is None or run["name"] == wanted)
        ]
        runs = [self._check_json(repo, i) for i in ids]
        return jsonify({"total_count": len(runs), "check_runs": runs})

    # -- who is calling ----------------------------------------------------------------------

    def _is_app_installation(self) -> bool:
        credential = request.headers.get("Authorization", "").partition(" ")[2]
        return credential in self.installation_tokens

    def _caller_login(self) -> str:
        return f"{self.app_slug}[bot]" if self._is_app_installation() else self.user_login

    def _caller_type(self) -> str:
        return "Bot" if self._is_app_installation() else "User"


def _error(status: int, message: str) -> tuple[Response, int]:
    return jsonify(
        {"message": message, "documentation_url": "https://docs.github.com/rest"}
    ), status


def seeded(standin: GitHubStandIn, state: dict[str, dict[str, Any]]) -> GitHubStandIn:
    """Repositories from JSON: `{"owner/name": {"installation_id": 1, "branches": {...},
    "tags": {...}, "releases": [...], "roles": {...}, "pulls": {"1": {"head_sha": ...,
    "base_ref": ...}}, "comments": {"10": {"issue": 1, "body": ..., "login": ...}}}}`."""
    for full_name, fields in state.items():
        fields = dict(fields)
        repo = standin.repo(full_name, installation_id=int(fields.pop("installation_id", 1)))
        for number, pull in fields.pop("pulls", {}).items():
            repo.add_pull(int(number), **pull)
        for comment_id, comment in fields.pop("comments", {}).items():
            issue, body, login = int(comment["issue"]), comment["body"], comment["login"]
            repo.add_comment(issue, body, login=login, comment_id=int(comment_id))
        repo.releases.extend(fields.pop("releases", []))
        for name, mapping in fields.items():  # branches, tags, roles
            getattr(repo, name).update(mapping)
    return standin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=Path, required=True, help="JSON state (see `seeded`)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added per request")
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--app-id", type=int)
    parser.add_argument("--app-public-key", type=Path, help="PEM file of the App's public key")
    args = parser.parse_args()
    standin = GitHubStandIn(
        token=args.token,
        app_id=args.app_id,
        app_public_key=args.app_public_key.read_text() if args.app_public_key else None,
        latency=args.latency,
    )
    seeded(standin, json.loads(args.seed.read_text()))
    with standin:
        print(standin.api_url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
