"""The "needs a source" model: a regularised linear model that scores a sentence the
recogniser leaves unattributed, from general features.

The model is a data file (rules/attribution/data/model.yaml): the word classes it
counts, a weight for each feature and a bias. Scoring is plain Python (a sum and
a logistic function); no training library is needed to run it.
tools/train_attribution_model.py rebuilds it from labelled sentences, with the
same `features` function, so training and checking can never disagree.

Features, each a number near 0 to 1:
- the recogniser's view: an attribution or a credit in the sentence before or
  after, in the paragraph (its carry group), vague sources, agentless forms,
  stance, cognition and event verbs, quotation marks;
- the sentence's place and shape: first of the story, first of its paragraph,
  length, a paragraph of its own;
- modality and future, hedges, negation, numbers and number words, units of
  money and percent, years, comparatives, cause words, capitalised words (names);
- subjective adjectives (an off-the-shelf subjectivity lexicon);
- the sentence's own words (`w:` features, a vocabulary fixed when the model was
  trained, each word seen in many articles).
"""

import math
import re

from checker.errors import RuleError

_WORDS = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?|[$£€¥%]")
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+")
_YEAR = re.compile(r"\b(?:1[89]\d\d|20\d\d)\b")


class Model:
    def __init__(self, data, path):
        if not isinstance(data, dict) or not isinstance(data.get("weights"), dict):
            raise RuleError(path, "model: a mapping with 'weights' (feature: weight), 'bias' and 'classes' is needed")
        try:
            self.bias = float(data.get("bias", 0.0))
            self.weights = {str(k): float(v) for k, v in data["weights"].items()}
        except (TypeError, ValueError):
            raise RuleError(path, "model: weights and bias must be numbers") from None
        classes = data.get("classes", {})
        if not isinstance(classes, dict) or not all(isinstance(v, list) for v in classes.values()):
            raise RuleError(path, "model: 'classes' must map a class name to a list of words")
        self.classes = {name: word_class(words) for name, words in classes.items()}
        self.vocabulary = frozenset(k[2:] for k in self.weights if k.startswith("w:"))

    def score(self, features):
        """The probability that the sentence needs a source."""
        total = self.bias
        weights = self.weights
        for name, value in features.items():
            weight = weights.get(name)
            if weight is not None:
                total += weight * value
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, total))))


def word_class(words):
    """(single words, multi-word phrases) of a class."""
    single = frozenset(w.lower() for w in words if " " not in w)
    multi = tuple(" ".join(w.lower().split()) for w in words if " " in w)
    return single, multi


def _bucket(count, cap):
    return min(count, cap) / cap


def features(doc, views, covered, index, groups_of, classes, vocabulary):
    """The features of sentence `index`: {name: value}. `groups_of[i]` is the carry
    group (list of sentence indices) of sentence i; `classes` and `vocabulary` come
    from the model (or, when training, from the data files the model will hold)."""
    view = views[index]
    sentence = view.sentence
    text = sentence.text
    lower = doc.folded_prose[sentence.start : sentence.end]
    words = _WORDS.findall(lower)
    found = {"bias:1": 0.0}  # (the bias is the model's own; a key keeps the dict non-empty)
    group = groups_of[index]
    position = group.index(index)
    before = views[group[position - 1]] if position > 0 else None
    after = views[group[position + 1]] if position + 1 < len(group) else None
    found["near:before_cue"] = float(before is not None and before.cue is not None)
    found["near:before_credit"] = float(before is not None and before.credit)
    found["near:after_cue"] = float(after is not None and after.cue is not None)
    found["near:after_back_reference"] = float(after is not None and after.back_reference)
    found["near:group_cue"] = float(any(views[i].cue is not None for i in group if i != index))
    found["near:group_covered"] = float(any(covered[i] for i in group if i != index))
    found["near:group_size"] = _bucket(len(group), 8)
    found["self:vague"] = float(bool(view.vague))
    found["self:impersonal"] = float(view.impersonal)
    found["self:agentless"] = float(view.agentless > 0)
    found["self:stance"] = float(view.stance > 0)
    found["self:cognition"] = float(view.cognition > 0)
    found["self:event"] = float(view.event > 0)
    found["self:in_quote"] = float(bool(view.quotes))
    found["self:quote_marks"] = float(any(mark in text for mark in "\"“”«»"))
    found["self:continues"] = float(view.continues)
    found["pos:first"] = float(index == 0)
    found["pos:paragraph_first"] = float(position == 0)
    found["pos:early"] = float(index < 3)
    found["shape:words"] = _bucket(len(words), 40)
    found["shape:short"] = float(len(words) < 8)
    found["shape:single"] = float(len(doc.paragraphs[sentence.paragraph].sentences) == 1)
    found["shape:colon"] = float(":" in text)
    digits = sum(ch.isdigit() for ch in text)
    found["num:digits"] = float(digits > 0)
    found["num:many_digits"] = _bucket(digits, 12)
    found["num:percent"] = float("%" in text or " per cent" in lower or " percent" in lower or " pct" in lower)
    found["num:currency"] = float(any(ch in text for ch in "$£€¥") or " dlrs" in lower)
    found["num:year"] = float(_YEAR.search(text) is not None)
    found["names"] = _bucket(len(_CAPITALISED.findall(text)), 6)
    found["shape:adverbs"] = _bucket(sum(1 for w in words if w.endswith("ly") and len(w) > 4), 3)
    found["shape:superlatives"] = float(any(w.endswith("est") and len(w) > 5 for w in words))
    found["shape:past"] = _bucket(sum(1 for w in words if w.endswith("ed") and len(w) > 4), 4)
    found["shape:that"] = float("that" in words)
    counted = set(words)
    joined = " " + " ".join(words) + " "
    for name, (single, multi) in classes.items():
        count = sum(1 for w in words if w in single) + sum(joined.count(f" {p} ") for p in multi)
        found[f"class:{name}"] = _bucket(count, 3)
    for word in counted & vocabulary:
        found["w:" + word] = 1.0
    return found
