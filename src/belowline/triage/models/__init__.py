"""Trained models shipped with Belowline (built by ``scripts/train_abuse_model.py``)."""
