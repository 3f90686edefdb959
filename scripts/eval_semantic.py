"""The semantic tier's figures, each set on its own: fast tier alone against fast + semantic.

    python scripts/eval_semantic.py --data-dir PATH/TO/data [--ucc-negatives 1500] [--latency 256]

UCC (Globe and Mail; measuring only) and HateCheck are never in either tier's training mix.
UCC keeps every abusive comment and a fixed-seed sample of ``--ucc-negatives`` others (the
model is slow; ROC-AUC does not depend on the class ratio); the fast tier is scored on the
same items. Scores: ``fast`` is the post path's abuse score (``score_abuse``: models, context
rules, word-list floors), ``semantic`` the head alone, ``combined`` their mean, and ``served``
what a comment ends with after both tiers (``max(fast, combined)``: the semantic tier only
adds flags and holds). HateCheck is read at the 0.4 flag threshold, on all cases or a
fixed-seed sample of N per functionality. Latency: the encoder and head over batches of real
UCC comments, on this machine as it is loaded now. Needs the ``train`` and ``semantic`` extras.
"""

# ruff: noqa: T201 - a report printed to the terminal

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

from belowline.extras import require_train_extra

require_train_extra("scripts/eval_semantic.py", ("sklearn", "numpy"))

import numpy as np  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402

from belowline.triage.scorers.abuse import score_abuse  # noqa: E402
from belowline.triage.scorers.wordlists import score_words  # noqa: E402
from belowline.triage.semantic.encoder import available, encoder  # noqa: E402
from belowline.triage.semantic.head import combine, load_head  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "eval"))
import sets  # noqa: E402
from embed_cache import DEFAULT_CACHE, embed  # noqa: E402

FLAG = 0.4
SEED = 20261201


def tiers(items: list[sets.Item], cache: Path, name: str) -> dict[str, list[float]]:
    """Every item's score from each tier and their combinations."""
    head = load_head()
    fast = [score_abuse(i.text, score_words(i.text).matches).score for i in items]
    vectors = embed([i.text for i in items], cache=cache, name=name)
    semantic = [head.predict(v.tolist()) for v in vectors]
    combined = [combine(f, s) for f, s in zip(fast, semantic, strict=True)]
    served = [max(f, c) for f, c in zip(fast, combined, strict=True)]
    return {"fast": fast, "semantic": semantic, "combined": combined, "served": served}


def ucc(data: Path, cache: Path, negatives: int) -> dict[str, object]:
    items = sets.read(data, "ucc")
    rng = random.Random(SEED)  # noqa: S311 - a repeatable sample
    clean = [i for i in items if not i.label]
    chosen = [i for i in items if i.label] + rng.sample(clean, min(negatives, len(clean)))
    scores = tiers(chosen, cache, "ucc")
    labels = [i.label for i in chosen]
    row = {k: round(float(roc_auc_score(labels, v)), 3) for k, v in scores.items()}
    print(f"\nUCC ROC-AUC ({len(chosen)} items, {sum(labels)} abusive; never trained on)")
    for k, v in row.items():
        print(f"  {k:<10} {v:.3f}")
    return {"items": len(chosen), "abusive": sum(labels), "roc_auc": row}


def hatecheck(data: Path, cache: Path, per_functionality: int) -> dict[str, object]:
    items = sets.hatecheck(data)
    if per_functionality:
        items = sets.per_functionality(items, per_functionality, SEED)
    scores = tiers(items, cache, "hatecheck")
    table: dict[str, dict[str, float]] = {}
    for tier in ("fast", "semantic", "combined", "served"):
        by: dict[str, list[bool]] = defaultdict(list)
        for item, value in zip(items, scores[tier], strict=True):
            right = (value >= FLAG) == bool(item.label)
            by[item.extra].append(right)
            by["ALL hateful" if item.label else "ALL non-hateful"].append(right)
        table[tier] = {k: round(sum(v) / len(v), 3) for k, v in sorted(by.items())}
    labels = [i.label for i in items]
    aucs = {k: round(float(roc_auc_score(labels, v)), 3) for k, v in scores.items()}
    print(f"\nHateCheck, share correct at the flag threshold {FLAG} ({len(items)} cases)")
    print(f"  {'functionality':<24} {'fast':>7} {'semantic':>9} {'combined':>9} {'served':>7}")
    for key in table["fast"]:
        cells = " ".join(f"{table[t][key]:>8.1%}" for t in ("fast", "semantic", "combined"))
        print(f"  {key:<24} {cells} {table['served'][key]:>7.1%}")
    print("  ROC-AUC: " + ", ".join(f"{k} {v:.3f}" for k, v in aucs.items()))
    return {"accuracy": table, "roc_auc": aucs}


def latency(data: Path, count: int) -> dict[str, float]:
    """Milliseconds per comment, batched and one at a time, encoder and head together."""
    texts = [i.text for i in sets.read(data, "ucc")][:count]
    head = load_head()
    encoder().embed(texts[:8])  # load and warm
    out: dict[str, float] = {}
    for batch in (64, 32, 8, 1):
        chunk = texts if batch > 1 else texts[:32]
        started = time.perf_counter()
        for v in encoder().embed(chunk, batch_size=batch):
            head.predict(v)
        out[f"batch_{batch}_ms"] = round((time.perf_counter() - started) * 1000 / len(chunk), 1)
    mean_chars = float(np.mean([len(t) for t in texts]))
    print(f"\nLatency, {len(texts)} UCC comments (mean {mean_chars:.0f} chars), ms per comment")
    for k, v in out.items():
        print(f"  {k:<14} {v:>7.1f}  ({1000 / v:.1f} comments/s)")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--ucc-negatives", type=int, default=1500)
    parser.add_argument(
        "--hatecheck-per-functionality", type=int, default=0, help="sample N cases each; 0: all"
    )
    parser.add_argument("--latency", type=int, default=256, help="comments to time; 0: skip")
    parser.add_argument("--out", type=Path, default=ROOT / "eval/results/semantic.json")
    args = parser.parse_args(argv)
    if not available():
        sys.stderr.write("needs the 'semantic' extra: pip install 'belowline[semantic]'\n")
        return 2
    report: dict[str, object] = {
        "hatecheck": hatecheck(args.data_dir, args.cache, args.hatecheck_per_functionality),
        "ucc": ucc(args.data_dir, args.cache, args.ucc_negatives),
    }
    if args.latency:
        report["latency"] = latency(args.data_dir, args.latency)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
