"""Distilling the encoder model into the plain one (tools/attribution_distil.py).

Stand-in embeddings, no encoder: what is tested is that the student learns, from the
teacher's scores of unlabelled sentences, words that no labelled sentence holds, and
that its vocabulary and its writing follow the tool's rules. How much it helps is
measured in docs/accuracy.md, not here.
"""

import random
import sys

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))


def _labelled(training, rng):
    """Labelled sentences whose embedding's first dimension tells N, and no words in common with the pool."""
    data = []
    for n in range(120):
        gold = n % 2 == 0
        example = training.Example(f"lab{n % 30}", "wire", gold, {"num:digits": float(rng.random() < 0.5)}, {"the"})
        example.embedding = [rng.gauss(2.0 if gold else -2.0, 0.5), rng.gauss(0.0, 1.0)]
        data.append(example)
    return data


def _pool(distil_module, rng):
    """Unlabelled sentences: those whose embedding says N hold "claimed", the others "opened"."""
    pool = []
    for n in range(400):
        claim = n % 2 == 0
        corpus = ("bbc", "reuters")[n // 2 % 2]  # both words in both corpora
        sentence = distil_module.PoolSentence(f"pool{n % 80}", corpus, {"num:digits": 0.5}, {"claimed" if claim else "opened", "a"}, "")
        sentence.embedding = [rng.gauss(2.0 if claim else -2.0, 0.5), rng.gauss(0.0, 1.0)]
        pool.append(sentence)
    return pool


def test_the_student_learns_words_from_the_teachers_scores_alone():
    pytest.importorskip("sklearn")
    import attribution_distil
    import train_attribution_model as training

    rng = random.Random(3)
    fitted, vocab = attribution_distil.distil(_labelled(training, rng), _pool(attribution_distil, rng), c=1.0, min_articles=5)
    assert {"claimed", "opened"} <= vocab  # seen in the pool, never in a label
    vectorizer, scaler, model = fitted
    weights = dict(zip(vectorizer.get_feature_names_out(), model.coef_[0]))
    assert scaler is None
    assert weights["w:claimed"] > 0 > weights["w:opened"]
    probe = [training.Example("x", "wire", True, {"num:digits": 0.5}, {"claimed"}), training.Example("y", "wire", False, {"num:digits": 0.5}, {"opened"})]
    scores = training.predict(fitted, probe, vocab)
    assert scores[id(probe[0])] > 0.5 > scores[id(probe[1])]


def test_the_pool_vocabulary_is_the_words_of_enough_articles():
    import attribution_distil

    def sentence(article, corpus, words):
        return attribution_distil.PoolSentence(article, corpus, {}, set(words), "")

    pool = [sentence(f"a{n}", ("bbc", "reuters")[n % 2], ["both", "common"]) for n in range(6)]
    pool += [sentence(f"b{n}", "bbc", ["bbc_only"]) for n in range(6)]
    pool += [sentence("c0", "reuters", ["rare"]), sentence("c1", "bbc", ["rare"])]
    pool += [sentence("c1", "bbc", ["one_story"]) for _ in range(5)]  # five sentences of one article
    assert attribution_distil.pool_vocabulary(pool, 3) == {"both", "common", "bbc_only"}


def test_a_desk_pool_is_every_unlabelled_text_file_of_its_folders(tmp_path):
    import attribution_distil

    archive = tmp_path / "archive"
    (archive / "2024").mkdir(parents=True)
    (archive / "2024" / "one.txt").write_text("Prices rose.", encoding="utf-8")
    (archive / "notes.md").write_text("not copy", encoding="utf-8")
    (archive / "2024" / "labelled.txt").write_text("Crime fell.", encoding="utf-8")
    (tmp_path / "labelled-copy.txt").write_text("Crime fell.", encoding="utf-8")  # the same article, elsewhere
    pool = attribution_distil.folder_pool([archive], labelled=[tmp_path / "labelled-copy.txt"])
    assert list(pool) == ["archive"]
    assert [text for _path, text in pool["archive"]] == ["Prices rose."]  # no labelled article, no other file type
