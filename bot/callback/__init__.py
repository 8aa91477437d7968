"""`POST /callback`: a workflow's signed result, from its signature to the follow-ups.

`view` checks the signature, the repository and the run (`bot.results.run_binding`), writes the
sticky comment and completes the check run (`bot.results.report`) before it answers; `followups`
then records the run in the history and uploads it to Horreum, in that order, never dropped.
"""
