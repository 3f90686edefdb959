from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from belowline.settings import Settings
from tests.factories import TEST_SECRET
from tests.mail.smtp import SmtpServer


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def settings(tmp_path: Path, smtp: SmtpServer) -> Settings:
    """The app sends through the test server; the worker is driven by hand (run_once)."""
    return Settings(
        environment="test",
        data_dir=tmp_path,
        secret_key=TEST_SECRET,
        rate_limit_enabled=False,
        outbox_worker=False,
        periodic_jobs=False,
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        mail_from="The Gazette comments <comments@gazette.example>",
        public_url="http://testserver",
    )
