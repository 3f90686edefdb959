"""Known vulnerabilities in the installed packages (pip-audit), for `make test` and CI.

It fails only on a vulnerability that has a fixed release to move to. When the vulnerability
service cannot be reached (no network, a mirror without its data) it warns and passes: CI
must not go red because a third party is down.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Any

NETWORK_TROUBLE = (
    "ConnectionError",
    "NameResolutionError",
    "Max retries exceeded",
    "Timeout",
    "ProxyError",
    "SSLError",
    "Temporary failure in name resolution",
)


@dataclass
class Verdict:
    failed: bool
    lines: list[str] = field(default_factory=list)


def judge(returncode: int, stdout: str, stderr: str) -> Verdict:
    """What pip-audit's answer means for CI."""
    try:
        report: dict[str, Any] = json.loads(stdout)
    except ValueError:
        if any(sign in stderr for sign in NETWORK_TROUBLE):
            last = stderr.strip().splitlines()[-1:] or [""]
            return Verdict(False, [f"warning: vulnerability service unreachable: {last[0][:200]}"])
        return Verdict(True, [f"pip-audit failed (exit {returncode}):", stderr.strip()[-2000:]])
    deps = report.get("dependencies", [])
    audited = [d for d in deps if "skip_reason" not in d]
    if deps and not audited:
        return Verdict(
            False,
            [f"warning: none of {len(deps)} packages could be audited (service unreachable?)"],
        )
    lines = [f"audited {len(audited)} of {len(deps)} packages"]
    fixable = False
    for dep in audited:
        for vuln in dep.get("vulns", []):
            fixes = vuln.get("fix_versions") or []
            if fixes:
                fixable = True
                fixed_in = ", ".join(fixes)
                lines.append(
                    f"VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixed_in})"
                )
            else:
                lines.append(
                    f"warning: {dep['name']} {dep['version']}: {vuln['id']} has no fix yet"
                )
    return Verdict(fixable, lines)


def main() -> int:
    command = [
        sys.executable, "-m", "pip_audit", "--local", "--skip-editable",
        "--progress-spinner", "off", "--format", "json", *sys.argv[1:],
    ]  # fmt: skip
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
            command, capture_output=True, text=True, timeout=600, check=False
        )
    except subprocess.TimeoutExpired:
        sys.stdout.write("warning: pip-audit timed out; nothing audited\n")
        return 0
    verdict = judge(done.returncode, done.stdout, done.stderr)
    for line in verdict.lines:
        sys.stdout.write(line + "\n")
    return 1 if verdict.failed else 0


if __name__ == "__main__":
    sys.exit(main())
