"""The "needs a source" model with a sentence encoder (the `encoder` extra).

The plumbing is tested with a stand-in encoder (fixed vectors), the training tool's
folding of the standardisation into plain weights against scikit-learn's own
predictions, and the real encoder (all-MiniLM-L6-v2) where the extra is installed
(.ci/run installs it). How much it helps is measured in bench/, not here.
"""

import importlib.util
import sys

import pytest
from conftest import ROOT

from checker.config import Settings
from checker.errors import RuleError
from checker.kinds.attribution import encoder as encoder_module
from checker.kinds.attribution import sentence_scores
from checker.kinds.attribution.model import Model
from checker.pipeline import build_document
from checker.rules import apply_overrides, builtin_rules_dir, load_rules, select_rules

ENGLISH = Settings(language="en").validate()
HAS_ENCODER = importlib.util.find_spec("sentence_transformers") is not None
LEAD = "Officials met in Geneva on Monday.\n\n"


def _at101(**params):
    rule = select_rules(load_rules([builtin_rules_dir()]), ["AT101"])[0]
    apply_overrides(rule, params)
    return rule


def _last_score(rule, text):
    doc = build_document(text, "story.txt", ENGLISH)
    return sentence_scores(doc, rule)[-1][1]


def test_a_model_naming_an_encoder_scores_with_the_embedding(monkeypatch):
    """The embedding's dimensions are features `emb:0`...: a weight on them moves the score."""
    monkeypatch.setattr(encoder_module, "check_available", lambda name, path: None)
    monkeypatch.setattr(encoder_module, "embed", lambda name, texts: [[1.0, 0.0] if "12" in t else [0.0, 1.0] for t in texts])
    model = Model({"encoder": "all-MiniLM-L6-v2", "bias": 0.0, "weights": {"emb:0": 3.0, "emb:1": -3.0}}, "m.yaml")
    assert model.encoder == "all-MiniLM-L6-v2"
    rule = _at101()
    rule.prepared = (rule.prepared[0], model)
    doc = build_document(LEAD + "The attack killed 12 people.", "story.txt", ENGLISH)
    assert [round(score, 3) for _index, score in sentence_scores(doc, rule)] == [0.047, 0.953]


def test_without_the_extra_a_model_naming_an_encoder_is_a_rule_error(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "sentence_transformers" else real(name, *a))
    with pytest.raises(RuleError, match=r"model-encoder\.yaml: model: the encoder all-MiniLM-L6-v2 needs the encoder extra: pip install"):
        Model({"encoder": "all-MiniLM-L6-v2", "weights": {}}, "model-encoder.yaml")


def test_an_unknown_encoder_is_a_rule_error():
    with pytest.raises(RuleError, match="unknown encoder 'bert-huge'"):
        Model({"encoder": "bert-huge", "weights": {}}, "m.yaml")


def test_the_training_tool_folds_the_standardisation_into_plain_weights(tmp_path):
    """What the tool writes, scored by the checker's Model, is what scikit-learn predicts."""
    pytest.importorskip("sklearn")
    import random

    import yaml

    sys.path.insert(0, str(ROOT / "tools"))
    import train_attribution_model as training

    rng = random.Random(7)
    data = []
    for n in range(200):
        gold = n % 3 == 0
        features = {"num:digits": float(rng.random() < (0.7 if gold else 0.3)), "emb:0": rng.gauss(2.0 if gold else 0.0, 1.0), "emb:1": rng.gauss(5.0, 3.0)}
        data.append(training.Example(f"a{n % 20}", "copy", gold, features, set()))
    fitted = training.fit(data, frozenset(), 0.1, True, scaled=True)
    out = tmp_path / "model.yaml"
    training.write_model(out, fitted, frozenset(), {}, {}, encoder="all-MiniLM-L6-v2")
    written = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert written["encoder"] == "all-MiniLM-L6-v2"
    model = Model.__new__(Model)  # the weights alone: the encoder is not needed to score given features
    model.bias, model.weights = float(written["bias"]), {k: float(v) for k, v in written["weights"].items()}
    expected = training.predict(fitted, data, frozenset())
    for example in data[:50]:
        assert model.score(example.features) == pytest.approx(expected[id(example)], abs=1e-5)


@pytest.mark.skipif(not HAS_ENCODER, reason="the encoder extra is not installed: pip install -e '.[encoder]'")
def test_the_shipped_encoder_model_tells_a_casualty_figure_from_neutral_framing():
    """The guideline's calibration pair: "The attack killed at least 12 people" needs a
    source, "The summit opened in Astana on Wednesday" does not."""
    rule = _at101(model="data/model-encoder.yaml", threshold=0.6)
    claim = _last_score(rule, LEAD + "The attack killed at least 12 people.")
    framing = _last_score(rule, LEAD + "The summit opened in Astana on Wednesday.")
    assert 0.0 < framing < claim < 1.0
