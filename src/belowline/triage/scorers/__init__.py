"""Triage scorers: each returns a score in [0, 1] and reasons a moderator can read."""
