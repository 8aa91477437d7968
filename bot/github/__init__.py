"""What the bot's handlers know of GitHub: the interface they call, the Markdown they write.

`api` is a Protocol, so handlers and tests never touch PyGithub (its one implementation is
`bot.outbound.github_client`); `markdown` makes every piece of text that came from a comment or a
pod inert before it is posted. This package imports nothing else of the bot: every layer above
may use it.
"""
