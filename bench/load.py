"""Load driver: wrk over loopback, bounded in time, plus server CPU and RSS from /proc.

``run_load()`` runs one wrk invocation against one URL and returns a :class:`LoadResult`:
requests/s, p50/p99 latency, every kind of error wrk counts (connect, read, write,
timeout, non-2xx/3xx status), the CPU time the server processes spent during the run
divided by completed requests, and the servers' RSS before and after.

Requests are described with a generated Lua script, so POSTs carry a JSON body and
headers. Two placeholders make each request unique when the target needs it:

* ``{{seq}}``: an integer unique per request across the runs of one process;
* ``{{ip}}``: an IPv4 address whose first three octets are unique per request (across
  the runs of one process, up to 50 runs with 65,536 requests per wrk thread), for
  targets that rate-limit per /24 behind a trusted proxy (``X-Forwarded-For``);
* ``{{NAME}}`` for each ``NAME`` in ``choices``: the values taken in turn, e.g. bearer
  tokens of many users so per-user rate limits see distinct posters.

Only loopback URLs are accepted. Run ``python bench/load.py --help`` for ad-hoc use.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_SECONDS = 10
_CLK_TCK = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")
_LOOPBACK = ("127.", "localhost", "::1", "[::1]")
_JSON_MARK = "BENCHJSON "
_RUN_NUMBERS = itertools.count()
# Requests earlier runs of this process may have sent: each run's `{{NAME}}` choices go on
# from there instead of starting over, so a run does not repeat the last run's
# (token, text) pairs (a reader posting the same text again is, rightly, held as spam).
_CHOICES_USED = [0]


def bench_seconds(default: int = DEFAULT_SECONDS) -> int:
    """Seconds per load run: ``BENCH_SECONDS`` from the environment, else ``default``."""
    raw = os.environ.get("BENCH_SECONDS", "")
    try:
        value = int(raw)
    except ValueError:
        return default
    return max(1, value)


# --------------------------------------------------------------------------- processes


def process_tree(roots: Iterable[int]) -> list[int]:
    """``roots`` and all their live descendants (from /proc), roots first."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        # Fields after "(comm)": state ppid ...; comm may contain spaces and parentheses.
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out: list[int] = []
    queue = [pid for pid in roots if Path(f"/proc/{pid}").exists()]
    while queue:
        pid = queue.pop(0)
        if pid in out:
            continue
        out.append(pid)
        queue.extend(children.get(pid, []))
    return out


def measure_cpu(pids: Iterable[int]) -> dict[int, float]:
    """CPU seconds (user + system) used so far by each live pid; dead pids are skipped.

    Take one snapshot before and one after a run and subtract (see :func:`cpu_delta`).
    """
    out: dict[int, float] = {}
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        # utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after "(comm)".
        out[pid] = (int(fields[11]) + int(fields[12])) / _CLK_TCK
    return out


def cpu_delta(before: Mapping[int, float], after: Mapping[int, float]) -> float:
    """Total CPU seconds spent between two :func:`measure_cpu` snapshots.

    A process present only in ``after`` (a worker started during the run) counts in full.
    """
    return sum(value - before.get(pid, 0.0) for pid, value in after.items())


def measure_rss(pids: Iterable[int]) -> dict[int, float]:
    """Resident set size in MiB of each live pid."""
    out: dict[int, float] = {}
    for pid in pids:
        try:
            resident = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        out[pid] = resident * _PAGE / 2**20
    return out


def wait_idle(pids: Iterable[int], *, max_wait_s: float = 120.0, interval_s: float = 0.5) -> float:
    """Wait until the process trees of ``pids`` use under 10% of a core; return seconds waited.

    A server whose workers take one connection at a time (gunicorn sync) still has the
    previous run's queued connections in its listen backlog when wrk stops, and works
    through them; measuring the next run before that ends would charge it their CPU.
    """
    started = time.monotonic()
    roots = list(pids)
    if not roots:
        return 0.0
    while time.monotonic() - started < max_wait_s:
        tree = process_tree(roots)
        before = measure_cpu(tree)
        time.sleep(interval_s)
        if cpu_delta(before, measure_cpu(tree)) < 0.1 * interval_s:
            break
    return time.monotonic() - started


# --------------------------------------------------------------------------- wrk


@dataclass(slots=True)
class LoadResult:
    """What one wrk run measured. Latencies in milliseconds, CPU in seconds."""

    url: str
    method: str
    connections: int
    seconds: int
    requests: int = 0
    duration_s: float = 0.0
    rps: float = 0.0
    p50_ms: float = 0.0
    p90_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    errors_connect: int = 0
    errors_read: int = 0
    errors_write: int = 0
    errors_timeout: int = 0
    errors_status: int = 0
    cpu_s: float = 0.0
    cpu_ms_per_req: float | None = None
    settle_s: float = 0.0
    loadavg_1m: float = 0.0  # machine load at the end of the run (others' work included)
    rss_before_mb: dict[int, float] = field(default_factory=dict)
    rss_after_mb: dict[int, float] = field(default_factory=dict)
    failure: str | None = None

    @property
    def errors(self) -> int:
        return (
            self.errors_connect
            + self.errors_read
            + self.errors_write
            + self.errors_timeout
            + self.errors_status
        )

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["errors"] = self.errors
        # JSON object keys must be strings.
        data["rss_before_mb"] = {str(k): round(v, 1) for k, v in self.rss_before_mb.items()}
        data["rss_after_mb"] = {str(k): round(v, 1) for k, v in self.rss_after_mb.items()}
        return data


