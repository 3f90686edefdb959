"""Sanctions."""
