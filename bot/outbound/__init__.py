"""How calls leave the process: the GitHub client, the Argo session, their retries and proxies.

Every outbound call is bounded by the deadline of the work it serves (`bot.shared.deadline`)
and retried by one policy (`retry`); `github_client` is the only module that imports PyGithub.
"""
