"""`attribution`: who says so? The recogniser every AT rule shares, the "needs a
source" model, and one check function a rule.

The recogniser (recogniser.py) reads a lexicon of lemmas (lexicon.py) and decides
for each sentence whether it carries an attribution or is covered by one nearby
(the carry policy), and which vague sources it names. The model (model.py) scores
each sentence the recogniser leaves unattributed: AT101 reports a score at or
above `threshold`, AT104 the band from `band_low` up to it. A rule's `check:`
names the function below that does its work.
"""

import itertools
import os
from operator import itemgetter

from checker.kinds.attribution.lexicon import Lexicon
from checker.kinds.attribution.model import Model, WordClasses, add_embeddings, features_of
from checker.kinds.attribution.recogniser import analyse, attributed, carry_groups, more_words, words_found
from checker.rules import load_data, placeholders

PARAMETERS = {
    "lexicon": {"type": "list[data]", "required": True, "doc": "Data files (or inline mappings) of lemmas, phrases, agencies and vague sources; later entries extend earlier ones."},
    "model": {"type": "data", "default": None, "doc": "The 'needs a source' model (data file of weights): AT101 and AT104 score unattributed sentences with it."},
    "threshold": {"type": "number", "default": 0.55, "doc": "AT101: a score at or above it is reported (0 to 1; higher: fewer, surer findings)."},
    "band_low": {"type": "number", "default": 0.28, "doc": "AT104: scores from this up to `threshold` are reported (the sentences worth a second look)."},
    "scope": {"type": "enum", "values": ["sentence", "paragraph"], "default": "sentence", "doc": "How far an attribution reaches: see the carry policy."},
    "carry": {"type": "int", "default": 1, "doc": "How many following sentences of the same paragraph an attribution covers (scope: sentence)."},
    "carry_back": {"type": "int", "default": 0, "doc": "How many preceding sentences of the same paragraph an attribution covers (scope: sentence)."},
    "carry_from": {
        "type": "enum",
        "values": ["credit", "any"],
        "default": "credit",
        "doc": "Which attributions carry to their neighbours: only trailing credits (\"..., Reuters said.\") or any attributed sentence.",
    },
    "follow_continuations": {"type": "bool", "default": True, "doc": "A sentence that opens as a continuation (\"But\", \"At the same time\") shares the coverage of the sentence before it."},
    "join_single_sentence_paragraphs": {"type": "bool", "default": True, "doc": "Treat a run of one-sentence paragraphs (agency copy) as one paragraph when carrying."},
    "min_quote_words": {"type": "int", "default": 4, "doc": "Shorter quotations (scare quotes, titles) are not checked for a speaker."},
}

_LEXICONS = {}
_MODELS = {}


def prepare(rule):
    # Rules naming the same files share one Lexicon and one Model, so a document is analysed once.
    folder = os.path.dirname(rule.path)
    key = (folder, repr(rule.params["lexicon"]))
    if key not in _LEXICONS:
        _LEXICONS[key] = Lexicon(rule.params["lexicon"], rule)
    model = None
    if rule.params["model"] is not None:
        model_key = (folder, repr(rule.params["model"]))
        if model_key not in _MODELS:
            _MODELS[model_key] = Model(load_data(rule, rule.params["model"], "model"), rule.path)
        model = _MODELS[model_key]
    rule.prepared = (_LEXICONS[key], model)


def warm_up(rule):
    """Load what the rule needs once per process before any document's time bound starts:
    a model's sentence encoder takes seconds to load. A failure here is left to the check,
    which reports it as an internal error on each file."""
    model = rule.prepared[1] if rule.prepared else None
    if model is not None and model.encoder is not None:
        from checker.kinds.attribution import encoder  # lazy: the encoder extra

        try:
            encoder.load(model.encoder)
        except Exception:  # noqa: BLE001 - reported by the check itself, file by file
            pass


# --- the checks: one function a rule, named by the rule's `check:` --------------


def unattributed_statement(doc, rule, settings):
    """AT101: a sentence with no attribution in itself or from its context that the
    model says needs one (score at or above `threshold`)."""
    yield from _scored(doc, rule, lambda score: score >= rule.params["threshold"])


def unsourced_statement(doc, rule, settings):
    """AT104: the band below AT101 (scores from `band_low` up to `threshold`): sentences
    worth a second look, not every unattributed one."""
    low, high = rule.params["band_low"], rule.params["threshold"]
    yield from _scored(doc, rule, lambda score: low <= score < high)


def _scored(doc, rule, wanted):
    lexicon, model = rule.prepared
    if model is None:
        return
    with_excerpt = "sentence" in placeholders(rule.message)
    for index, score in sentence_scores(doc, rule):
        if wanted(score):
            sentence = doc.sentences[index]
            yield rule.finding(doc, sentence.start, sentence.end, score=f"{score:.2f}", sentence=_excerpt(sentence.text) if with_excerpt else "")


