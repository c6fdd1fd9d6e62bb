"""The attribution recogniser and the AT rules: the shapes of real attributions,
the carry policy, and the measured targets on the development gold set."""

import functools
import importlib.util
import re
import sys

import pytest
from conftest import ROOT, shared_path
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.config import Settings
from checker.pipeline import check_bytes
from checker.rules import apply_overrides, builtin_rules_dir, load_rules, select_rules


@pytest.fixture(scope="module")
def at_rules():
    return select_rules(load_rules([builtin_rules_dir()]), ["AT"])


def codes(rules, text, **settings):
    """{(code, sentence or phrase text)} for `text`."""
    settings.setdefault("language", "en")  # short English copy: not guessed at (checker.language)
    result = check_bytes(text.encode("utf-8"), "story.txt", rules, Settings(**settings).validate())
    source = result.source.text
    return {(f.code, source[f.start : f.end]) for f in result.findings}


def flagged(rules, text, code="AT101", **settings):
    return sorted(span for c, span in codes(rules, text, **settings) if c == code)


# --- shapes of attribution: none of these sentences is unattributed -------------

ATTRIBUTED = [
    "Putin said that Russia would end the war in 10 days.",  # source before the cue
    "Russia would end the war in 10 days, said the Russian head of state.",  # source after it
    "The strike killed 40 people, Reuters and TASS reported.",  # trailing agency credit
    "Putin added that 40 people were killed, reported Reuters and TASS, quoted by BTA.",
    "According to the ministry, 40 people were killed.",
    "Putin said: “Russia will end the war because 40 people were killed.”",  # colon quotation
    "“Russia will end the war because 40 people were killed,” he told reporters.",
    "Almost 30% of complaints were about fraud, official figures show.",
    "In a statement, the company said profits rose 20%.",
]


@pytest.mark.parametrize("text", ATTRIBUTED)
def test_attributed_shapes_are_not_flagged(at_rules, text):
    assert not [c for c, _ in codes(at_rules, text) if c in ("AT101", "AT102", "AT104")]


def test_multi_sentence_quotation_is_covered_by_its_speaker(at_rules):
    for text in (
        "Putin said: “We will not declare a ceasefire. Prices rose 40% because of the war. We need to see steps.”",
        "“We will not declare a ceasefire. Prices rose 40% because of the war. We need to see steps,” Putin said.",
    ):
        assert flagged(at_rules, text) == []
        assert flagged(at_rules, text, "AT102") == []
        assert flagged(at_rules, text, "AT104") == []


def test_he_added_continues_an_attribution(at_rules):
    text = "The minister said exports fell 25% in November. He added that imports rose 4% because of the lira."
    assert flagged(at_rules, text) == []


def test_continuation_opening_shares_the_previous_sentence_coverage(at_rules):
    covered = "Exports fell 25% in November, the ministry said. At the same time, imports rose 4%."
    assert flagged(at_rules, covered) == []
    # without a continuation opening the second figure stands on its own
    uncovered = "Exports fell 25% in November, the ministry said. Officials met on Monday. Imports rose 4%."
    assert flagged(at_rules, uncovered) == ["Imports rose 4%."]


def test_back_reference_covers_the_sentence_before(at_rules):
    text = "Turnout was 55% of the electorate.\nThis was announced on Sunday by the electoral commission.\nThe results of 2.99% of the ballots were annulled."
    # the first sentence is covered backwards, the third forwards (carry 1)
    assert flagged(at_rules, text) == []


def test_direct_quotation_attribution_does_not_carry_past_the_quotation(at_rules):
    text = "Putin said: “We will not declare a ceasefire.” Casualties rose to 4,000 last week."
    assert flagged(at_rules, text) == ["Casualties rose to 4,000 last week."]


def test_unattributed_claims_are_flagged_at_the_sentence_start(at_rules):
    text = "Officials met in Geneva on Monday.\n\nThe strike killed 40 people in the city."
    result = check_bytes(text.encode(), "story.txt", at_rules, Settings(language="en").validate())
    at101 = [f for f in result.findings if f.code == "AT101"]
    assert [(f.line, f.column) for f in at101] == [(3, 1)]
    assert "a figure" in at101[0].message


def test_headlines_questions_and_market_moves_are_not_flagged(at_rules):
    text = "Shares slump 20% on profit warning\n\nWill profits fall 20% again?\n\nShares in Umbro were up 1.76% at 115.5 pence in morning trade."
    assert flagged(at_rules, text) == []


# --- carry policy: both scopes, and how far --------------------------------------


def _with(rules, code, **params):
    """Copies of the rules with `params` set on `code` (the loaded rules stay untouched)."""
    fresh = select_rules(load_rules([builtin_rules_dir()]), ["AT"])
    for rule in fresh:
        if rule.code == code:
            apply_overrides(rule, params)
    return fresh


PARAGRAPH = (
    "Officials met in Geneva on Monday.\n\n"
    "Exports fell 25% in November, the ministry said. The fall followed a 10% drop in October. "
    "Imports rose 4% in the same month."
)


def test_carry_sentence_scope_reaches_carry_sentences(at_rules):
    assert flagged(at_rules, PARAGRAPH) == ["Imports rose 4% in the same month."]
    wider = _with(at_rules, "AT101", carry=2)
    assert flagged(wider, PARAGRAPH) == []


def test_carry_paragraph_scope_covers_the_whole_paragraph(at_rules):
    paragraph_scope = _with(at_rules, "AT101", scope="paragraph")
    assert flagged(paragraph_scope, PARAGRAPH) == []
    # but not the next paragraph
    text = PARAGRAPH + "\n\nThe strike killed 40 people in the city, after three days of protests."
    assert flagged(paragraph_scope, text) == ["The strike killed 40 people in the city, after three days of protests."]


