"""The process: the Flask app composed from every part, and the ways it is served.

`app` builds one app per settings (clients, pools, blueprints); `wsgi` and `gunicorn_conf` are
production (`gunicorn --config python:bot.server.gunicorn_conf bot.server.wsgi:app`), `cli` is
`perfbot serve`. This is the top of the bot: nothing imports it but the CLI's `serve`.
"""
