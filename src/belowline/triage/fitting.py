"""Fit a TF-IDF + logistic regression text model in pure Python, for a live site's retraining.

A site learns from a few thousand of its moderators' decisions (``belowline.learning.service``);
that runs on the serving install, which carries no NumPy, SciPy or scikit-learn. The recipe
is scikit-learn's: ``TfidfVectorizer`` blocks (``min_df``, smooth idf, binary counts as in the
shipped model, or optionally sublinear tf; each block l2-normalised) stacked into a
``LogisticRegression`` with an l2 penalty ``1/(2C)``, an unpenalised intercept and optionally
balanced class weights, minimised by L-BFGS. The result is a
:class:`~belowline.triage.linear.LinearTextModel` whose binary blocks score through the same
fast path (cached per-word n-gram values) as the shipped model's.

Sparse products go through ``map``/``sum`` over index and value lists (C loops, not Python
ones): one objective-and-gradient pass costs a few tens of nanoseconds per non-zero.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from operator import mul

from belowline.triage.linear import Analyzer, LinearTextModel, TfidfPart

__all__ = ["fit_text_classifier", "roc_auc"]

Block = tuple[Analyzer, tuple[int, int]]
DEFAULT_BLOCKS: tuple[Block, ...] = (("word", (1, 2)), ("char_wb", (2, 5)))


def roc_auc(labels: Sequence[int], scores: Sequence[float]) -> float:
    """Area under the ROC curve (ties count half), as scikit-learn's ``roc_auc_score``."""
    positives = sum(1 for y in labels if y == 1)
    negatives = len(labels) - positives
    if positives == 0 or negatives == 0:
        raise ValueError("ROC-AUC needs both classes")
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    rank_sum = 0.0
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        mid_rank = (i + j) / 2 + 1  # 1-based average rank of the tied run
        rank_sum += mid_rank * sum(1 for k in order[i : j + 1] if labels[k] == 1)
        i = j + 1
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def _tf(count: int, *, binary: bool, sublinear_tf: bool) -> float:
    if binary:
        return 1.0
    return 1.0 + math.log(count) if sublinear_tf else float(count)


def _vectorise(
    texts: Sequence[str],
    blocks: Sequence[Block],
    *,
    min_df: int,
    sublinear_tf: bool,
    binary: bool,
) -> tuple[list[TfidfPart], list[tuple[list[int], list[float]]], int]:
    """The TF-IDF parts (idf only) and each text's sparse row over all blocks."""
    n = len(texts)
    parts: list[TfidfPart] = []
    rows: list[tuple[list[int], list[float]]] = [([], []) for _ in texts]
    offset = 0
    for analyzer, ngram_range in blocks:
        probe = TfidfPart(analyzer, ngram_range, {})
        counts = [Counter(probe.ngrams(t)) for t in texts]
        df: Counter[str] = Counter()
        for c in counts:
            df.update(c.keys())
        vocabulary = sorted(g for g, d in df.items() if d >= min_df)
        index = {g: offset + k for k, g in enumerate(vocabulary)}
        idf = {g: math.log((1 + n) / (1 + df[g])) + 1.0 for g in vocabulary}
        for (columns, values), c in zip(rows, counts, strict=True):
            known = [
                (index[g], _tf(k, binary=binary, sublinear_tf=sublinear_tf) * idf[g])
                for g, k in c.items()
                if g in index
            ]
            norm = math.sqrt(sum(v * v for _, v in known)) or 1.0
            columns.extend(j for j, _ in known)
            values.extend(v / norm for _, v in known)
        parts.append(TfidfPart(analyzer, ngram_range, {g: (idf[g],) for g in vocabulary}))
        offset += len(vocabulary)
    return parts, rows, offset


def _log1pexp(x: float) -> float:
    return x + math.log1p(math.exp(-x)) if x > 0 else math.log1p(math.exp(x))


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


class _Objective:
    """Weighted logistic loss + ``|w|^2 / 2C`` over sparse rows; the last coordinate is b."""

    def __init__(
        self,
        rows: list[tuple[list[int], list[float]]],
        signs: list[float],
        weights: list[float],
        width: int,
        c: float,
    ) -> None:
        self.rows, self.signs, self.weights, self.width = rows, signs, weights, width
        self.inverse_c = 1.0 / c
        columns: list[tuple[list[int], list[float]]] = [([], []) for _ in range(width)]
        for i, (cols, vals) in enumerate(rows):
            for j, v in zip(cols, vals, strict=True):
                columns[j][0].append(i)
                columns[j][1].append(v)
        self.columns = columns

    def __call__(self, theta: list[float]) -> tuple[float, list[float]]:
        w, b = theta, theta[-1]
        get = w.__getitem__
        loss = 0.0
        residuals = []
        for (cols, vals), y, s in zip(self.rows, self.signs, self.weights, strict=True):
            margin = y * (b + sum(map(mul, vals, map(get, cols))))
            loss += s * _log1pexp(-margin)
            residuals.append(-s * y * _sigmoid(-margin))
        penalty = sum(map(mul, w[: self.width], w[: self.width])) * self.inverse_c / 2
        res = residuals.__getitem__
        grad = [
            sum(map(mul, vals, map(res, docs))) + w[j] * self.inverse_c
            for j, (docs, vals) in enumerate(self.columns)
        ]
        grad.append(sum(residuals))
        return loss + penalty, grad


