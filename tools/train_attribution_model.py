"""Train the "needs a source" model of the attribution rules, reproducibly.

    pip install -e '.[train,encoder]'
    python tools/train_attribution_model.py --teacher all-MiniLM-L6-v2    # the shipped model.yaml
    python tools/train_attribution_model.py [--labels FILE --base DIR] [--rules DIR] [--out FILE]
        [--teacher all-MiniLM-L6-v2 [--pool DIR]] [--encoder all-MiniLM-L6-v2]

Reads the labelled sentences of the train split (tools/attribution_data.py; the
frozen test split is never read here), runs the checker's own recogniser and
feature extraction (checker/kinds/attribution: the same code that scores at
check time) on each article, and fits an L2-regularised logistic regression
(scikit-learn) on the sentences the recogniser leaves unattributed: label N
against the rest.

Protocol (bench/attribution/PROTOCOL.md): leave-one-corpus-out cross-validation
over reuters, bbc, wmt22 and polnear. Every choice (the regularisation C, the
class weighting, the vocabulary's minimum article count, the threshold) is made
on the pooled cross-validated predictions; the vocabulary of each fold is drawn
from that fold's training corpora only. Prints precision, recall and F1 per
left-out corpus and pooled, and the precision-recall curve; writes the model
trained on all the train split to rules/attribution/data/model.yaml, with the
word classes it counts and the figures it was chosen on.

`--teacher all-MiniLM-L6-v2` (the `encoder` extra, to train only) distils the encoder
model into the plain one (tools/attribution_distil.py): the encoder model, fitted on the
labels, scores the sentences the recogniser leaves in unlabelled articles (`--pool` folders,
or by default 1,200 articles of each of bbc, reuters and polnear under ../shared, leaving
out every labelled article and the test split), and the plain model, its hand features
plus words seen in 20+ pool articles, is fitted to those scores and the
labels. Each cross-validation fold distils again without the held-out corpus. This is how
rules/attribution/data/model.yaml is built; the model checks with no encoder.

`--encoder all-MiniLM-L6-v2` (the `encoder` extra) adds each sentence's embedding to
the features, standardises every feature (the scaling folded into the weights written)
and writes rules/attribution/data/model-encoder.yaml, the opt-in model; C defaults to
0.01 there, as bench/attribution_encoder.py chose on cross-validation. Both models
read the same hand features: a change to them means retraining both.

A desk can retrain on its own labelled copy: write labels in the same TSV form
(path, start, end, label, vague; see bench/attribution/labels.tsv), pass --labels
and --base (the folder the paths are relative to), then point a rule folder of its
own at the new model (see the README). The first folder of each path is taken as
its corpus; with fewer than two corpora, cross-validation is five folds of articles.
"""

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

SHARED = ROOT.parent / "shared"
MODEL = ROOT / "rules" / "attribution" / "data" / "model.yaml"
FEATURES = ROOT / "rules" / "attribution" / "data" / "features.yaml"
SUBJECTIVITY = ROOT / "rules" / "attribution" / "data" / "subjectivity.yaml"
VALENCE = ROOT / "rules" / "attribution" / "data" / "valence.yaml"
ENCODER_MODEL = ROOT / "rules" / "attribution" / "data" / "model-encoder.yaml"


def classes():
    """The word classes the model counts: features.yaml and the subjectivity lexicon."""
    from checker.yamlio import load_yaml_file

    found = {name: list(words) for name, words in load_yaml_file(FEATURES).items()}
    found["subjective"] = list(load_yaml_file(SUBJECTIVITY)["subjective"])
    valence = load_yaml_file(VALENCE)
    found["negative"], found["positive"] = list(valence["negative"]), list(valence["positive"])
    return found


def at101_rule(rule_dirs=()):
    from checker.rules import builtin_rules_dir, load_rules, select_rules

    rule = select_rules(load_rules([builtin_rules_dir(), *rule_dirs]), ["AT101"])[0]
    return rule


