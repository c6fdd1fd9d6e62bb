"""Would a sentence encoder help the "needs a source" model? Measured.

    pip install -e '.[train,encoder]' torch==2.13.0
    python bench/attribution_encoder.py [--c 0.01 0.1]

Takes the train split's sentences that the recogniser leaves to the model (the
examples and hand features of tools/train_attribution_model.py; the frozen test
split is never read), embeds each with the checker's own encoder
(checker/kinds/attribution/encoder.py: all-MiniLM-L6-v2, offline), and compares
by the training tool's leave-one-corpus-out cross-validation three logistic
regressions (class-balanced, standardised on the training folds: the tool's
`fit(..., scaled=True)`): the hand features alone, the embedding alone, and both.
Prints for each the pooled and per-corpus ROC AUC, the best precision at recall
0.60 or more, the best F1, and the encoding time per sentence. Choosing C on
these figures is a choice made on cross-validation, as the training tool's are.

The encoder needs PyTorch (about 750 MB) and takes milliseconds a sentence,
against microseconds for the default model: this script measures whether that
cost buys accuracy (docs/accuracy.md). Skips with a message when ../shared or
the packages are absent.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

ENCODER = "all-MiniLM-L6-v2"


def summary(examples, scores):
    """Pooled and per-corpus ROC AUC, best precision at recall >= 0.60, best F1."""
    import numpy as np
    from sklearn.metrics import precision_recall_curve, roc_auc_score

    gold = np.array([e.gold for e in examples], dtype=int)
    score = np.array([scores[id(e)] for e in examples])
    corpora = np.array([e.corpus for e in examples])
    per_corpus = " ".join(f"{c} {roc_auc_score(gold[corpora == c], score[corpora == c]):.3f}" for c in sorted(set(corpora)))
    precision, recall, _ = precision_recall_curve(gold, score)
    at_recall = max(p for p, r in zip(precision, recall) if r >= 0.60)
    f1 = np.max(2 * precision * recall / np.maximum(precision + recall, 1e-12))
    return f"AUC {roc_auc_score(gold, score):.3f} ({per_corpus}); P at R>=0.60 {at_recall:.3f}; best F1 {f1:.3f}"


def why_skipped():
    """Why an encoder bench cannot run here (../shared or a package absent), or None; loads
    the encoder when it can."""
    if not (SHARED / "corpus").is_dir():
        return f"{SHARED} is absent (the labelled corpora)"
    try:
        import numpy  # noqa: F401
        import sklearn  # noqa: F401

        from checker.kinds.attribution import encoder

        encoder.load(ENCODER)
    except ImportError as error:
        return f"{error.name or error} is not installed (see this script's docstring)"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--c", type=float, nargs="+", default=[0.01, 0.1])
    args = parser.parse_args()
    skipped = why_skipped()
    if skipped:
        print(f"skipped: {skipped}")
        return 0
    import train_attribution_model as training

    from checker.kinds.attribution.model import add_embeddings

    hand = [e for e in training.examples(training.at101_rule(), training.classes()) if e.features is not None]
    print(f"{len(hand)} sentences left to the model (train split), {sum(e.gold for e in hand)} N")

    def variant(features_of):
        return [training.Example(e.article, e.corpus, e.gold, features_of(e), e.words, e.text) for e in hand]

    both = variant(lambda e: dict(e.features))
    start = time.perf_counter()
    add_embeddings(ENCODER, [e.text for e in both], [e.features for e in both])
    print(f"encoding: {(time.perf_counter() - start) / len(both) * 1000:.1f} ms a sentence")
    embedding = [training.Example(e.article, e.corpus, e.gold, {k: v for k, v in e.features.items() if k.startswith("emb:")}, e.words, e.text) for e in both]
    for name, examples in (("hand features", hand), ("embedding", embedding), ("hand + embedding", both)):
        for c in args.c:
            scores = training.cross_validate(examples, c, True, 1000, scaled=True)
            print(f"{name:17s} C={c:<5g} {summary(examples, scores)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
