"""The fine-tuned encoder's figures beside the fast tier and the frozen head, each set on its own.

    nice -n 15 python scripts/eval_finetuned.py --data-dir PATH/TO/data --model DIR
        [--ucc-negatives 600] [--hatecheck-per-functionality 30] [--latency 64]

Same samples as ``scripts/eval_semantic.py`` (same seed): UCC (Globe and Mail; measuring only)
with all 815 abusive comments and ``--ucc-negatives`` others, HateCheck with N cases per
functionality; neither is in any training mix. Tiers: ``fast`` (the post path's
``score_abuse``), ``frozen`` (the shipped head over the frozen encoder, from the embedding
cache), ``tuned`` (the fine-tuned encoder and its head, ``DIR`` from
``scripts/finetune_encoder.py``), ``combined`` (the mean of fast and tuned, as the semantic
tier combines) and ``served`` (``max(fast, combined)``: the tier only adds flags). HateCheck is
read at the 0.4 flag threshold. Throughput: the tuned model over batches of real UCC comments,
on this machine as loaded now. Needs the ``train`` and ``semantic`` extras.
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

require_train_extra("scripts/eval_finetuned.py", ("sklearn", "numpy"))

import torch  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402

from belowline.triage.scorers.abuse import score_abuse  # noqa: E402
from belowline.triage.scorers.wordlists import score_words  # noqa: E402
from belowline.triage.semantic.head import combine, load_head  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "eval"))
sys.path.insert(0, str(ROOT / "scripts"))
import sets  # noqa: E402
from embed_cache import DEFAULT_CACHE, embed  # noqa: E402
from finetune_encoder import Classifier, load_checkpoint, predict  # noqa: E402

FLAG = 0.4
SEED = 20261201  # eval_semantic.py's seed: the same samples
TIERS = ("fast", "frozen", "tuned", "combined", "served")


def tiers(
    items: list[sets.Item], model: Classifier, tokenizer: object, cache: Path, name: str
) -> dict[str, list[float]]:
    """Every item's score from each tier and their combinations."""
    fast = [score_abuse(i.text, score_words(i.text).matches).score for i in items]
    head = load_head()
    frozen = [
        head.predict(v.tolist()) for v in embed([i.text for i in items], cache=cache, name=name)
    ]
    started = time.perf_counter()
    tuned = predict(model, tokenizer, [i.text for i in items])
    print(f"  {name}: tuned model scored {len(items)} in {time.perf_counter() - started:.0f} s")
    combined = [combine(f, s) for f, s in zip(fast, tuned, strict=True)]
    served = [max(f, c) for f, c in zip(fast, combined, strict=True)]
    return {"fast": fast, "frozen": frozen, "tuned": tuned, "combined": combined, "served": served}


def ucc(
    data: Path, model: Classifier, tokenizer: object, cache: Path, negatives: int
) -> dict[str, object]:
    items = sets.read(data, "ucc")
    rng = random.Random(SEED)  # noqa: S311 - a repeatable sample
    clean = [i for i in items if not i.label]
    chosen = [i for i in items if i.label] + rng.sample(clean, min(negatives, len(clean)))
    scores = tiers(chosen, model, tokenizer, cache, "ucc")
    labels = [i.label for i in chosen]
    row = {k: round(float(roc_auc_score(labels, v)), 3) for k, v in scores.items()}
    print(f"\nUCC ROC-AUC ({len(chosen)} items, {sum(labels)} abusive; never trained on)")
    for k, v in row.items():
        print(f"  {k:<10} {v:.3f}")
    return {"items": len(chosen), "abusive": sum(labels), "roc_auc": row}


def hatecheck(
    data: Path, model: Classifier, tokenizer: object, cache: Path, per_functionality: int
) -> dict[str, object]:
    items = sets.hatecheck(data)
    if per_functionality:
        items = sets.per_functionality(items, per_functionality, SEED)
    scores = tiers(items, model, tokenizer, cache, "hatecheck")
    table: dict[str, dict[str, float]] = {}
    for tier in TIERS:
        by: dict[str, list[bool]] = defaultdict(list)
        for item, value in zip(items, scores[tier], strict=True):
            right = (value >= FLAG) == bool(item.label)
            by[item.extra].append(right)
            by["ALL hateful" if item.label else "ALL non-hateful"].append(right)
        table[tier] = {k: round(sum(v) / len(v), 3) for k, v in sorted(by.items())}
    labels = [i.label for i in items]
    aucs = {k: round(float(roc_auc_score(labels, v)), 3) for k, v in scores.items()}
    print(f"\nHateCheck, share correct at the flag threshold {FLAG} ({len(items)} cases)")
    print(f"  {'functionality':<24} " + " ".join(f"{t:>8}" for t in TIERS))
    for key in table["fast"]:
        print(f"  {key:<24} " + " ".join(f"{table[t][key]:>8.1%}" for t in TIERS))
    print("  ROC-AUC: " + ", ".join(f"{k} {v:.3f}" for k, v in aucs.items()))
    return {"items": len(items), "accuracy": table, "roc_auc": aucs}


def throughput(data: Path, model: Classifier, tokenizer: object, count: int) -> dict[str, float]:
    """Milliseconds per comment for the tuned model, batched, on the machine as loaded now."""
    texts = [i.text for i in sets.read(data, "ucc")][:count]
    predict(model, tokenizer, texts[:8])  # warm
    out: dict[str, float] = {"threads": float(torch.get_num_threads())}
    for batch in (64, 8):
        started = time.perf_counter()
        predict(model, tokenizer, texts, size=batch)
        out[f"batch_{batch}_ms"] = round((time.perf_counter() - started) * 1000 / len(texts), 1)
    print(f"\nThroughput, {len(texts)} UCC comments, {torch.get_num_threads()} thread(s)")
    for k, v in out.items():
        if k != "threads":
            print(f"  {k:<14} {v:>7.1f} ms  ({1000 / v:.1f} comments/s)")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--ucc-negatives", type=int, default=600)
    parser.add_argument("--hatecheck-per-functionality", type=int, default=30)
    parser.add_argument("--latency", type=int, default=64, help="comments to time; 0: skip")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "eval/results/finetuned.json")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    model, tokenizer = load_checkpoint(args.model)
    model.eval()
    report: dict[str, object] = {
        "model": json.loads((args.model / "head.json").read_text(encoding="utf-8"))["meta"],
        "hatecheck": hatecheck(
            args.data_dir, model, tokenizer, args.cache, args.hatecheck_per_functionality
        ),
        "ucc": ucc(args.data_dir, model, tokenizer, args.cache, args.ucc_negatives),
    }
    if args.latency:
        report["throughput"] = throughput(args.data_dir, model, tokenizer, args.latency)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