class Example:
    __slots__ = ("article", "corpus", "gold", "features", "words", "text", "embedding")

    def __init__(self, article, corpus, gold, features, words, text=""):
        self.article, self.corpus, self.gold, self.features, self.words = article, corpus, gold, features, words
        self.text = text  # the checker's sentence, as the encoder model embeds it at check time
        self.embedding = None  # the teacher's embedding of `text` (--teacher)


def examples(rule, word_classes, split="train", labelled=None):
    """(examples: one per gold sentence with its features or None when the recogniser
    attributes it, gold labels) for every labelled article of the split."""
    from bisect import bisect_right

    from attribution_data import articles

    from checker.config import Settings
    from checker.kinds.attribution import WordClasses, candidates, features_of
    from checker.pipeline import build_document

    settings = Settings(language="en").validate()
    compiled = WordClasses(word_classes)
    found = []
    for article in labelled if labelled is not None else articles(split):
        doc = build_document(article.text, article.path, settings)
        views, covered, groups_of, indices = candidates(doc, rule)
        starts = [s[0] for s in article.sentences]
        by_gold = defaultdict(list)  # gold sentence -> its checker candidates
        for index in indices:
            sentence = doc.sentences[index]
            by_gold[max(0, bisect_right(starts, sentence.start) - 1)].append(index)
        for g, (_start, _end, label, _vague) in enumerate(article.sentences):
            if label == "?":
                continue
            feats = None
            words = set()
            text = ""
            if by_gold.get(g):
                # a gold sentence the checker splits in two: the first part speaks for it
                index = by_gold[g][0]
                [feats] = features_of(doc, views, covered, [index], groups_of, compiled, frozenset())
                words = _words(doc, index)
                text = doc.sentences[index].text
            found.append(Example(article.path, article.corpus, label == "N", feats, words, text))
    return found


def _words(doc, index):
    from checker.kinds.attribution.model import _WORDS

    sentence = doc.sentences[index]
    return set(_WORDS.findall(doc.folded_prose[sentence.start : sentence.end]))


def vocabulary(train, min_articles, min_corpora=2):
    """Words of candidate sentences seen in at least `min_articles` training articles and in
    `min_corpora` corpora (items with `features`, `words`, `article` and `corpus`)."""
    articles_of, corpora_of = defaultdict(set), defaultdict(set)
    for example in train:
        if example.features is None:
            continue
        for word in example.words:
            articles_of[word].add(example.article)
            corpora_of[word].add(example.corpus)
    return frozenset(w for w, arts in articles_of.items() if len(arts) >= min_articles and len(corpora_of[w]) >= min_corpora)


def vectors(batch, vocab):
    rows = []
    for example in batch:
        row = dict(example.features)
        for word in example.words & vocab:
            row["w:" + word] = 1.0
        rows.append(row)
    return rows


