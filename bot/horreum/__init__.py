"""Horreum, seen from the bot: the upload after a callback and Horreum's `change/new` actions.

`settings` reads where the API keys are, `upload` stores a run after its callback, `section`
is Horreum's part of the sticky comment, `change` reads an action's dataset back from Horreum
(the call itself is not trusted), `view` is `POST /horreum`. The Horreum client and
document are the CLI's too: `workflows.horreum`.
"""
