"""What one webhook delivery carries and needs, whatever it triggers.

Its payload checked for shape (`events` for comments, `trigger_events` for labels and pushes),
whether a command is fresh enough to run (`freshness`), the GitHub reads it starts early and
shares (`reads`), and the `CommandContext` a command handler is given (`context`).
"""
