"""Side-by-side benchmark: the four scenarios against every target, one target at a time.

    python bench/run_peers.py                      # Isso + ceiling, 16 and 64 connections
    BENCH_SECONDS=5 python bench/run_peers.py      # shorter runs for a quick look
    python bench/run_peers.py --targets isso --scenarios page_10k,post -c 16

Each target is prepared (installed, seeded), started, driven with wrk for every scenario
and concurrency, then stopped before the next target starts, so targets never compete for
the two cores. A single request per scenario is sent first and its status checked; a
scenario that fails that check is reported and not loaded. The table goes to stdout, the
full figures to ``bench/results/peers-<time>.json`` and ``bench/results/latest.json``.

Targets come from :data:`TARGET_FACTORIES` (name -> zero-argument callable returning a
:class:`bench.targets.Target`); ``--target-factory module:callable`` adds more without
editing this file (the callable returns one target or a list of them). The last line is::

    RESULT read_vs_isso=… write_vs_isso=… read_vs_ceiling=…

computed from the first target of kind ``belowline`` (or ``--result-target``): ratios of
requests/s (each target's best over the concurrencies run) for the 10k-story first page
and for posting. Without a Belowline target the ratios print as ``n/a``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.belowline_target import (
    postgres_target,
    sqlite_nocache_target,
    sqlite_single_commit_target,
    sqlite_target,
)
from bench.load import LoadResult, bench_seconds, run_load, wrk_path
from bench.peers.ceiling import CeilingTarget
from bench.peers.isso_setup import IssoTarget
from bench.targets import (
    BENCH_DIR,
    PAGE_10K,
    POST,
    RESULTS_DIR,
    SCENARIO_TITLES,
    SCENARIOS,
    Target,
    preflight,
    stop_on_sigterm,
)

TargetFactory = Callable[[], "Target | list[Target]"]

# Belowline targets register here (or come in through --target-factory).
TARGET_FACTORIES: dict[str, TargetFactory] = {
    "isso": IssoTarget,
    "ceiling": CeilingTarget,
    "belowline-sqlite": sqlite_target,
    "belowline-sqlite-nocache": sqlite_nocache_target,
    "belowline-sqlite-single-commit": sqlite_single_commit_target,
    "belowline-pg": postgres_target,
}


def default_targets() -> tuple[str, ...]:
    """Isso and the ceiling; Belowline too once its seeder exists (and PG with its URLs)."""
    names = ["isso", "ceiling"]
    if (BENCH_DIR / "belowline_seed.py").exists():
        names.append("belowline-sqlite")
        names.append("belowline-sqlite-nocache")
        if os.environ.get("BENCH_DATABASE_URL") and os.environ.get("BENCH_REDIS_URL"):
            names.append("belowline-pg")
    return tuple(names)


def load_factory(spec: str) -> TargetFactory:
    module_name, _, attr = spec.partition(":")
    if not attr:
        raise SystemExit(f"--target-factory wants module:callable, got {spec!r}")
    factory: TargetFactory = getattr(importlib.import_module(module_name), attr)
    return factory


def build_targets(names: list[str], extra: list[str]) -> list[Target]:
    targets: list[Target] = []
    factories = [TARGET_FACTORIES[n] for n in names] + [load_factory(s) for s in extra]
    for factory in factories:
        made = factory()
        targets.extend(made if isinstance(made, list) else [made])
    return targets


@contextlib.contextmanager
def running(target: Target) -> Iterator[Target]:
    target.start()
    try:
        yield target
    finally:
        target.stop()


def run_target(
    target: Target, scenarios: list[str], connections: list[int], seconds: int, warmup: int
) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": target.kind, "scenarios": {}}
    print(f"\n== {target.name} ({target.kind}): preparing", flush=True)
    started = time.monotonic()
    target.prepare()
    out["prepare_s"] = round(time.monotonic() - started, 1)
    with running(target):
        print(f"== {target.name}: serving, pids {target.pids()}", flush=True)
        for scenario in scenarios:
            spec = target.request(scenario)
            if spec is None:
                continue
            entry: dict[str, Any] = {
                "request": {"url": spec.url, "method": spec.method, "body": spec.body},
                "runs": [],
            }
            out["scenarios"][scenario] = entry
            status, body = preflight(spec)
            entry["preflight_status"] = status
            entry["response_bytes"] = len(body)
            if status not in spec.expect_status:
                entry["failure"] = f"preflight status {status}: {body[:200]!r}"
                print(f"   {scenario}: {entry['failure']}", flush=True)
                continue
            if warmup > 0:
                run_load(
                    spec.url,
                    method=spec.method,
                    body=spec.body,
                    headers=spec.headers,
                    choices=spec.choices,
                    connections=min(connections),
                    seconds=warmup,
                )
            for conns in connections:
                result = run_load(
                    spec.url,
                    method=spec.method,
                    body=spec.body,
                    headers=spec.headers,
                    choices=spec.choices,
                    connections=conns,
                    seconds=seconds,
                    pids=target.pids(),
                )
                entry["runs"].append(result.to_json())
                print("   " + row(target.name, scenario, result), flush=True)
    return out


HEADER = (
    f"{'target':<18} {'scenario':<10} {'conns':>5} {'req/s':>10} {'p50 ms':>9} {'p99 ms':>9} "
    f"{'errors':>7} {'CPU ms/req':>11} {'RSS MB':>7} {'load':>5}"
)


def row(name: str, scenario: str, r: LoadResult) -> str:
    if r.failure:
        return f"{name:<18} {scenario:<10} {r.connections:>5} FAILED: {r.failure[:60]}"
    cpu = f"{r.cpu_ms_per_req:.2f}" if r.cpu_ms_per_req is not None else "-"
    rss = max(r.rss_after_mb.values(), default=0.0)
    busy = " *" if r.loadavg_1m > (os.cpu_count() or 1) + 1 else ""
    return (
        f"{name:<18} {scenario:<10} {r.connections:>5} {r.rps:>10.1f} {r.p50_ms:>9.1f} "
        f"{r.p99_ms:>9.1f} {r.errors:>7} {cpu:>11} {rss:>7.1f} {r.loadavg_1m:>5.1f}{busy}"
    )


def print_table(results: dict[str, Any]) -> None:
    print("\n" + HEADER)
    print("-" * len(HEADER))
    for name, data in results["targets"].items():
        for scenario, entry in data["scenarios"].items():
            if "failure" in entry:
                print(f"{name:<18} {scenario:<10} {'':>5} FAILED: {entry['failure'][:60]}")
            for run in entry["runs"]:
                r = LoadResult(
                    **{
                        k: v
                        for k, v in run.items()
                        if k not in ("errors", "rss_before_mb", "rss_after_mb")
                    }
                )
                r.rss_after_mb = {int(k): v for k, v in run["rss_after_mb"].items()}
                print(row(name, scenario, r))
    print("\nScenarios: " + "; ".join(f"{k} = {v}" for k, v in SCENARIO_TITLES.items()))
    print("req/s ratios use each target's best req/s over the concurrencies run.")
    print(
        "load = machine 1-minute load average after the run; * = above cores + 1: other work"
        " competed for the CPU, trust CPU ms/req over req/s there."
    )


def best(results: dict[str, Any], target: str, scenario: str, key: str = "rps") -> float | None:
    entry = results["targets"].get(target, {}).get("scenarios", {}).get(scenario)
    if not entry or not entry["runs"]:
        return None
    values = [run[key] for run in entry["runs"] if run.get(key) is not None and not run["failure"]]
    if not values:
        return None
    return float(max(values) if key == "rps" else min(values))


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def fmt(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3g}" if value < 100 else f"{value:.0f}"


def summarise(results: dict[str, Any], result_target: str | None) -> str:
    kinds = {name: data["kind"] for name, data in results["targets"].items()}
    peer = next((n for n, k in kinds.items() if k == "peer"), None)
    ceiling = next((n for n, k in kinds.items() if k == "ceiling"), None)
    belowline = [n for n, k in kinds.items() if k == "belowline"]
    ratios: dict[str, dict[str, float | None]] = {}
    print()
    for name in belowline:
        r = {
            "read_vs_isso": ratio(
                best(results, name, PAGE_10K), best(results, peer or "", PAGE_10K)
            ),
            "write_vs_isso": ratio(best(results, name, POST), best(results, peer or "", POST)),
            "read_vs_ceiling": ratio(
                best(results, name, PAGE_10K), best(results, ceiling or "", PAGE_10K)
            ),
        }
        for scenario in SCENARIOS:
            r[f"{scenario}_vs_isso"] = ratio(
                best(results, name, scenario), best(results, peer or "", scenario)
            )
            r[f"{scenario}_cpu_isso_over_this"] = ratio(
                best(results, peer or "", scenario, "cpu_ms_per_req"),
                best(results, name, scenario, "cpu_ms_per_req"),
            )
        ratios[name] = r
        print(f"{name}: " + " ".join(f"{k}={fmt(v)}" for k, v in r.items()))
    if peer and ceiling:
        print(
            f"{peer} page_10k vs {ceiling}: "
            f"{fmt(ratio(best(results, peer, PAGE_10K), best(results, ceiling, PAGE_10K)))}"
        )
    results["ratios"] = ratios
    cached = [n for n in belowline if not n.endswith("-nocache")] or belowline
    chosen = result_target if result_target in ratios else (cached[0] if cached else None)
    if chosen is None:
        print("(no Belowline target in this run: RESULT ratios are n/a)")
        return "RESULT read_vs_isso=n/a write_vs_isso=n/a read_vs_ceiling=n/a"
    r = ratios[chosen]
    line = (
        f"RESULT read_vs_isso={fmt(r['read_vs_isso'])} write_vs_isso={fmt(r['write_vs_isso'])} "
        f"read_vs_ceiling={fmt(r['read_vs_ceiling'])}"
    )
    nocache = next((n for n in ratios if n.endswith("-nocache")), None)
    if nocache is not None and nocache != chosen:
        line += f" read_nocache_vs_isso={fmt(ratios[nocache]['read_vs_isso'])}"
    line += f" counts_vs_isso={fmt(r.get('counts_20_vs_isso'))}"
    return line


def machine_info() -> dict[str, Any]:
    wrk = subprocess.run([wrk_path(), "--version"], capture_output=True, text=True, check=False)
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "wrk": (wrk.stdout or wrk.stderr).splitlines()[0] if (wrk.stdout or wrk.stderr) else "",
        "loadavg_start": os.getloadavg(),
    }


def write_results(results: dict[str, Any], out: Path | None) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out or RESULTS_DIR / f"peers-{stamp}.json"
    text = json.dumps(results, indent=2) + "\n"
    path.write_text(text)
    (RESULTS_DIR / "latest.json").write_text(text)
    return path


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark Isso, the bare-ASGI ceiling (and Belowline targets) side by side"
    )
    parser.add_argument(
        "--seconds",
        type=int,
        default=None,
        help="seconds per load run (default BENCH_SECONDS or 10)",
    )
    parser.add_argument(
        "-c", "--connections", default="16,64", help="comma-separated concurrencies (16,64)"
    )
    parser.add_argument(
        "--scenarios",
        default=",".join(SCENARIOS),
        help=f"comma-separated, of {','.join(SCENARIOS)}",
    )
    parser.add_argument(
        "--targets",
        default=",".join(default_targets()),
        help=f"comma-separated, of {','.join(TARGET_FACTORIES)}",
    )
    parser.add_argument(
        "--target-factory",
        action="append",
        default=[],
        metavar="MODULE:CALLABLE",
        help="add targets from a callable returning a Target or a list of them (repeatable)",
    )
    parser.add_argument(
        "--result-target", default=None, help="Belowline target for the RESULT line"
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=1,
        help="seconds of unmeasured load per scenario before the measured runs (1; 0 = none)",
    )
    parser.add_argument("--out", type=Path, default=None, help="results JSON path")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stop_on_sigterm()
    seconds = args.seconds or bench_seconds()
    connections = [int(c) for c in args.connections.split(",") if c]
    scenarios = [s for s in args.scenarios.split(",") if s]
    unknown = set(scenarios) - set(SCENARIOS)
    if unknown:
        raise SystemExit(f"unknown scenarios: {sorted(unknown)}")
    names = [t for t in args.targets.split(",") if t]
    unknown = set(names) - set(TARGET_FACTORIES)
    if unknown:
        raise SystemExit(f"unknown targets: {sorted(unknown)}; known: {sorted(TARGET_FACTORIES)}")
    targets = build_targets(names, args.target_factory)

    results: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": seconds,
        "connections": connections,
        "machine": machine_info(),
        "targets": {},
    }
    print(
        f"bench: {len(targets)} target(s), scenarios {scenarios}, connections {connections}, "
        f"{seconds}s per run",
        flush=True,
    )
    interrupted = False
    try:
        for target in targets:
            results["targets"][target.name] = run_target(
                target, scenarios, connections, seconds, args.warmup
            )
    except KeyboardInterrupt:
        interrupted = True
        print("\ninterrupted: servers stopped, partial results follow", flush=True)
    results["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    print_table(results)
    line = summarise(results, args.result_target)
    path = write_results(results, args.out)
    print(f"results: {path}")
    print(line)
    return 130 if interrupted else 0


if __name__ == "__main__":
    sys.exit(main())
