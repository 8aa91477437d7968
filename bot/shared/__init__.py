"""What every part of one app shares, whatever its concern: settings, services, time, pools.

The settings read from the environment once, the `Services` a view finds on its app (clients,
metrics, pools), the deadline every outbound call of a piece of work honours, the pool of
follow-ups done after GitHub has its answer, the throttle of `/perf-bot status`, and the two
guards on every request and response (a body read whole or refused, the security headers).
Nothing here knows a trigger, a run or a result.
"""
