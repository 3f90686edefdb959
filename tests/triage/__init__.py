"""Tests for the triage domain."""
