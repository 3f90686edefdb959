"""A worker's import footprint: what posting and reading never use is not loaded at start."""

from __future__ import annotations

from tests.fresh_process import loaded_after


def test_a_new_worker_loads_no_http_client_password_hasher_or_numpy() -> None:
    unused = {"httpx", "argon2", "numpy", "joblib", "sklearn"}
    assert set(loaded_after("create_app")) & unused == set()
