"""The "needs a source" model: a regularised linear model that scores a sentence the
recogniser leaves unattributed, from general features.

The model is a data file (rules/attribution/data/model.yaml): the word classes it
counts, a weight for each feature and a bias. Scoring is plain Python (a sum and
a logistic function); no training library is needed to run it.
tools/train_attribution_model.py rebuilds it from labelled sentences, with the
same `features_of` function, so training and checking can never disagree.

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
  trained, each word seen in many articles);
- with a model that names an `encoder` (the encoder extra), the sentence's embedding
  (`emb:` features, checker/kinds/attribution/encoder.py).
"""

import math
import re

from checker.errors import RuleError

_WORDS = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?|[$£€¥%]")
# a capitalised word that does not open a sentence; the capital comes first so that the
# engine skips to the next capital at C speed
_CAPITALISED = re.compile(r"[A-Z](?<![.!?]\s[A-Z])(?<!^[A-Z])(?<!\w[A-Z])[a-z]+")
_YEAR = re.compile(r"\b(?:1[89]\d\d|20\d\d)\b")
_DIGITS = re.compile(r"\d")
_QUOTE_MARKS = re.compile("[\"“”«»]|''|``")
_CURRENCY = re.compile("[$£€¥]")


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
        self.classes = WordClasses(classes)
        self.vocabulary = frozenset(k[2:] for k in self.weights if k.startswith("w:"))
        self.encoder = data.get("encoder")  # a sentence encoder whose embedding is features too (the encoder extra)
        if self.encoder is not None:
            from checker.kinds.attribution.encoder import check_available  # lazy: the encoder extra

            check_available(self.encoder, path)

    def score(self, features):
        """The probability that the sentence needs a source."""
        total = self.bias
        weights = self.weights
        for name, value in features.items():
            weight = weights.get(name)
            if weight is not None:
                total += weight * value
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, total))))


class WordClasses:
    """Named lists of words and phrases, counted in a sentence in one pass over its words."""

    def __init__(self, classes):
        self.names = tuple(f"class:{name}" for name in classes)
        index = {}
        self.phrases = []  # (phrase, class name): multi-word entries, counted in the joined words
        for name, words in classes.items():
            name = f"class:{name}"
            for word in words:
                word = " ".join(str(word).lower().split())
                if " " in word:
                    self.phrases.append((f" {word} ", name))
                elif name not in index.setdefault(word, []):
                    index[word].append(name)
        self.index = {word: tuple(names) for word, names in index.items()}

    def count(self, words):
        """{"class:" + name: how many of `words` (and of the phrases they spell) are in the class}."""
        counts = dict.fromkeys(self.names, 0)
        index = self.index
        for word in words:
            names = index.get(word)
            if names is not None:
                for name in names:
                    counts[name] += 1
        if self.phrases:
            joined = " " + " ".join(words) + " "
            for phrase, name in self.phrases:
                if phrase in joined:
                    counts[name] += joined.count(phrase)
        return counts


def add_embeddings(encoder, texts, found):
    """Add the embedding of each of `texts` to its features in `found` (`emb:0` ...)."""
    from checker.kinds.attribution.encoder import embed  # lazy: the encoder extra

    for features, vector in zip(found, embed(encoder, texts)):
        features.update((f"emb:{dimension}", value) for dimension, value in enumerate(vector))
    return found


def _bucket(count, cap):
    return min(count, cap) / cap


def features_of(doc, views, covered, indices, groups_of, classes, vocabulary):
    """[{feature: value}] for the sentences `indices`. `groups_of[i]` is the carry group
    (list of sentence indices) of sentence i; `classes` (WordClasses) and `vocabulary`
    come from the model (or, when training, from the data files the model will hold)."""
    facts = {}  # id(group) -> (position of each member, cues in it, covered in it)
    found = []
    for index in indices:
        group = groups_of[index]
        fact = facts.get(id(group))
        if fact is None:
            fact = facts[id(group)] = (
                {member: n for n, member in enumerate(group)},
                sum(views[i].cue is not None for i in group),
                sum(covered[i] for i in group),
            )
        found.append(_features(doc, views, index, group, fact, classes, vocabulary))
    return found


def _features(doc, views, index, group, fact, classes, vocabulary):
    positions, group_cues, group_covered = fact
    view = views[index]
    sentence = view.sentence
    text = sentence.text
    lower = doc.folded_prose[sentence.start : sentence.end]
    words = _WORDS.findall(lower)
    found = {}
    position = positions[index]
    before = views[group[position - 1]] if position > 0 else None
    after = views[group[position + 1]] if position + 1 < len(group) else None
    found["near:before_cue"] = float(before is not None and before.cue is not None)
    found["near:before_credit"] = float(before is not None and before.credit)
    found["near:after_cue"] = float(after is not None and after.cue is not None)
    found["near:after_back_reference"] = float(after is not None and after.back_reference)
    found["near:group_cue"] = float(group_cues - (view.cue is not None) > 0)  # another sentence of the group
    found["near:group_covered"] = float(group_covered > 0)  # the sentence itself is not covered
    found["near:group_size"] = _bucket(len(group), 8)
    found["self:vague"] = float(bool(view.vague))
    found["self:impersonal"] = float(view.impersonal)
    found["self:agentless"] = float(view.agentless > 0)
    found["self:stance"] = float(view.stance > 0)
    found["self:cognition"] = float(view.cognition > 0)
    found["self:event"] = float(view.event > 0)
    found["self:in_quote"] = float(bool(view.quotes))
    found["self:quote_marks"] = float(_QUOTE_MARKS.search(text) is not None)
    found["self:continues"] = float(view.continues)
    found["pos:first"] = float(index == 0)
    found["pos:paragraph_first"] = float(position == 0)
    found["pos:early"] = float(index < 3)
    found["shape:words"] = _bucket(len(words), 40)
    found["shape:short"] = float(len(words) < 8)
    found["shape:single"] = float(len(doc.paragraphs[sentence.paragraph].sentences) == 1)
    found["shape:colon"] = float(":" in text)
    digits = len(_DIGITS.findall(text))
    found["num:digits"] = float(digits > 0)
    found["num:many_digits"] = _bucket(digits, 12)
    found["num:percent"] = float("%" in text or " per cent" in lower or " percent" in lower or " pct" in lower)
    found["num:currency"] = float(_CURRENCY.search(text) is not None or " dlrs" in lower)
    found["num:year"] = float(_YEAR.search(text) is not None)
    found["names"] = _bucket(len(_CAPITALISED.findall(text)), 6)
    adverbs = past = 0
    superlative = False
    for word in words:
        if len(word) > 4:
            ending = word[-2:]
            adverbs += ending == "ly"
            past += ending == "ed"
            superlative = superlative or (len(word) > 5 and word.endswith("est"))
    found["shape:adverbs"] = _bucket(adverbs, 3)
    found["shape:superlatives"] = float(superlative)
    found["shape:past"] = _bucket(past, 4)
    found["shape:that"] = float("that" in words)
    for name, count in classes.count(words).items():
        found[name] = min(count, 3) / 3
    if vocabulary:
        for word in vocabulary.intersection(words):
            found["w:" + word] = 1.0
    return found
