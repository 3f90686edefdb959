"""Posting a comment: the steps the route and the pure-ASGI post path share (flow.py), and
that path itself (fastpath.py), which answers the common post without the framework."""
