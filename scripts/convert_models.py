"""Convert the abuse models to the plain gzip'd JSON that Belowline ships and serves from.

    python scripts/convert_models.py [--abuse-joblib FILE] [--out-dir DIR]

Needs the ``train`` extra (``pip install 'belowline[train]'``): scikit-learn and joblib to
unpickle alt-profanity-check's shipped model. Run once when alt-profanity-check changes;
workers then load the weights with the standard library alone.

- ``profanity.json.gz``: alt-profanity-check's TF-IDF + calibrated linear SVM, as the
  n-gram -> (idf, idf x coefficient) tables of :mod:`belowline.triage.linear` (12 digits,
  the same numbers its ``predict_prob`` gives to 1e-9), with its MIT licence notice written
  beside it as ``profanity-check-LICENSE.txt``.
- ``abuse.json.gz``: with ``--abuse-joblib``, an older ``abuse.joblib`` of our own model
  rewritten in the new format (``scripts/train_abuse_model.py`` now writes it directly).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
from pathlib import Path

from belowline.extras import require_train_extra

require_train_extra("scripts/convert_models.py", ("sklearn", "joblib", "profanity_check"))

import joblib  # noqa: E402

from belowline.triage.linear import LinearTextModel, dump_model, from_sklearn  # noqa: E402

DIST = "alt-profanity-check"
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "src/belowline/triage/models"


def profanity_data_dir() -> Path:
    """Where alt-profanity-check keeps its pickled vectorizer and model."""
    spec = importlib.util.find_spec("profanity_check")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{DIST} is not installed: pip install 'belowline[train]'")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def convert_profanity(data: Path) -> LinearTextModel:
    """alt-profanity-check's vectorizer and calibrated classifier as one linear text model."""
    vectorizer = joblib.load(data / "vectorizer.joblib")
    calibrated = joblib.load(data / "model.joblib")
    heads = calibrated.calibrated_classifiers_
    version = importlib.metadata.version(DIST)
    return from_sklearn(
        [vectorizer],
        [h.estimator.coef_[0] for h in heads],
        [float(h.estimator.intercept_[0]) for h in heads],
        calibration=[(float(h.calibrators[0].a_), float(h.calibrators[0].b_)) for h in heads],
        digits=12,
        meta={
            "source": f"{DIST} {version}",
            "licence": "MIT (see profanity-check-LICENSE.txt)",
            "authors": importlib.metadata.metadata(DIST)["Author"],
        },
    )


def licence_notice() -> str:
    """alt-profanity-check's licence file from its installed dist-info, with where it is from."""
    dist = importlib.metadata.distribution(DIST)
    files = [f for f in dist.files or () if f.name.upper().startswith("LICEN")]
    if not files:
        raise SystemExit(f"no licence file in {DIST}'s dist-info")
    text = files[0].read_text(encoding="utf-8")
    home = dist.metadata["Home-page"] or ""
    return (
        f"profanity.json.gz holds the weights of {DIST} {dist.version} ({home}),\n"
        "converted to plain JSON by scripts/convert_models.py. Its licence:\n\n" + text
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--abuse-joblib", type=Path, help="an old abuse.joblib to rewrite")
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    out: Path = args.out_dir
    out.mkdir(parents=True, exist_ok=True)
    written = {"profanity.json.gz": dump_model(convert_profanity(profanity_data_dir()))}
    if args.abuse_joblib is not None:
        state = joblib.load(args.abuse_joblib)
        written["abuse.json.gz"] = dump_model(LinearTextModel.from_state(state))
    for name, data in written.items():
        (out / name).write_bytes(data)
        print(f"wrote {name}: {len(data) / 1e6:.2f} MB")  # noqa: T201
    (out / "profanity-check-LICENSE.txt").write_text(licence_notice(), encoding="utf-8")
    print("wrote profanity-check-LICENSE.txt")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