def fit(train, vocab, c, balanced, scaled=False):
    """(vectorizer, scaler or None, logistic regression). `scaled`: standardise every
    feature on the training data first (an embedding's dimensions need it; the weights
    written fold the scaling in, so scoring stays a plain weighted sum)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    batch = [e for e in train if e.features is not None]
    vectorizer = DictVectorizer(sparse=not scaled)
    x = vectorizer.fit_transform(vectors(batch, vocab))
    scaler = StandardScaler().fit(x) if scaled else None
    y = [e.gold for e in batch]
    model = LogisticRegression(C=c, class_weight="balanced" if balanced else None, max_iter=5000, solver="lbfgs")
    model.fit(scaler.transform(x) if scaled else x, y)
    return vectorizer, scaler, model


def predict(fitted, batch, vocab):
    vectorizer, scaler, model = fitted
    scored = [e for e in batch if e.features is not None]
    if not scored:
        return {}
    x = vectorizer.transform(vectors(scored, vocab))
    probabilities = model.predict_proba(scaler.transform(x) if scaler is not None else x)[:, 1]
    return {id(e): p for e, p in zip(scored, probabilities)}


def prf(batch, scores, threshold):
    tp = fp = fn = 0
    for e in batch:
        predicted = scores.get(id(e), -1.0) >= threshold
        tp += predicted and e.gold
        fp += predicted and not e.gold
        fn += e.gold and not predicted
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def folds(data):
    """What cross-validation holds out in turn: each corpus, or (with fewer than two)
    a fifth of the articles, by a hash of the path."""
    corpora = sorted({e.corpus for e in data})
    if len(corpora) >= 2:
        return [(corpus, lambda e, c=corpus: e.corpus == c) for corpus in corpora]
    import hashlib

    def fifth(e):
        return int(hashlib.sha256(e.article.encode("utf-8")).hexdigest()[:8], 16) % 5

    return [(f"fold {n}", lambda e, n=n: fifth(e) == n) for n in range(5)]


def cross_validate(data, c, balanced, min_articles, scaled=False):
    """Pooled cross-validated scores: {id(example): score}."""
    scores = {}
    for _name, held_out in folds(data):
        train = [e for e in data if not held_out(e)]
        test = [e for e in data if held_out(e)]
        vocab = vocabulary(train, min_articles)
        scores.update(predict(fit(train, vocab, c, balanced, scaled), test, vocab))
    return scores


def cross_validate_distilled(data, pool, c, min_articles):
    """Pooled cross-validated scores of distilled models (attribution_distil): each fold's
    teacher learns from the other folds' labels, and its pool leaves out the held-out corpus."""
    from attribution_distil import distil

    scores = {}
    for name, held_out in folds(data):
        train = [e for e in data if not held_out(e)]
        test = [e for e in data if held_out(e)]
        fitted, vocab = distil(train, [s for s in pool if s.corpus != name], c, min_articles)
        scores.update(predict(fitted, test, vocab))
    return scores


def best_threshold(data, scores):
    """The threshold with the best F1 (false alarms and misses weigh the same)."""
    best = None
    for t in sorted({round(s, 3) for s in scores.values()}):
        p, r, f = prf(data, scores, t)
        if best is None or f > best[3]:
            best = (t, p, r, f)
    return best


def band_low(data, scores, best, tolerance=0.002):
    """AT104's low end, on a 0.01 grid: the highest threshold whose F1 is within `tolerance`
    of the best F1 (`best`, from best_threshold). F1 is flat over a wide range of low
    thresholds, where its maximum wanders with any change (0.23 or 0.37, 0.002 apart); the
    highest of the near-best keeps AT104 a band, not every sentence."""
    f1 = {step / 100: prf(data, scores, step / 100)[2] for step in range(1, 100)}
    near = [t for t, f in f1.items() if f >= best - tolerance]
    return max(near) if near else max(f1, key=f1.get)  # few labels: the best F1 may fall between grid points


def default_threshold(data, scores, min_recall=0.4):
    """AT101's default: on a 0.05 grid, the threshold with the best precision among
    those keeping recall at `min_recall` or more. A linter's default should favour
    sure findings; the low end of AT104's band is `band_low`'s."""
    best = None
    for step in range(1, 20):
        t = step / 20
        p, r, f = prf(data, scores, t)
        if r >= min_recall and (best is None or p > best[1]):
            best = (t, p, r, f)
    return best


def curve(data, scores, points=(0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8)):
    return [(t, *prf(data, scores, t)) for t in points]


