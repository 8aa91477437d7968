"""How a run's result stands on the pull request: the sticky comment and the check run's end.

`run_binding` proves a callback belongs to a run the bot started, `report` turns the callback
into the comment and the check run, `sticky` keeps one comment per pull request and job and
never lets an older run's report replace a newer one. The HTTP side (`POST /callback`) is
`bot.callback`; Horreum's part of the comment is `bot.horreum.section`.
"""
