"""The semantic tier: sentence embeddings and a small head, run after publishing."""
