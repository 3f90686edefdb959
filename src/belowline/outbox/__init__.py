"""Outbox: work that can wait (email, webhooks), written with the change, delivered after."""
