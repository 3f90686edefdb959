"""Site administration: a site's settings (SSO, origins, windows, triage) without SQL."""
