"""One way for every subcommand to refuse bad input: a single line on stderr, exit 2.

It sits at the bottom of `workflows`, beside the config, not in `workflows.cli`: the layers that
raise it (the local runner, the history's store opening, the bot's `perfbot serve`) are below
the CLI or beside it, and a lower layer never imports a higher one (tests/test_layers.py).
"""

from __future__ import annotations

import click

EXIT_OK = 0
EXIT_FAILED_CHECK = 1
EXIT_BAD_INPUT = 2
# `perfbot compare` and `perfbot run --local` with --fail-on-regression when nothing regressed
# but a benchmark could not be judged: neither a pass (0) nor a regression (1), as the check
# run's `neutral` is neither (3 is taken: `perfbot run --local`'s failed pipeline).
EXIT_INCONCLUSIVE = 4


class BadInput(click.ClickException):
    """Raised for input the user can fix; click prints `Error: <message>` and exits 2."""

    exit_code = EXIT_BAD_INPUT
