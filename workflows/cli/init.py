"""`perfbot init`: write a perfbot.yaml for the benchmarks a repository already has.

Exit codes: 0 written; 2 bad input (not a git repository, no benchmark found, a config already
there without --force, an unknown --kind or a bad --name), one line on stderr.
"""

from __future__ import annotations

import re
from pathlib import Path

import click

from workflows.errors import BadInput

CONFIG_NAME = "perfbot.yaml"
NOTHING = (
    "no benchmark found in the tracked files of {root}; perfbot init looks for {looked}. "
    "Write the job by hand: docs/config.md"
)
EXISTS = "{path} exists; pass --force to overwrite it"
WROTE = "wrote {path}: job {job} of {repo}, {evidence}"
NEXT = "next: perfbot run --local --repo {repo_dir} --base HEAD   (an A/A run: both sides HEAD)"
ALSO = "also found: {kinds} (perfbot init --kind KIND --force to use one instead)"


@click.command(name="init")
@click.option(
    "--repo",
    "repo_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The git repository to look at; perfbot.yaml is written at its root.",
)
@click.option("--kind", default=None, help="Use this kind when several are found.")
@click.option("--name", default=None, help="owner/name of the repository (default: from origin).")
@click.option("--force", is_flag=True, help="Overwrite an existing perfbot.yaml.")
def command(repo_dir: Path, kind: str | None, name: str | None, force: bool) -> None:
    """Detect the repository's benchmarks and write a perfbot.yaml with one job."""
    from workflows.config import REPO_RE
    from workflows.init.document import document, job_name, repository_name
    from workflows.init.files import NotARepository, Tree
    from workflows.init.kinds import DETECTORS, LOOKED_FOR, detect

    if kind is not None and kind not in dict(DETECTORS):
        raise BadInput(f"--kind {kind}: expected one of {', '.join(dict(DETECTORS))}")
    if name is not None and not REPO_RE.match(name):
        raise BadInput(f"--name {name}: expected owner/name")
    try:
        tree = Tree.of(repo_dir)
    except NotARepository as exc:
        raise BadInput(str(exc)) from None
    path = tree.root / CONFIG_NAME
    if path.exists() and not force:
        raise BadInput(EXISTS.format(path=path))
    found = detect(tree)
    chosen = [f for f in found if kind is None or f.kind == kind]
    if not chosen:
        what = f"a {kind} benchmark" if kind else LOOKED_FOR
        raise BadInput(NOTHING.format(root=tree.root, looked=what))
    first = chosen[0]
    repo = name or repository_name(tree.root)
    job = job_name(repo)
    path.write_text(document(first, repo, job), encoding="utf-8")
    click.echo(WROTE.format(path=path, job=job, repo=repo, evidence=first.evidence))
    for note in first.notes:
        click.echo(f"  note: {note}")
    others = [f.kind for f in found if f is not first]
    if others:
        click.echo(ALSO.format(kinds=", ".join(others)))
    shown = "." if repo_dir.resolve() == Path.cwd().resolve() else str(repo_dir)
    click.echo(re.sub(r" --repo \. ", " ", NEXT.format(repo_dir=shown)))
