"""Would more labelled data help the "needs a source" models? The learning curve.

    pip install -e '.[train]'           # the hand-feature model
    pip install -e '.[train,encoder]' torch==2.13.0   # and the encoder model
    python bench/attribution_learning_curve.py [--shares 0.25 0.5 0.75 1] [--draws 3] [--no-encoder]

Leave-one-corpus-out cross-validation over the train split (the frozen test split is
never read), as tools/train_attribution_model.py does it, but each fold is trained on a
share of its training articles only (drawn by article, `--draws` times with fixed
seeds). Prints the pooled ROC AUC of the sentences the recogniser leaves to the model,
for the hand features (C 0.1) and, with the encoder extra, for the hand features and
the embedding (C 0.01), both standardised and class-balanced. A curve still rising at
100% says more labels would pay (bench/attribution/PROTOCOL.md, batches 2 and 3).
Skips with a message when ../shared or the packages are absent.
"""

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

ENCODER = "all-MiniLM-L6-v2"


def pooled_auc(training, data, share, seed, c):
    """ROC AUC of leave-one-corpus-out scores, each fold trained on `share` of its articles."""
    from sklearn.metrics import roc_auc_score

    scores = {}
    for _name, held_out in training.folds(data):
        train = [e for e in data if not held_out(e)]
        articles = sorted({e.article for e in train})
        random.Random(seed).shuffle(articles)
        kept = set(articles[: max(1, int(len(articles) * share))])
        fitted = training.fit([e for e in train if e.article in kept], frozenset(), c, True, scaled=True)
        scores.update(training.predict(fitted, [e for e in data if held_out(e)], frozenset()))
    return roc_auc_score([e.gold for e in data], [scores[id(e)] for e in data])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shares", type=float, nargs="+", default=[0.25, 0.5, 0.75, 1.0])
    parser.add_argument("--draws", type=int, default=3)
    parser.add_argument("--no-encoder", action="store_true")
    args = parser.parse_args()
    if not (SHARED / "corpus").is_dir():
        print(f"skipped: {SHARED} is absent (the labelled corpora)")
        return 0
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("skipped: scikit-learn is not installed (pip install -e '.[train]')")
        return 0
    import train_attribution_model as training

    hand = [e for e in training.examples(training.at101_rule(), training.classes()) if e.features is not None]
    variants = [("hand features", hand, 0.1)]
    if not args.no_encoder:
        try:
            from checker.kinds.attribution.model import add_embeddings

            both = [training.Example(e.article, e.corpus, e.gold, dict(e.features), e.words, e.text) for e in hand]
            add_embeddings(ENCODER, [e.text for e in both], [e.features for e in both])
            variants.append(("hand + embedding", both, 0.01))
        except ImportError as error:
            print(f"(the encoder model left out: {error.name or error} is not installed)")
    print(f"{len(hand)} sentences left to the model (train split), {sum(e.gold for e in hand)} N; pooled ROC AUC:")
    print(f"{'':18s}" + "".join(f"{share:>8.0%}" for share in args.shares))
    for name, data, c in variants:
        row = []
        for share in args.shares:
            draws = range(args.draws) if share < 1 else range(1)  # all the articles: one draw is all there is
            row.append(sum(pooled_auc(training, data, share, seed, c) for seed in draws) / len(draws))
        print(f"{name:18s}" + "".join(f"{auc:8.3f}" for auc in row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
