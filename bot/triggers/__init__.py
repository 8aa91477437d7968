"""`POST /webhook`: from a signed delivery to the handler of its event.

`webhook` verifies the signature over the raw body and routes by event: `issue_comment` (a
comment's command, handled by `bot.commands`), `labels` (a labelled pull request's pushes) and
`pushes` (the default branch's). Each answers once what it decided is durable; the rest is a
follow-up (`bot.shared.followups`).
"""