def _dot(a: list[float], b: list[float]) -> float:
    return float(sum(map(mul, a, b)))


def _lbfgs(
    objective: _Objective, size: int, *, max_iter: int, tol: float, memory: int = 10
) -> list[float]:
    """Minimise with L-BFGS and a backtracking (Armijo) line search; stops on max |gradient|."""
    x = [0.0] * size
    f, g = objective(x)
    history: list[tuple[list[float], list[float], float]] = []
    for _ in range(max_iter):
        if max(map(abs, g)) <= tol:
            break
        q = list(g)
        alphas = []
        for s, y, rho in reversed(history):
            a = rho * _dot(s, q)
            alphas.append(a)
            q = [qi - a * yi for qi, yi in zip(q, y, strict=True)]
        if history:
            s, y, _ = history[-1]
            gamma = _dot(s, y) / _dot(y, y)
        else:
            gamma = 1.0 / max(1.0, math.sqrt(_dot(g, g)))
        r = [gamma * qi for qi in q]
        for (s, y, rho), a in zip(history, reversed(alphas), strict=True):
            beta = rho * _dot(y, r)
            r = [ri + (a - beta) * si for ri, si in zip(r, s, strict=True)]
        direction = [-ri for ri in r]
        slope = _dot(g, direction)
        if slope >= 0:  # not a descent direction: restart from steepest descent
            history.clear()
            direction = [-gi for gi in g]
            slope = -_dot(g, g)
        step = 1.0
        while True:
            trial = [xi + step * di for xi, di in zip(x, direction, strict=True)]
            f_new, g_new = objective(trial)
            if f_new <= f + 1e-4 * step * slope or step < 1e-10:
                break
            step /= 2
        s_vec = [t - xi for t, xi in zip(trial, x, strict=True)]
        y_vec = [a - b for a, b in zip(g_new, g, strict=True)]
        curvature = _dot(s_vec, y_vec)
        if curvature > 1e-12:
            history.append((s_vec, y_vec, 1.0 / curvature))
            del history[:-memory]
        converged = f - f_new <= 1e-12 * max(1.0, abs(f))
        x, f, g = trial, f_new, g_new
        if converged:
            break
    return x


def fit_text_classifier(
    texts: Sequence[str],
    labels: Sequence[int],
    *,
    blocks: Sequence[Block] = DEFAULT_BLOCKS,
    min_df: int = 2,
    binary: bool = True,
    sublinear_tf: bool = False,
    c: float = 4.0,
    balanced: bool = True,
    max_iter: int = 300,
    tol: float = 1e-4,
    digits: int = 6,
) -> LinearTextModel:
    """Fit TF-IDF blocks and a logistic regression on lowercased ``texts`` with 0/1 ``labels``.

    ``binary`` (the default) counts each n-gram once, as the shipped model does, so a site's
    model scores through the same fast path; ``sublinear_tf`` applies only without it.
    """
    if len(texts) != len(labels) or len(set(labels)) != 2 or not set(labels) <= {0, 1}:
        raise ValueError("need texts with labels of both classes, 0 and 1")
    sublinear_tf = sublinear_tf and not binary
    parts, rows, width = _vectorise(
        texts, blocks, min_df=min_df, sublinear_tf=sublinear_tf, binary=binary
    )
    counts = Counter(labels)
    weights = [len(labels) / (2 * counts[y]) if balanced else 1.0 for y in labels]
    signs = [1.0 if y == 1 else -1.0 for y in labels]
    # ``tol`` bounds the gradient of the mean loss, as scikit-learn's lbfgs solver does.
    theta = _lbfgs(
        _Objective(rows, signs, weights, width, c),
        width + 1,
        max_iter=max_iter,
        tol=tol * sum(weights),
    )
    fitted = []
    offset = 0
    for part in parts:
        table = {}
        for k, (gram, (idf,)) in enumerate(part.table.items()):
            table[gram] = (round(idf, digits), round(idf * theta[offset + k], digits))
        fitted.append(
            TfidfPart(part.analyzer, part.ngram_range, table, sublinear_tf, binary=binary)
        )
        offset += len(part.table)
    return LinearTextModel(parts=tuple(fitted), intercepts=(theta[-1],))