def _lua_str(value: str) -> str:
    out = ['"']
    for byte in value.encode("utf-8"):
        ch = chr(byte)
        if ch in '"\\' or byte < 32 or byte > 126:
            out.append(f"\\{byte:03d}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def lua_script(
    path: str,
    method: str,
    body: str | None,
    headers: Mapping[str, str] | None,
    choices: Mapping[str, Sequence[str]] | None = None,
    run_no: int | None = None,
    threads: int = 1,
    first_choice: int = 0,
) -> str:
    """The wrk Lua script for one request shape (see the module doc for placeholders).

    ``run_no`` (default: the next number of this process) keeps ``{{seq}}`` and ``{{ip}}``
    from repeating across runs, so a target's per-address guards see new addresses.
    The n-th request of the run (over its ``threads``) takes choice ``first_choice + n``.
    """
    run_no = next(_RUN_NUMBERS) if run_no is None else run_no
    headers = dict(headers or {})
    choices = dict(choices or {})
    templated = any("{{" in part for part in (path, body or "", *headers.values()))
    choice_lines = "\n".join(
        f"  [{_lua_str('{{' + name + '}}')}] = {{" + ", ".join(_lua_str(v) for v in values) + "},"
        for name, values in choices.items()
    )
    header_lines = "\n".join(
        f"  [{_lua_str(name)}] = {_lua_str(value)}," for name, value in headers.items()
    )
    return f"""-- generated by bench/load.py
local method = {_lua_str(method)}
local path = {_lua_str(path)}
local body = {_lua_str(body) if body is not None else "nil"}
local headers = {{
{header_lines}
}}
local choices = {{
{choice_lines}
}}
local templated = {"true" if templated else "false"}
local run_no = {run_no}
local nthreads = {max(1, threads)}
local first_choice = {first_choice}
local counter = 0
local fixed = nil
local threads_made = 0

function setup(thread)
  thread:set("tid", threads_made)
  threads_made = threads_made + 1
end

function init(args)
  if not templated then
    fixed = wrk.format(method, path, headers, body)
  end
end

local function fill(s, seq, ip, n)
  if s == nil then return nil end
  s = string.gsub(s, "{{{{seq}}}}", seq)
  s = string.gsub(s, "{{{{ip}}}}", ip)
  for key, values in pairs(choices) do
    local pos = string.find(s, key, 1, true)
    if pos then
      local value = values[(n % #values) + 1]
      s = string.sub(s, 1, pos - 1) .. value .. string.sub(s, pos + #key)
    end
  end
  return s
end

function request()
  if fixed then return fixed end
  counter = counter + 1
  local t = tonumber(tid) or 0
  local seq = tostring(run_no * 100000000 + t * 10000000 + counter)
  local slot = (run_no * 4 + t) % 200
  local ip = string.format("%d.%d.%d.7", 11 + slot, math.floor(counter / 256) % 256, counter % 256)
  local n = first_choice + (counter - 1) * nthreads + t
  local h = {{}}
  for k, v in pairs(headers) do h[k] = fill(v, seq, ip, n) end
  return wrk.format(method, fill(path, seq, ip, n), h, fill(body, seq, ip, n))
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{_JSON_MARK}{{"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}}\\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""


def _check_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    if not (host.startswith(_LOOPBACK) or host in ("localhost", "::1")):
        raise ValueError(f"refusing to load a non-loopback address: {url}")


def wrk_path() -> str:
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk not found: apt-get install wrk")
    return found


def run_load(
    url: str,
    *,
    method: str = "GET",
    body: str | None = None,
    headers: Mapping[str, str] | None = None,
    connections: int = 16,
    seconds: int | None = None,
    pids: Iterable[int] = (),
    threads: int = 2,
    timeout_s: float | None = None,
    choices: Mapping[str, Sequence[str]] | None = None,
) -> LoadResult:
    """Drive ``url`` with wrk for ``seconds`` at ``connections`` and measure ``pids``.

    ``pids`` are the server's root processes; their descendants (workers) are found from
    /proc and measured too; first they are let go idle (:func:`wait_idle`) so that a
    previous run's backlog is not charged to this one. ``seconds`` defaults to
    ``BENCH_SECONDS`` (else 10).
    """
    _check_loopback(url)
    seconds = seconds if seconds is not None else bench_seconds()
    timeout_s = timeout_s if timeout_s is not None else max(seconds, 5) + 1
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    base = f"{parts.scheme}://{parts.netloc}"
    result = LoadResult(url=url, method=method, connections=connections, seconds=seconds)

    pids = list(pids)
    result.settle_s = wait_idle(pids)
    tree = process_tree(pids)
    result.rss_before_mb = measure_rss(tree)
    with tempfile.TemporaryDirectory(prefix="belowline-wrk-") as tmp:
        script = Path(tmp, "request.lua")
        threads = max(1, min(threads, connections))
        script.write_text(
            lua_script(
                path, method, body, headers, choices, threads=threads, first_choice=_CHOICES_USED[0]
            )
        )
        cmd = [
            wrk_path(),
            f"--threads={threads}",
            f"--connections={connections}",
            f"--duration={seconds}s",
            f"--timeout={timeout_s:g}s",
            "--latency",
            f"--script={script}",
            base + path,
        ]
        cpu_before = measure_cpu(tree)
        started = time.monotonic()
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=seconds + timeout_s + 30, check=False
        )
        wall = time.monotonic() - started
        tree_after = process_tree(pids)
        cpu_after = measure_cpu(tree_after)
    result.loadavg_1m = os.getloadavg()[0]
    result.rss_after_mb = measure_rss(tree_after)
    result.cpu_s = cpu_delta(cpu_before, cpu_after)

    stats = parse_wrk_output(proc.stdout)
    if proc.returncode != 0 or stats is None:
        result.failure = (proc.stderr or proc.stdout).strip()[-500:] or f"wrk rc={proc.returncode}"
        return result
    result.requests = int(stats["requests"])
    _CHOICES_USED[0] += result.requests + connections  # those still in flight were sent too
    result.duration_s = stats["duration_us"] / 1e6 or wall
    result.rps = result.requests / result.duration_s if result.duration_s else 0.0
    result.p50_ms = stats["p50_us"] / 1000
    result.p90_ms = stats["p90_us"] / 1000
    result.p99_ms = stats["p99_us"] / 1000
    result.max_ms = stats["max_us"] / 1000
    result.errors_connect = int(stats["connect"])
    result.errors_read = int(stats["read"])
    result.errors_write = int(stats["write"])
    result.errors_timeout = int(stats["timeout"])
    result.errors_status = int(stats["status"])
    if result.requests:
        result.cpu_ms_per_req = result.cpu_s * 1000 / result.requests
    return result


def parse_wrk_output(stdout: str) -> dict[str, float] | None:
    """Read the JSON line our ``done()`` hook prints; fall back to wrk's text summary."""
    for line in stdout.splitlines():
        if line.startswith(_JSON_MARK):
            data: dict[str, float] = json.loads(line[len(_JSON_MARK) :])
            return data
    return _parse_wrk_text(stdout)


