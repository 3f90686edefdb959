"""scripts/audit.py: fail CI on a fixable known vulnerability, never on network trouble."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "scripts"))
from audit import judge

SCRIPT = Path(__file__).parent.parent / "scripts" / "audit.py"


def report(*deps: dict[str, object]) -> str:
    return json.dumps({"dependencies": list(deps), "fixes": []})


def test_a_fixable_vulnerability_fails() -> None:
    out = report(
        {"name": "jinja2", "version": "3.1.2", "vulns": [
            {"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"], "aliases": []}]},
        {"name": "orjson", "version": "3.10.0", "vulns": []},
    )  # fmt: skip
    verdict = judge(1, out, "")
    assert verdict.failed
    assert any("VULNERABLE jinja2 3.1.2" in line and "3.1.3" in line for line in verdict.lines)


def test_a_vulnerability_without_a_fix_warns_only() -> None:
    out = report({"name": "x", "version": "1", "vulns": [{"id": "PYSEC-1", "fix_versions": []}]})
    verdict = judge(1, out, "")
    assert not verdict.failed and any("no fix yet" in line for line in verdict.lines)


def test_nothing_audited_or_service_down_warns_and_passes() -> None:
    skipped = report({"name": "a", "skip_reason": "Dependency not found on PyPI"})
    assert not judge(0, skipped, "").failed
    trace = "requests.exceptions.ConnectionError: Max retries exceeded with url: /v1/query"
    down = judge(1, "", trace)
    assert not down.failed and down.lines[0].startswith("warning")
    assert judge(2, "", "usage: pip-audit: error: unrecognized arguments").failed


def test_an_unreachable_service_does_not_fail_the_run() -> None:
    # A real pip-audit through a proxy that refuses every connection (a port nobody listens on).
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    env = {**os.environ, "HTTPS_PROXY": f"http://127.0.0.1:{port}", "NO_PROXY": ""}
    try:
        done = subprocess.run(
            [sys.executable, str(SCRIPT), "--vulnerability-service", "osv"],
            capture_output=True, text=True, timeout=300, env=env, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail("the audit hung instead of giving up on the unreachable service")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "warning" in done.stdout
