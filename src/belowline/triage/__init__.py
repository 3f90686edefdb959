"""Triage domain."""
