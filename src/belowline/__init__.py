"""Belowline: comments and post-moderation for news publishers."""
