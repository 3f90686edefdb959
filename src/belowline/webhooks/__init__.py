"""Signed webhooks: the newsroom's other systems hear what happened, through the outbox."""
