"""Distilling a sentence encoder into the plain "needs a source" model.

    from attribution_distil import default_pool, pool_sentences, distil

The encoder model (hand features plus a MiniLM embedding) ranks sentences better
than the hand features alone, but it needs PyTorch and milliseconds a sentence at
check time. Here it only teaches: trained on the labelled sentences, it scores the
sentences that the recogniser leaves in many *unlabelled* articles (the pool), and
the plain model, hand features plus words, is fitted to those scores and to the
labels. The words it learns are seen in many articles of the pool, far more than
the labels hold; checking then needs no encoder at all.

Used by tools/train_attribution_model.py (`--teacher`). Every fold of its
cross-validation distils again without the held-out corpus: the teacher learns from
the other corpora's labels, and the pool loses the held-out corpus's articles.
"""

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

# Our unlabelled pool: articles of these folders (under ../shared), the first
# POOL_PER_CORPUS of each corpus in the order of a hash of the path, leaving out every
# labelled article and every article of the frozen test split.
POOL_FOLDERS = {
    "bbc": ("corpus/bbc",),
    "reuters": ("corpus/reuters",),
    "polnear": ("corpus/polnear/train/text", "corpus/polnear/dev/text"),
}
POOL_PER_CORPUS = 1200
TEACHER_C = 0.01  # the encoder model's regularisation (bench/attribution_encoder.py)
PSEUDO_WEIGHT = 1.0  # a pool sentence counts as much as a labelled one; flat on cross-validation


class PoolSentence:
    __slots__ = ("article", "corpus", "features", "words", "text", "embedding")

    def __init__(self, article, corpus, features, words, text):
        self.article, self.corpus, self.features, self.words, self.text = article, corpus, features, words, text
        self.embedding = None


def default_pool(exclude_keys, per_corpus=POOL_PER_CORPUS):
    """{corpus: [(path under ../shared, text)]} of our unlabelled pool; `exclude_keys`:
    the article keys (attribution_labels.article_key) of the labelled articles."""
    from attribution_labels import article_key, is_test

    pool = {}
    for corpus, folders in POOL_FOLDERS.items():
        paths = sorted((str(p.relative_to(SHARED)) for folder in folders for p in (SHARED / folder).rglob("*.txt")), key=_hash)
        kept = [p for p in paths if article_key(p) not in exclude_keys and not is_test(p)][:per_corpus]
        pool[corpus] = [(p, (SHARED / p).read_bytes().decode("utf-8-sig", "replace")) for p in kept]
    return pool


def folder_pool(folders, labelled=()):
    """{corpus: [(path, text)]} of a desk's own unlabelled copy: every .txt file under
    each folder, the folder's name as its corpus, leaving out any file whose bytes are those
    of a `labelled` file (paths): the teacher's scores of a labelled article would carry its
    labels into cross-validation."""
    left_out = {hashlib.sha256(Path(p).read_bytes()).digest() for p in labelled if Path(p).is_file()}
    pool = {}
    for folder in map(Path, folders):
        found = pool.setdefault(folder.name, [])
        for path in sorted(folder.rglob("*.txt")):
            data = path.read_bytes()
            if hashlib.sha256(data).digest() not in left_out:
                found.append((str(path), data.decode("utf-8-sig", "replace")))
    return pool


def _hash(path):
    return hashlib.sha256(path.encode("utf-8")).hexdigest()


def pool_sentences(rule, word_classes, pool):
    """The sentences of the pool's articles that the recogniser leaves to the model,
    with their hand features (as tools/train_attribution_model.examples computes them)."""
    from train_attribution_model import _words

    from checker.config import Settings
    from checker.kinds.attribution import WordClasses, candidates, features_of
    from checker.pipeline import build_document

    settings = Settings(language="en").validate()
    compiled = WordClasses(word_classes)
    found = []
    for corpus, articles in pool.items():
        for path, text in articles:
            doc = build_document(text, path, settings)
            views, covered, groups_of, indices = candidates(doc, rule)
            for index, features in zip(indices, features_of(doc, views, covered, indices, groups_of, compiled, frozenset())):
                found.append(PoolSentence(path, corpus, features, _words(doc, index), doc.sentences[index].text))
    return found


def embed_all(encoder, items):
    """Set `.embedding` (a list of floats) of each item (an Example or a PoolSentence) from its text."""
    from checker.kinds.attribution.encoder import embed

    for item, vector in zip(items, embed(encoder, [item.text for item in items])):
        item.embedding = vector


def fit_teacher(train, c=TEACHER_C):
    """The encoder model fitted on `train` (Examples with features and an embedding): a
    function from items (Examples or PoolSentences with an embedding) to their scores."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    labelled = [e for e in train if e.features is not None]
    hand = DictVectorizer(sparse=False).fit([e.features for e in labelled])

    def rows(items):
        return np.hstack([hand.transform([i.features for i in items]), np.array([i.embedding for i in items])])

    x = rows(labelled)
    scaler = StandardScaler().fit(x)
    teacher = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(scaler.transform(x), [e.gold for e in labelled])
    return lambda items: teacher.predict_proba(scaler.transform(rows(items)))[:, 1]


def distil(train, pool, c, min_articles, weight=PSEUDO_WEIGHT, teacher_c=TEACHER_C):
    """(vectorizer, None, logistic regression) and the vocabulary of the student: fitted to
    the labels of `train` (Examples with features and an embedding; class-balanced) and to
    the teacher's scores of `pool` (each pool sentence twice, as N weighted by its score and
    as not N by the rest, times `weight`). The teacher is `fit_teacher(train, teacher_c)`; the
    vocabulary is `pool_vocabulary`'s."""
    import numpy as np
    from scipy.sparse import vstack
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from train_attribution_model import vectors

    labelled = [e for e in train if e.features is not None]
    gold = np.array([e.gold for e in labelled], dtype=int)
    taught = fit_teacher(labelled, teacher_c)(pool)
    vocab = pool_vocabulary(pool, min_articles)
    student = DictVectorizer(sparse=True)
    pool_x = student.fit_transform(vectors(pool, vocab))
    labelled_x = student.transform(vectors(labelled, vocab))
    share = gold.mean()
    balanced = np.where(gold == 1, 0.5 / share, 0.5 / (1 - share))
    model = LogisticRegression(C=c, max_iter=5000).fit(
        vstack([pool_x, pool_x, labelled_x]),
        np.concatenate([np.ones(len(pool)), np.zeros(len(pool)), gold]),
        sample_weight=np.concatenate([weight * taught, weight * (1 - taught), balanced]),
    )
    return (student, None, model), vocab


def pool_vocabulary(pool, min_articles):
    """The words seen in `min_articles` or more pool articles. (Asking two corpora of each
    word too, as the words learned from labels alone do, cost 0.007 of cross-validated ROC
    AUC: the pool's many articles already keep out one story's words.)"""
    from train_attribution_model import vocabulary

    return vocabulary(pool, min_articles, min_corpora=1)
