"""The fast tier with and without static token embeddings, every set on its own, and its cost.

    python scripts/train_static_tokens.py --out STATIC          # once: distil (train-static)
    python eval/static_eval.py --data-dir DATA --static STATIC [--boost 1] [--cap 9000]

"before" is the shipped model; "after" is the same recipe (``scripts/train_abuse_model.py``,
the licensed broad mix, never UCC, Stormfront or the bias suites) with each comment's mean
static token vector (all-MiniLM-L6-v2 distilled by model2vec) as an extra block, collapsed to
one weight per WordPiece token. Each is scored through the real abuse scorer on UCC,
Stormfront, OLID's test set, the bias suite's Wikipedia comments, Civil Comments spans (refit
without it, ``--cap`` per source), HateCheck and the identity templates, as
``eval/news_eval.py`` does; then the abuse scorer's CPU time per comment over real comments
(``bench/triage_bench.py``'s sample). Writes ``eval/results/static_tokens.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "eval"))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "bench"))
import news_eval  # noqa: E402
from train_abuse_model import train_model  # noqa: E402
from train_static_tokens import StaticFeatures  # noqa: E402
from triage_bench import load_cases  # noqa: E402

from belowline.triage.linear import LinearTextModel, dump_model  # noqa: E402
from belowline.triage.scorers.abuse import abuse_model, score_abuse  # noqa: E402
from belowline.triage.scorers.wordlists import score_words  # noqa: E402


def latency(data: Path, model: LinearTextModel, count: int = 2000) -> dict[str, float]:
    """The abuse scorer's CPU ms per comment (fastest of three runs), warm caches."""
    cases = load_cases(data, count + 1000, seed=1)
    for case in cases[:1000]:
        score_abuse(case.text, model=model)
    times = []
    for case in cases[1000:]:
        matches = score_words(case.text).matches
        best = float("inf")
        for _ in range(3):
            begin = time.thread_time_ns()
            score_abuse(case.text, matches, model=model)
            best = min(best, (time.thread_time_ns() - begin) / 1e6)
        times.append(best)
    times.sort()
    return {q: round(times[int(share * (len(times) - 1))], 3)
            for q, share in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99))}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--static", type=Path, required=True)
    parser.add_argument("--cap", type=int, default=9000)
    parser.add_argument("--boost", type=float, default=1.0, help="the static block's row length")
    parser.add_argument("--out", type=Path, default=ROOT / "eval/results/static_tokens.json")
    parser.add_argument("--save-model", type=Path, help="also write the 'after' model here")
    parser.add_argument("--before-from", type=Path, help="reuse an earlier run's 'before'")
    args = parser.parse_args(argv)
    data = args.data_dir
    after = train_model(data, limit=args.cap, static=StaticFeatures(args.static, args.boost))
    if args.save_model:
        args.save_model.write_bytes(dump_model(after))
        print(f"saved {args.save_model}: {args.save_model.stat().st_size / 1e6:.2f} MB")
    report: dict[str, object] = {}
    runs: list[tuple[str, LinearTextModel, object]] = [
        ("after", after, StaticFeatures(args.static, args.boost))
    ]
    if args.before_from:  # the shipped model's figures do not change between runs
        report["before"] = json.loads(args.before_from.read_text(encoding="utf-8"))["before"]
    else:
        runs.insert(0, ("before", abuse_model(), None))
    for name, model, static in runs:
        print(f"\n=== {name} ===")
        figures = news_eval.per_set(data, model, args.cap, static)
        figures.update(news_eval.bias(data, model))
        figures["latency_ms"] = latency(data, model)
        print(f"abuse scorer CPU ms per comment: {figures['latency_ms']}")
        report[name] = figures
    report["after_recipe"] = {"boost": args.boost, "cap": args.cap, "static": "all-MiniLM-L6-v2"}
    summary(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


def summary(report: dict[str, object]) -> None:
    """The headline figures side by side."""
    rows = [
        ("UCC pipeline ROC-AUC", lambda r: r["ucc"]["pipeline"]),
        ("Civil spans (refit without it)", lambda r: r["civil-spans"]["pipeline"]),
        ("Stormfront", lambda r: r["stormfront"]["pipeline"]),
        ("OLID test", lambda r: r["olid-test"]["pipeline"]),
        ("bias suite's Wikipedia comments", lambda r: r["nonfuzzed"]["pipeline"]),
        ("HateCheck hateful correct", lambda r: r["hatecheck"]["ALL hateful"]),
        ("HateCheck non-hateful correct", lambda r: r["hatecheck"]["ALL non-hateful"]),
        ("identity templates ROC-AUC", lambda r: r["madlibs_all"]),
        ("abuse scorer p50 / p99 ms", lambda r: "{p50} / {p99}".format(**r["latency_ms"])),
    ]
    print(f"\n{'':34} {'before':>12} {'after':>12}")
    for label, get in rows:
        print(f"{label:34} {get(report['before'])!s:>12} {get(report['after'])!s:>12}")
    print("\nidentity subgroup / BPSN AUC, before -> after")
    before, after = report["before"]["madlibs"], report["after"]["madlibs"]  # type: ignore[index]
    for term in before:
        b, a = before[term], after.get(term, {})
        print(f"  {term:<14} {b['subgroup']:.3f} -> {a.get('subgroup', 0):.3f}   "
              f"bpsn {b['bpsn']:.3f} -> {a.get('bpsn', 0):.3f}")  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
