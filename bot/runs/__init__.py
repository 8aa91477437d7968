"""A run's life on the bot's side: asked for, submitted, queued, followed, estimated, stopped.

`arguments` and `refs` check what a command asks; `submission` starts the runs commands ask for
(and stops the ones they supersede), `triggered` the runs labels and pushes start; `status`
reads where a run is from Argo, `queue` who waits for a benchmark node, `estimate` how long a
run should take, `progress_line` says it in one line and `check_progress` puts that line on the
check run. Nothing here posts a result: that is `bot.results`.
"""