def test_one_sentence_paragraphs_are_joined_for_carrying(at_rules):
    text = "Exports fell 25% in November, the ministry said.\nImports rose 4% in the same month."
    assert flagged(at_rules, text) == []
    apart = _with(at_rules, "AT101", join_single_sentence_paragraphs=False)
    assert flagged(apart, text) == ["Imports rose 4% in the same month."]


# --- the other reports -------------------------------------------------------------


def test_vague_source_is_reported_at_the_phrase_even_beside_a_named_speaker(at_rules):
    text = "Putin said he sees the Taliban as allies, world agencies reported."
    assert flagged(at_rules, text, "AT103") == ["world agencies reported"]
    assert flagged(at_rules, "Unemployment rose to 12%, experts say.", "AT103") == ["experts say"]
    assert flagged(at_rules, "Sources of funding were not disclosed.", "AT103") == []


def test_unattributed_quote(at_rules):
    text = "The talks ended late.\n\n“We will never accept these terms, whatever happens next,” the crowd heard.\n\nThe meeting closed."
    assert len(flagged(at_rules, text, "AT102")) == 1


def test_anonymous_source_needs_a_reason(at_rules):
    assert flagged(at_rules, "The deal is off, a source close to the company said.", "AT105") == ["a source close to"]
    with_reason = "The deal is off, a source close to the company said on condition of anonymity."
    assert flagged(at_rules, with_reason, "AT105") == []
    # once per story: the later mention repeats the same omission
    story = "The deal is off, banking sources said.\n\nThe talks will resume in May, the sources said."
    assert flagged(at_rules, story, "AT105") == ["banking sources"]


def test_weasel_phrases_are_vague_but_attribute_nothing(at_rules):
    text = "The move is widely seen as a blow to the government, which lost 40 seats."
    assert flagged(at_rules, text, "AT103") == ["is widely seen as"]
    assert flagged(at_rules, text) == [text]  # still a claim with no source


def test_cue_words_used_otherwise_attribute_nothing(at_rules):
    # "states" of the country, a passive with no agent, a participle after a counted noun
    for text in (
        "The United States lost 40% of its exports.",
        "A state of emergency was declared after 40 people were killed.",
        "The 246,570 fraud cases reported concerned credit cards.",
    ):
        assert flagged(at_rules, text) == [text]


def test_rules_apply_to_english_copy_only(at_rules):
    text = "The strike killed 40 people in the city, world agencies reported.\n\nPrices rose 40%."
    assert codes(at_rules, text)  # English: findings
    assert codes(at_rules, text, language="bg") == set()


# --- measured targets (skips without ../shared) ---------------------------------------


def _evaluation():
    spec = importlib.util.spec_from_file_location("eval_attribution", ROOT / "bench" / "eval_attribution.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("eval_attribution", module)
    spec.loader.exec_module(module)
    return module


def test_gold_targets(at_rules):
    shared_path("gold", "attribution-dev.tsv")
    scores = _evaluation().gold_scores(at_rules, Settings())
    assert scores["precision"] >= 0.75, scores
    assert scores["recall"] >= 0.75, scores
    assert scores["AT104"]["A"] == 0 and scores["AT104"]["C"] == 0, scores


def test_polnear_attributed_sentences_are_rarely_flagged(at_rules):
    shared_path("corpus", "polnear", "sentence_labels.tsv")
    scores = _evaluation().polnear_scores(at_rules, Settings())
    assert scores["cue_flagged_share"] <= 0.05, scores


@functools.cache
def _lexicon():
    rules = select_rules(load_rules([builtin_rules_dir()]), ["AT101"])
    return rules[0].prepared


@pytest.mark.parametrize("code", ["AT101", "AT104"])
def test_a_message_with_a_sentence_placeholder_gets_the_excerpt(code):
    """The built-in messages name no {sentence}, so none is made; a rule whose message does gets it."""
    rules = [r.replace(message="Unsourced: {sentence}") if r.code == code else r for r in _with(None, code)]
    text = (
        "Officials met in the old town hall of Geneva on Monday to talk about the port.\n\n"
        "Imports rose 4% in the same month, which was a record for the port of Rotterdam."
    )
    result = check_bytes(text.encode("utf-8"), "story.txt", rules, Settings())
    messages = [f.message for f in result.findings if f.code == code]
    assert messages and all(m.startswith("Unsourced: ") and len(m) > len("Unsourced: ") for m in messages)
    assert any(m.endswith("…") for m in messages)  # long sentences are cut to 60 characters


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", "bc", " ", ",", "é", "_", "1", "\n", "—"]), max_size=30).map("".join), st.integers(-1, 8), st.data())
def test_more_words_equals_its_regular_expression(text, count, data):
    """The length shortcut answers as the regex does: more than `count` words in the window?"""
    from checker.kinds.attribution import _more_words

    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    expected = count < 0 or re.compile(rf"\W*(?:\w+\W+){{{count}}}\w").match(text, start, end) is not None
    assert _more_words(text, start, end, count) == expected


_QUOTE_PIECES = ["He said", "“", "”", '"', "It rose.", "It fell.", " ", "\n\n", "«", "»", "Yes!", "a"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_QUOTE_PIECES), max_size=25).map(" ".join))
def test_each_view_holds_the_quotations_its_sentence_overlaps(text):
    from checker.document import Document
    from checker.kinds.attribution import analyse

    doc = Document(text, header=False)
    for view in analyse(doc, _lexicon()):
        s = view.sentence
        assert list(view.quotes) == [q for q in doc.quotes if q.start < s.end and s.start < q.end]


def test_the_built_in_agencies_are_found_from_the_openers(at_rules):
    assert at_rules[0].prepared.credits_after_openers
