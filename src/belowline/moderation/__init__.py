"""Moderation domain."""
