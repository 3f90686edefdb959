"""Time the default triage pipeline over real comments, warm, against the post-path budget.

    python bench/triage_bench.py --data-dir PATH/TO/data [--comments 3000] [--seed 1]

Draws comments from the Wikipedia talk-page sets (each scored with its own parent comment as
``parent`` and another item's parent as the ``article``, so the off-topic scorer runs), tweets,
YouTube comments (with the previous comments on the same video as the author's recent texts)
and news comments (Civil Comments toxic spans and the Globe and Mail's, with another news
comment as the ``article``). Prints milliseconds per comment (p50, p90, p99, max), for all of
them and for the long ones (``--long`` characters or more), wall-clock and CPU time, against
the budget (p50 0.5 ms, p99 2 ms). The exit status is 1 if the CPU-time budget is missed.
On a shared machine, ``--repeat 3`` keeps each comment's fastest run (its words then sit in
the per-word caches, as most words of a running server's comments do).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from belowline.triage.pipeline import score_comment, warm_up
from belowline.triage.scorers.abuse import score_abuse
from belowline.triage.scorers.offtopic import score_off_topic
from belowline.triage.scorers.spam import score_spam
from belowline.triage.scorers.wordlists import score_words

BUDGET_MS = 2.0  # p99
BUDGET_P50_MS = 0.5


@dataclass(frozen=True)
class Case:
    text: str
    article: str | None = None
    parent: str | None = None
    recent_texts: tuple[str, ...] = field(default_factory=tuple)


def _rows(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_cases(data_dir: Path, count: int, seed: int) -> list[Case]:
    """A mixed sample of real comments with realistic context."""
    rng = random.Random(seed)
    wiki = _rows(data_dir / "toxicity" / "wiki-cat-gc.csv")
    parents = [r["parent"] for r in wiki if r["parent"]]
    cases = [Case(r["text"], rng.choice(parents), r["parent"] or None) for r in wiki]
    cases += [Case(r["tweet"]) for r in _rows(data_dir / "toxicity" / "davidson-labeled_data.csv")]
    for path in sorted((data_dir / "spam").glob("*.csv")):
        texts = [r["CONTENT"] for r in _rows(path)]
        cases += [
            Case(t, recent_texts=tuple(texts[max(0, i - 5) : i])) for i, t in enumerate(texts)
        ]
    news = [r["comment_text"] for r in _rows(data_dir / "news" / "civil-toxic-spans-comments.csv")]
    for part in ("val", "test"):
        news += [r["comment"] for r in _rows(data_dir / "news" / f"ucc-{part}.csv")]
    cases += [Case(t, rng.choice(news)) for t in news]
    rng.shuffle(cases)
    return cases[:count]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--comments", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warm", type=int, default=2000, help="other comments scored first")
    parser.add_argument(
        "--repeat", type=int, default=1, help="score each comment N times, keep the fastest"
    )
    parser.add_argument("--long", type=int, default=1000, help="long comments from here")
    parser.add_argument(
        "--stages", action="store_true", help="also CPU time per scorer, run in sequence"
    )
    args = parser.parse_args(argv)

    drawn = load_cases(args.data_dir, args.comments + args.warm, args.seed)
    warm, cases = drawn[: args.warm], drawn[args.warm :]
    started = time.perf_counter()
    warm_up()
    print(f"model load (once per process): {time.perf_counter() - started:.2f} s")
    for case in warm:  # other comments first: a running server's word caches are warm
        score_comment(case.text, article=case.article, parent=case.parent)
    timings: list[float] = []
    cpu: list[float] = []
    for case in cases:
        wall, used = [], []
        for _ in range(args.repeat):  # the fastest of a few runs: other people's load removed
            begin, begin_cpu = time.perf_counter_ns(), time.thread_time_ns()
            score_comment(
                case.text, article=case.article, parent=case.parent, recent_texts=case.recent_texts
            )
            used.append((time.thread_time_ns() - begin_cpu) / 1e6)
            wall.append((time.perf_counter_ns() - begin) / 1e6)
        cpu.append(min(used))
        timings.append(min(wall))
    long = [k for k, c in enumerate(cases) if len(c.text) >= args.long]
    ok = True
    for label, rows in (("all", range(len(cases))), (f"long (>= {args.long} chars)", long)):
        ok = _table(label, [cases[k] for k in rows], [timings[k] for k in rows],
                    [cpu[k] for k in rows]) and ok  # fmt: skip
    if args.stages:
        _stages(cases, long, args.repeat)
    return 0 if ok else 1


def _stages(cases: list[Case], long: list[int], repeat: int) -> None:
    """Each scorer's CPU ms (p50 / p99), in the pipeline's order, so p99 can be traced."""
    names = ("word lists", "abuse", "off-topic", "spam")
    times: list[list[float]] = [[] for _ in names]
    for case in cases:
        best: list[float] | None = None
        for _ in range(repeat):
            marks = [time.thread_time_ns()]
            words = score_words(case.text)
            marks.append(time.thread_time_ns())
            score_abuse(case.text, words.matches)
            marks.append(time.thread_time_ns())
            score_off_topic(case.text, article=case.article, parent=case.parent)
            marks.append(time.thread_time_ns())
            score_spam(case.text, recent_texts=case.recent_texts)
            marks.append(time.thread_time_ns())
            row = [(b - a) / 1e6 for a, b in itertools.pairwise(marks)]
            best = row if best is None or sum(row) < sum(best) else best
        for column, value in zip(times, best or [], strict=True):
            column.append(value)
    print("\nCPU ms per scorer (p50 / p99): all comments | long ones")
    for name, column in zip(names, times, strict=True):
        longs = sorted(column[k] for k in long)
        every = sorted(column)
        tail = f"{_at(longs, 0.5):.3f} / {_at(longs, 0.99):.3f}" if longs else "-"
        print(f"  {name:<11} {_at(every, 0.5):.3f} / {_at(every, 0.99):.3f} | {tail}")


def _at(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(share * len(values)))]


def _table(label: str, cases: list[Case], timings: list[float], cpu: list[float]) -> bool:
    """Print one table; True if CPU-time p50 and p99 are within budget."""
    if not cases:
        return True
    timings, cpu = sorted(timings), sorted(cpu)
    chars = statistics.mean(len(c.text) for c in cases)
    print(f"\n{label}: {len(cases)} comments, mean {chars:.0f} characters")
    # Wall-clock is what a request pays; CPU time shows the cost without other processes'
    # interference on a shared machine.
    print(f"{'':>4}  {'wall ms':>8}  {'CPU ms':>8}  {'budget':>7}")
    budgets = {"p50": BUDGET_P50_MS, "p99": BUDGET_MS}
    for name, share in (("p50", 0.50), ("p90", 0.90), ("p99", 0.99), ("max", 1.0)):
        budget = f"{budgets[name]:7.2f}" if name in budgets else ""
        print(f"{name:>4}  {_at(timings, share):8.3f}  {_at(cpu, share):8.3f}  {budget}")
    print(f"mean  {statistics.mean(timings):8.3f}  {statistics.mean(cpu):8.3f}")
    return _at(cpu, 0.5) <= BUDGET_P50_MS and _at(cpu, 0.99) <= BUDGET_MS


if __name__ == "__main__":
    raise SystemExit(main())
