"""Embeddings of labelled texts, cached on disk by text hash: the model is slow, the data fixed.

The training script and the evaluation embed the same texts through the real encoder
(``belowline.triage.semantic.encoder``); a cache file per name keeps a re-run to seconds.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from belowline.triage.semantic.encoder import DIM, encoder

DEFAULT_CACHE = Path.home() / ".cache" / "belowline-semantic"


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def embed(texts: Sequence[str], *, cache: Path, name: str, chunk: int = 256) -> np.ndarray:
    """One unit-length row per text; missing ones are embedded and saved every ``chunk``."""
    path = cache / f"{name}.npz"
    known: dict[str, np.ndarray] = {}
    if path.exists():
        stored = np.load(path)
        known = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))
    keys = [_key(t) for t in texts]
    todo = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in known}.items())
    started = time.perf_counter()
    for start in range(0, len(todo), chunk):
        part = todo[start : start + chunk]
        vectors = encoder().embed([t for _, t in part])
        known.update(
            (k, np.asarray(v, dtype=np.float32)) for (k, _), v in zip(part, vectors, strict=True)
        )
        cache.mkdir(parents=True, exist_ok=True)
        np.savez(path, keys=np.array(list(known)), vectors=np.stack(list(known.values())))
        done = start + len(part)
        rate = done / (time.perf_counter() - started)
        print(f"  {name}: embedded {done}/{len(todo)} ({rate:.1f}/s)", file=sys.stderr, flush=True)
    if not keys:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.stack([known[k] for k in keys])