def sentence_scores(doc, rule):
    """[(sentence index, score)] of the sentences the recogniser leaves unattributed
    (and that are no question, heading or quotation), worked out once per document
    for each lexicon, model and carry policy."""
    lexicon, model = rule.prepared
    policy = tuple(rule.params[k] for k in ("scope", "carry", "carry_back", "carry_from", "follow_continuations", "join_single_sentence_paragraphs", "min_quote_words"))
    return doc.memo(model, (id(lexicon), policy), lambda: _scores(doc, rule, lexicon, model))


def candidates(doc, rule):
    """(views, covered, groups_of, the indices to score) for the rule's carry policy."""
    lexicon, _model = rule.prepared
    views = analyse(doc, lexicon)
    covered = attributed(doc, views, rule.params)
    groups_of = {}
    for group in carry_groups(doc, rule.params["join_single_sentence_paragraphs"]):
        for index in group:
            groups_of[index] = group
    indices = []
    for index, view in enumerate(views):
        if covered[index] or view.question or view.heading:
            continue
        s = view.sentence
        if any(q.start <= s.start and s.end <= q.end for q in view.quotes):
            continue  # a quotation without a speaker is AT102's finding
        indices.append(index)
    return views, covered, groups_of, indices


def _scores(doc, rule, lexicon, model):
    views, covered, groups_of, indices = candidates(doc, rule)
    found = features_of(doc, views, covered, indices, groups_of, model.classes, model.vocabulary)
    if model.encoder is not None:
        add_embeddings(model.encoder, [doc.sentences[i].text for i in indices], found)
    return [(i, model.score(f)) for i, f in zip(indices, found)]


def vague_source(doc, rule, settings):
    """AT103: each vague source in the body prose (a generic group with a speech verb,
    "according to reports", an agentless "it is believed", "reportedly"), once per
    paragraph however often it is repeated there, never inside a direct quotation.
    An adverb such as "allegedly" beside a named source is that source's hedge, not
    a vague source: it is reported only where the sentence names no one."""
    lexicon, _model = rule.prepared
    views = analyse(doc, lexicon)
    lower = doc.folded_prose
    seen = set()  # (paragraph, the phrase as written, folded)
    for view in views:
        for start, end in view.vague:
            if view.named and _is_adverb(lower, start, end, lexicon):
                continue  # "police said he allegedly...": the named source's hedge
            key = (view.sentence.paragraph, " ".join(lower[start:end].split()))
            if key in seen or doc.in_quotation(start):
                continue
            seen.add(key)
            yield rule.finding(doc, start, end)


def _is_adverb(lower, start, end, lexicon):
    return lower[start:end] in lexicon.vague_adverbs


def anonymous_source(doc, rule, settings):
    """AT105: the first anonymous source whose paragraph (or the sentence next to it)
    gives no reason for the anonymity."""
    lexicon, _model = rule.prepared
    views = analyse(doc, lexicon)
    lower = doc.folded_prose
    found = []
    for start, end in words_found(doc, lexicon)["anonymous"]:
        sentence = doc.sentence_at(start)
        if sentence is not None:
            found.append((sentence.paragraph, start, end))
    for index, in_paragraph in itertools.groupby(found, key=itemgetter(0)):
        paragraph = doc.paragraphs[index]
        first, last = paragraph.sentences[0], paragraph.sentences[-1]
        start = views[first - 1].sentence.start if first > 0 else paragraph.start
        end = views[last + 1].sentence.end if last + 1 < len(views) else paragraph.end
        if lexicon.anonymity_reasons is not None and lexicon.anonymity_reasons.search(lower, start, end):
            continue
        # once per story: later mentions ("the sources said") repeat the same omission
        yield rule.finding(doc, *next(in_paragraph)[1:])
        return


def unattributed_quote(doc, rule, settings):
    """AT102: a quotation whose speaker is nowhere in its paragraph or the sentences next to it."""
    lexicon, _model = rule.prepared
    views = analyse(doc, lexicon)
    minimum = rule.params["min_quote_words"]
    for quote in doc.quotes:
        if not quote.closed or not more_words(doc.prose, quote.start, quote.end, minimum - 1):
            continue
        sentence = doc.sentence_at(quote.start)
        if sentence is None:
            continue
        paragraph = doc.paragraphs[sentence.paragraph]
        nearby = list(paragraph.sentences)
        if paragraph.sentences[0] > 0:
            nearby.append(paragraph.sentences[0] - 1)
        if paragraph.sentences[-1] + 1 < len(views):
            nearby.append(paragraph.sentences[-1] + 1)
        if any(views[i].cue is not None for i in nearby):
            continue
        yield rule.finding(doc, quote.start, quote.end, quote=_excerpt(doc.text[quote.start : quote.end]))


CHECKS = {
    "unattributed-statement": unattributed_statement,
    "unattributed-quote": unattributed_quote,
    "unsourced-statement": unsourced_statement,
    "vague-source": vague_source,
    "anonymous-source": anonymous_source,
}


def _excerpt(text, limit=60):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


__all__ = ["PARAMETERS", "CHECKS", "prepare", "analyse", "attributed", "sentence_scores", "candidates", "features_of", "WordClasses"]