def write_model(path, fitted, vocab, word_classes, meta, encoder=None):
    vectorizer, scaler, model = fitted
    names = vectorizer.get_feature_names_out()
    coefficients, bias = [float(w) for w in model.coef_[0]], float(model.intercept_[0])
    if scaler is not None:  # w·(x - mean)/scale = (w/scale)·x - w·mean/scale
        coefficients = [w / float(scale) for w, scale in zip(coefficients, scaler.scale_)]
        bias -= sum(w * float(mean) for w, mean in zip(coefficients, scaler.mean_))
    digits = 7 if scaler is not None else 5
    weights = {name: round(w, digits) for name, w in zip(names, coefficients) if abs(w) >= 10**-digits}
    lines = [
        "# The 'needs a source' model of the attribution rules: a logistic regression over the",
        "# features of checker/kinds/attribution/model.py. Generated by tools/train_attribution_model.py:",
        "# do not edit; retrain instead.",
    ]
    for key, value in meta.items():
        lines.append(f"# {key}: {value}")
    import yaml

    body = {"bias": round(bias, digits), "classes": word_classes, "weights": dict(sorted(weights.items()))}
    if encoder is not None:
        body = {"encoder": encoder, **body}
    Path(path).write_text("\n".join(lines) + "\n" + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=120), encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rules", action="append", default=[])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--labels", type=Path, help="a desk's own labels (TSV: path, start, end, label, vague)")
    parser.add_argument("--base", type=Path, default=Path("."), help="the folder the paths of --labels are relative to")
    parser.add_argument("--grid", action="store_true", help="search C, class weighting and vocabulary size on cross-validation")
    parser.add_argument("--c", type=float, help="the regularisation (default 0.1; 0.01 with --encoder)")
    from checker.kinds.attribution.encoder import ENCODERS

    parser.add_argument("--encoder", choices=ENCODERS, help="add a sentence encoder's embedding to the features (the encoder extra); "
                        "writes rules/attribution/data/model-encoder.yaml unless --out says otherwise")
    parser.add_argument("--teacher", choices=ENCODERS, help="distil the encoder model into the plain one through unlabelled copy "
                        "(tools/attribution_distil.py; the encoder extra to train, nothing extra to check)")
    parser.add_argument("--pool", action="append", default=[], help="a folder of unlabelled copy (.txt) for --teacher "
                        "(default: our corpora under ../shared, labelled and test articles left out)")
    parser.add_argument("--unbalanced", dest="balanced", action="store_false")
    parser.add_argument("--min-articles", type=int, help="words seen in this many articles (of 2+ corpora; of the pool with --teacher) are features "
                        "(default 1000, no words; 20 with --teacher, counted in the pool)")
    args = parser.parse_args()
    if args.teacher and (args.encoder or args.grid):
        parser.error("--teacher trains the plain model: not with --encoder or --grid")
    if args.teacher and args.labels is not None and not args.pool:
        parser.error("--teacher with --labels needs --pool: a folder of your own unlabelled copy")
    rule = at101_rule(args.rules)
    word_classes = classes()
    labelled = None
    if args.labels is not None:
        from attribution_data import desk_articles

        labelled = desk_articles(args.labels, args.base)
    data = examples(rule, word_classes, labelled=labelled)
    scaled = args.encoder is not None
    if scaled:
        from checker.kinds.attribution.model import add_embeddings

        scored = [e for e in data if e.features is not None]
        add_embeddings(args.encoder, [e.text for e in scored], [e.features for e in scored])
    out = args.out or (ENCODER_MODEL if scaled else MODEL)
    c_default = 0.01 if scaled else 0.1
    source = f"{args.labels}" if labelled is not None else "bench/attribution/labels.tsv and the development gold"
    corpora = sorted({e.corpus for e in data})
    counts = Counter((e.corpus, e.gold, e.features is not None) for e in data)
    print(f"{'labels' if labelled is not None else 'train split'}: {len(data)} labelled sentences, {sum(e.gold for e in data)} N; "
          f"the recogniser attributes {sum(1 for e in data if e.features is None)} "
          f"({sum(1 for e in data if e.features is None and e.gold)} of them N: recall lost before the model)")
    for corpus in corpora:
        print(f"  {corpus}: N {counts[corpus, True, True] + counts[corpus, True, False]}, "
              f"N left to the model {counts[corpus, True, True]}, others left {counts[corpus, False, True]}")
    pool = None
    if args.teacher:
        from attribution_distil import default_pool, embed_all, folder_pool, pool_sentences
        from attribution_labels import article_key

        if args.pool:
            base = args.base if labelled is not None else SHARED
            articles = folder_pool(args.pool, labelled={base / e.article for e in data})
        else:
            articles = default_pool({article_key(e.article) for e in data})
        pool = pool_sentences(rule, word_classes, articles)
        if not pool:
            parser.error(f"the pool ({', '.join(args.pool) or '../shared'}) holds no sentence to learn from: give folders of .txt articles")
        print(f"pool: {len(pool)} sentences left to the model in {len({s.article for s in pool})} unlabelled articles; "
              f"embedding them and the labelled ones with {args.teacher} (minutes)", flush=True)
        embed_all(args.teacher, pool + [e for e in data if e.features is not None])
    min_articles_default = 20 if args.teacher else 1000
    settings = [(args.c or c_default, args.balanced, args.min_articles or min_articles_default)]
    if args.grid:
        grid = (0.003, 0.01, 0.03, 0.1) if scaled else (0.05, 0.1, 0.25, 0.5, 1.0, 2.0)
        settings = [(c, b, m) for c in grid for b in (False, True) for m in (3, 5, 10, 1000)]
    results = []
    for c, balanced, min_articles in settings:
        scores = cross_validate_distilled(data, pool, c, min_articles) if pool is not None else cross_validate(data, c, balanced, min_articles, scaled)
        t, p, r, f = best_threshold(data, scores)
        results.append((f, c, balanced, min_articles, t, p, r, scores))
        print(f"  C={c} balanced={balanced} min_articles={min_articles}: best threshold {t:.3f}: P {p:.3f} R {r:.3f} F1 {f:.3f}")
    f, c, balanced, min_articles, t, p, r, scores = max(results, key=lambda row: row[0])
    print(f"chosen on cross-validation: C={c} balanced={balanced} min_articles={min_articles} threshold={t:.3f}")
    print("per corpus (cross-validated), at that threshold:")
    for corpus in corpora:
        batch = [e for e in data if e.corpus == corpus]
        cp, cr, cf = prf(batch, scores, t)
        print(f"  {corpus:8s} P {cp:.3f} R {cr:.3f} F1 {cf:.3f}  (N {sum(e.gold for e in batch)})")
    print(f"  {'pooled':8s} P {p:.3f} R {r:.3f} F1 {f:.3f}")
    default, dp, dr, df = default_threshold(data, scores)
    low = band_low(data, scores, f)
    print(f"AT101 default threshold {default:.2f}: P {dp:.3f} R {dr:.3f} F1 {df:.3f}; "
          f"AT104 band from {low:.2f} (the highest threshold with F1 within 0.002 of the best)")
    print("precision-recall curve (pooled cross-validation):")
    for threshold, cp, cr, cf in curve(data, scores):
        print(f"  threshold {threshold:.2f}: P {cp:.3f} R {cr:.3f} F1 {cf:.3f}")
    if pool is not None:
        from attribution_distil import distil

        fitted, vocab = distil(data, pool, c, min_articles)
    else:
        vocab = vocabulary(data, min_articles)
        fitted = fit(data, vocab, c, balanced, scaled)
    meta = {
        "trained on": f"{len(data)} labelled sentences ({sum(e.gold for e in data)} N), {source}",
        "chosen on": f"cross-validation ({', '.join(name for name, _ in folds(data))} held out in turn): C={c}, "
        f"class weights {'balanced' if balanced else 'none'}, words in {min_articles}+ {'pool articles' if pool is not None else 'articles of 2+ corpora'} ({len(vocab)} words)",
        "cross-validated": f"F1-best threshold {t:.3f}: precision {p:.3f}, recall {r:.3f}, F1 {f:.3f}; AT101 default {default:.2f}: precision {dp:.3f}, recall {dr:.3f}",
    }
    if pool is not None:
        meta["distilled"] = (f"from the {args.teacher} encoder model, through {len(pool)} sentences of "
                             f"{len({s.article for s in pool})} unlabelled articles ({', '.join(args.pool) or 'our corpora'}) that it scored; "
                             "the words are counted in those articles (tools/attribution_distil.py)")
    if scaled:
        meta["features"] = f"the hand features and the {args.encoder} embedding, standardised (folded into the weights)"
    write_model(out, fitted, vocab, word_classes, meta, args.encoder)
    print(f"wrote {out} ({len(vocab)} words); set the rules' threshold to {default:.2f} and band_low to {low:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
