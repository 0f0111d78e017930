"""The HTTP service: a FastAPI app (``app``), generation jobs on a procrastinate queue in the
litmash database (``queue``, ``runner``), API keys (``auth``) and metrics (``metrics``).

Start it with ``litmash serve`` and ``litmash worker``; see the README's "HTTP service".
"""
