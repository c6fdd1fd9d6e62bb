"""English inflections generated from lemmas (checker.matching.inflect): lexicons list
`say`, and the recogniser sees says, said, saying."""

import pytest

from checker.matching.inflect import noun_forms, past_forms, verb_forms


@pytest.mark.parametrize(
    "lemma, forms",
    [
        ("say", {"say": "base", "says": "s", "said": "past", "saying": "ing"}),
        ("report", {"report": "base", "reports": "s", "reported": "past", "reporting": "ing"}),
        ("admit", {"admits": "s", "admitted": "past", "admitting": "ing"}),  # the final consonant doubles
        ("visit", {"visited": "past", "visiting": "ing"}),  # and here it does not
        ("argue", {"argues": "s", "argued": "past", "arguing": "ing"}),  # a silent e dropped
        ("see", {"saw": "past", "seen": "participle", "seeing": "ing"}),  # not "seing"
        ("deny", {"denies": "s", "denied": "past", "denying": "ing"}),
        ("stress", {"stresses": "s", "stressed": "past"}),
        ("write", {"wrote": "past", "written": "participle", "writing": "ing"}),
        ("signal", {"signaled": "past", "signalled": "past", "signaling": "ing", "signalling": "ing"}),  # both spellings
        ("forecast", {"forecast": "base", "forecasted": "past"}),
        ("point out", {"points out": "s", "pointed out": "past", "pointing out": "ing"}),  # the first word inflects
        ("set", {"sets": "s", "setting": "ing"}),  # a short vowel's final consonant doubles: not "seting"
        ("win", {"won": "past", "winning": "ing"}),
    ],
)
def test_verb_forms(lemma, forms):
    found = verb_forms(lemma)
    for form, tag in forms.items():
        assert found.get(form) == tag, (form, found)


def test_past_forms_include_those_spelled_as_the_base():
    """"is forecast to", "was put": a past participle spelled as the base form is tagged base
    by verb_forms, and past_forms still knows it is one."""
    assert past_forms("forecast") == {"forecast", "forecasted"}
    assert past_forms("say") == {"said"}
    assert past_forms("point out") == {"pointed out"}


def test_a_verb_has_no_forms_of_other_words():
    assert set(verb_forms("tell")) == {"tell", "tells", "told", "telling"}


@pytest.mark.parametrize(
    "lemma, plural",
    [("source", "sources"), ("analysis", "analyses"), ("person", "people"), ("agency", "agencies"), ("press", "presses"),
     ("news agency", "news agencies"), ("medium", "media"), ("day", "days")],
)
def test_noun_forms(lemma, plural):
    assert noun_forms(lemma) == {lemma: "singular", plural: "plural"}
