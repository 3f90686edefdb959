"""Personal data: a person's export, erasure, and the retention schedule (UK GDPR / GDPR)."""
