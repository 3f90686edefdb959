"""Community rules: versioned text, rule ids decisions cite, and terms acceptance."""
