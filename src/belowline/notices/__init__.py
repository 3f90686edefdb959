"""Notices from anyone (DSA Art. 16) and UK defamation notices of complaint."""
