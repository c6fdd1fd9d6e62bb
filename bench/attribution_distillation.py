"""Does distilling the encoder model into the plain one help? Measured.

    pip install -e '.[train,encoder]' torch==2.13.0
    python bench/attribution_distillation.py [--per-corpus 1200] [--weight 1 ...] [--c 0.1 ...]
        [--min-articles 20 ...] [--teacher-c 0.01 ...]

Leave-one-corpus-out cross-validation on the train split's sentences that the
recogniser leaves to the model (the examples of tools/train_attribution_model.py;
the frozen test split is never read), as the training tool's `--teacher` runs it
(tools/attribution_distil.py): in each fold the teacher (hand features and the
all-MiniLM-L6-v2 embedding) learns from the other corpora's labels, scores the pool
of unlabelled articles without the held-out corpus, and the student (hand features
and the pool's words) learns from those scores and the labels. Prints, pooled and per
corpus, the ROC AUC and the best precision at recall 0.60 or more of: the plain model
on the labels alone (what shipped before), the teacher, and the student for each
setting asked for (`--min-articles 100000` leaves the student no words). The pool is
embedded once (minutes). Skips with a message when ../shared or the packages are absent.
"""

import argparse
import itertools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-corpus", type=int, default=1200, help="pool articles a corpus")
    parser.add_argument("--weight", type=float, nargs="+", default=[1.0], help="the pool's weight against the labels")
    parser.add_argument("--c", type=float, nargs="+", default=[0.1])
    parser.add_argument("--min-articles", type=int, nargs="+", default=[20])
    parser.add_argument("--teacher-c", type=float, nargs="+", default=[0.01], help="the teacher's regularisation")
    args = parser.parse_args()
    from attribution_encoder import ENCODER, summary, why_skipped

    skipped = why_skipped()
    if skipped:
        print(f"skipped: {skipped}")
        return 0
    import attribution_distil as distillation
    import train_attribution_model as training
    from attribution_labels import article_key

    rule = training.at101_rule()
    data = training.examples(rule, training.classes())
    scored = [e for e in data if e.features is not None]
    pool = distillation.pool_sentences(rule, training.classes(), distillation.default_pool({article_key(e.article) for e in data}, args.per_corpus))
    print(f"{len(scored)} labelled sentences left to the model; pool {len(pool)} sentences of {len({s.article for s in pool})} articles", flush=True)
    distillation.embed_all(ENCODER, pool + scored)

    folds = training.folds(scored)
    plain, teacher = {}, {}
    for _name, held_out in folds:
        train = [e for e in scored if not held_out(e)]
        test = [e for e in scored if held_out(e)]
        plain.update(training.predict(training.fit(train, frozenset(), 0.1, True), test, frozenset()))
        for teacher_c in args.teacher_c:
            teacher.setdefault(teacher_c, {}).update(zip(map(id, test), distillation.fit_teacher(train, teacher_c)(test)))
    print(f"labels alone (hand features): {summary(scored, plain)}")
    for teacher_c in args.teacher_c:
        print(f"teacher (hand features and embedding), C {teacher_c}: {summary(scored, teacher[teacher_c])}")
    for weight, c, min_articles, teacher_c in itertools.product(args.weight, args.c, args.min_articles, args.teacher_c):
        student = {}
        for name, held_out in folds:
            train = [e for e in scored if not held_out(e)]
            test = [e for e in scored if held_out(e)]
            fitted, vocab = distillation.distil(train, [s for s in pool if s.corpus != name], c, min_articles, weight, teacher_c)
            student.update(training.predict(fitted, test, vocab))
        print(f"student, weight {weight} C {c} words in {min_articles}+ pool articles, teacher C {teacher_c}: {summary(scored, student)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
