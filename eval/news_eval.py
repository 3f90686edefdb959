"""Abuse figures on news comments and the bias suites, each set on its own, never trained on.

    python eval/news_eval.py --data-dir PATH/TO/data [--cap 6000] [--out eval/results/news.json]

UCC, Stormfront, OLID's test set, HateCheck, the identity templates and the bias suite's
Wikipedia comments are never in the shipped model's training mix, so the shipped weights are
scored on them. Civil Comments toxic spans is in the mix, so for it the recipe of
``scripts/train_abuse_model.py`` is refitted without it (``--cap`` items per source). Every
score goes through the real scorer (``score_abuse``: our model, alt-profanity-check, floors).
Needs the ``train`` extra (scikit-learn for ROC-AUC and the refit).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from sklearn.metrics import roc_auc_score

from belowline.triage.linear import LinearTextModel
from belowline.triage.scorers.abuse import (
    MODEL_CHARS,
    abuse_model,
    prepare,
    profanity_model,
    score_abuse,
)
from belowline.triage.scorers.wordlists import score_words

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "eval"))
sys.path.insert(0, str(ROOT / "scripts"))
import sets  # noqa: E402
from train_abuse_model import train_model  # noqa: E402

FLAG = 0.4  # the part/no-coverage flag threshold (DEFAULT_POLICY)
IDENTITY = re.compile(
    r"\b(lesbian|gay|bisexual|transgender|trans|queer|homosexual|straight|heterosexual|"
    r"african american|african|black|white|european|hispanic|latino|latina|mexican|canadian|"
    r"american|asian|indian|middle eastern|chinese|japanese|christian|muslim|jewish|buddhist|"
    r"catholic|protestant|sikh|taoist|old|older|young|younger|teenage|elderly|blind|deaf|"
    r"paralyzed|lgbt|lgbtq|nonbinary|male|female)\b"
)


def scores(items: list[sets.Item], model: LinearTextModel) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"ours": [], "profanity": [], "pipeline": []}
    for item in items:
        prepared = prepare(item.text[:MODEL_CHARS])
        out["ours"].append(model.predict(prepared))
        out["profanity"].append(profanity_model().predict(prepared))
        out["pipeline"].append(
            score_abuse(item.text, score_words(item.text).matches, model=model).score
        )
    return out


def auc(items: list[sets.Item], values: list[float]) -> float:
    return round(float(roc_auc_score([i.label for i in items], values)), 3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--cap", type=int, default=6000)
    parser.add_argument("--out", type=Path, default=ROOT / "eval/results/news.json")
    parser.add_argument(
        "--only",
        choices=("sets", "bias"),
        help="just the per-set AUCs, or just HateCheck and the identity templates",
    )
    args = parser.parse_args(argv)
    data, shipped = args.data_dir, abuse_model()
    report: dict[str, object] = {}
    if args.only != "bias":
        report.update(per_set(data, shipped, args.cap))
    if args.only != "sets":
        report.update(bias(data, shipped))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


def per_set(
    data: Path, shipped: LinearTextModel, cap: int, static: object = None
) -> dict[str, object]:
    """ROC-AUC per set: shipped weights on sets never trained on, a refit for civil spans.

    ``static`` refits with the static-embedding block (``eval/static_eval.py``).
    """
    report: dict[str, object] = {}
    print(f"{'set (items, abusive)':<34} {'ours':>6} {'prof.':>6} {'pipeline':>8}  model")
    plan = [(n, shipped, "shipped") for n in ("ucc", "stormfront", "olid-test", "nonfuzzed")]
    refit = train_model(data, exclude=["civil-spans"], limit=cap, static=static)
    plan.append(("civil-spans", refit, "refit without it"))
    for name, model, which in plan:
        items = sets.read(data, name)
        values = scores(items, model)
        row = {k: auc(items, v) for k, v in values.items()}
        label = f"{name} ({len(items)}, {sum(i.label for i in items)})"
        print(f"{label:<34} {row['ours']:>6} {row['profanity']:>6} {row['pipeline']:>8}  {which}")
        report[name] = {"items": len(items), "model": which, **row}
    return report


def bias(data: Path, shipped: LinearTextModel) -> dict[str, object]:
    """HateCheck per functionality and the identity templates' subgroup and BPSN AUCs."""
    report: dict[str, object] = {}
    print(f"\nHateCheck, share correct at the flag threshold {FLAG} (pipeline score)")
    items = sets.hatecheck(data)
    pipeline = scores(items, shipped)["pipeline"]
    by: dict[str, list[bool]] = defaultdict(list)
    for item, value in zip(items, pipeline, strict=True):
        by[item.extra].append((value >= FLAG) == bool(item.label))
        by["ALL hateful" if item.label else "ALL non-hateful"].append(
            (value >= FLAG) == bool(item.label)
        )
    hate = {k: round(sum(v) / len(v), 3) for k, v in sorted(by.items())}
    for k, v in hate.items():
        print(f"  {k:<24} {v:6.1%}  ({len(by[k])})")
    report["hatecheck"] = hate

    print("\nIdentity templates: subgroup ROC-AUC and BPSN AUC (pipeline score)")
    items = sets.madlibs(data)
    values = scores(items, shipped)["pipeline"]
    report["madlibs_all"] = auc(items, values)
    print(f"  all ({len(items)})  {report['madlibs_all']}")
    groups: dict[str, list[int]] = defaultdict(list)
    for k, item in enumerate(items):
        found = IDENTITY.findall(item.text.lower())
        if found:
            groups[found[-1]].append(k)
    sub: dict[str, dict[str, float]] = {}
    for term, rows in sorted(groups.items(), key=lambda g: -len(g[1])):
        inside = set(rows)
        g_items = [items[k] for k in rows]
        if len({i.label for i in g_items}) < 2:
            continue
        bpsn = [k for k in range(len(items)) if (k in inside) != bool(items[k].label)]
        sub[term] = {
            "subgroup": auc(g_items, [values[k] for k in rows]),
            "bpsn": auc([items[k] for k in bpsn], [values[k] for k in bpsn]),
        }
        print(f"  {term:<16} subgroup {sub[term]['subgroup']:.3f}  bpsn {sub[term]['bpsn']:.3f}")
    report["madlibs"] = sub
    return report


if __name__ == "__main__":
    raise SystemExit(main())