def _duration_us(token: str) -> float:
    units = {"us": 1.0, "ms": 1e3, "s": 1e6, "m": 60e6, "h": 3600e6}
    for unit in ("us", "ms", "s", "m", "h"):
        if token.endswith(unit):
            return float(token[: -len(unit)]) * units[unit]
    return float(token)


def _parse_wrk_text(stdout: str) -> dict[str, float] | None:
    """Parse wrk's human summary (used only if the Lua ``done()`` line is missing)."""
    out: dict[str, float] = dict.fromkeys(
        ("connect", "read", "write", "status", "timeout", "p90_us", "max_us"), 0.0
    )
    found = False
    for raw in stdout.splitlines():
        line = raw.strip()
        words = line.split()
        if " requests in " in line:
            out["requests"] = float(words[0])
            out["duration_us"] = _duration_us(words[3].rstrip(","))
            found = True
        elif line.startswith(("50%", "90%", "99%")) and len(words) == 2:
            out[f"p{line[:2]}_us"] = _duration_us(words[1])
        elif line.startswith("Socket errors:"):
            for name in ("connect", "read", "write", "timeout"):
                idx = words.index(name)
                out[name] = float(words[idx + 1].rstrip(","))
        elif line.startswith("Non-2xx or 3xx responses:"):
            out["status"] = float(words[-1])
    return out if found else None


# --------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="wrk load run against a loopback URL")
    parser.add_argument("url")
    parser.add_argument("-m", "--method", default="GET")
    parser.add_argument("-b", "--body", default=None)
    parser.add_argument("-H", "--header", action="append", default=[], help="'Name: value'")
    parser.add_argument("-c", "--connections", type=int, default=16)
    parser.add_argument("-s", "--seconds", type=int, default=None)
    parser.add_argument("--pid", type=int, action="append", default=[], help="server pid")
    args = parser.parse_args(argv)
    headers = dict(h.split(":", 1) for h in args.header)
    headers = {k.strip(): v.strip() for k, v in headers.items()}
    result = run_load(
        args.url,
        method=args.method,
        body=args.body,
        headers=headers,
        connections=args.connections,
        seconds=args.seconds,
        pids=args.pid,
    )
    print(json.dumps(result.to_json(), indent=2))
    return 0 if result.failure is None else 1


if __name__ == "__main__":
    sys.exit(main())
