"""Email: messages queued in the outbox with their cause, sent by the worker over SMTP."""
