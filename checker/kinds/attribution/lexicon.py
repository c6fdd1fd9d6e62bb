"""The attribution lexicon: lemmas and phrases read from data files, with every
inflection generated, compiled into the matchers the recogniser uses.

A lexicon is one or more YAML files (or inline mappings), later ones adding to
earlier ones. Verbs and nouns are lemmas (`say`, `source`); their forms come from
checker.matching.inflect. Every pattern written in a lexicon goes through
checker.matching's guard against catastrophic backtracking.
"""

import itertools
import re

from checker.errors import RuleError
from checker.matching import compile_rule_alternatives
from checker.matching.inflect import noun_forms, past_forms, verb_forms
from checker.matching.phrases import trie_regex
from checker.matching.regex import finds_every_match_after
from checker.matching.words import WordPhrases
from checker.rules import load_data

_LISTS = (
    "speech_verbs", "event_verbs", "cognition_verbs", "stance_verbs", "channel_verbs", "characterisation_verbs", "statement_nouns", "phrases", "source_phrases", "agencies",
    "generic_sources", "vague_channels", "record_channels", "quantifiers", "impersonal_verbs", "agentless_verbs", "vague_adverbs", "anonymous",
    "anonymity_reasons", "continues", "back_references", "noun_homographs", "also_nouns", "vague_phrases", "members",
)
_KEYS = {*_LISTS, "credit_window", "note", "source", "licence"}
VERB_CLASSES = ("speech", "event", "cognition", "stance", "channel", "characterisation")
CREDIT_OPENERS = ("(", "-", "–", "—")


def expand(phrase):
    """Every phrase a pattern phrase stands for: `(a|b)` picks one, `(a|b)?` may also be left out."""
    if "(" not in phrase:
        words = " ".join(phrase.split())
        if words:
            yield words
        return
    options = []
    for part in re.split(r"(\([^()]*\)\??)", phrase):
        if part.startswith("("):
            choices = part.rstrip("?")[1:-1].split("|")
            options.append(choices + ([""] if part.endswith("?") else []))
        else:
            options.append([part])
    for combination in itertools.product(*options):
        words = " ".join("".join(combination).split())
        if words:
            yield words


class Lexicon:
    """What the recogniser matches, built once per lexicon file list."""

    def __init__(self, entries, rule):
        lists = {key: [] for key in _LISTS}
        self.credit_window = 8
        for entry in entries:
            data = load_data(rule, entry, "lexicon")
            if not isinstance(data, dict):
                raise RuleError(rule.path, "an attribution lexicon must be a mapping")
            unknown = set(data) - _KEYS
            if unknown:
                raise RuleError(rule.path, f"lexicon: unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(_KEYS - {'note', 'source', 'licence'}))})")
            for key, target in lists.items():
                target.extend(_strings(rule, data, key))
            if "credit_window" in data:
                if not isinstance(data["credit_window"], int) or isinstance(data["credit_window"], bool):
                    raise RuleError(rule.path, "lexicon: 'credit_window' must be a whole number")
                self.credit_window = data["credit_window"]
        # every verb form the recogniser looks at: form -> (lemma, class, tag); and the
        # forms that can be a participle ("forecast" is also the base form)
        self.verb_forms = {}
        self.participles = set()
        for verb_class in VERB_CLASSES:
            for lemma in lists[f"{verb_class}_verbs"]:
                for form, tag in verb_forms(lemma.lower()).items():
                    self.verb_forms.setdefault(form, (lemma, verb_class, tag))
                self.participles.update(past_forms(lemma.lower()))
        self.impersonal_forms = _participles(lists["impersonal_verbs"])  # vague: "it is believed"
        self.agentless_forms = _participles(lists["agentless_verbs"])  # no source: "has been accused of"
        for form in self.impersonal_forms | self.agentless_forms:  # read in the passive only
            if form not in self.verb_forms:
                self.verb_forms[form] = (form, "passive", "participle")
                self.participles.add(form)
        statement = {form for noun in lists["statement_nouns"] for form in noun_forms(noun.lower())}
        owners = ("a", "an", "the", "his", "her", "their", "its", "our", "my")
        self.vague_adverbs = frozenset(" ".join(a.lower().split()) for a in lists["vague_adverbs"])
        try:  # what the recogniser looks for in the folded prose, found in one pass over its words
            self.words = WordPhrases(
                {
                    "verbs": self.verb_forms,
                    "phrases": [p for phrase in lists["phrases"] for p in expand(phrase.lower())],
                    "source_phrases": [p for phrase in lists["source_phrases"] for p in expand(phrase.lower())],
                    "statements": [f"{prefix} {owner} {noun}" for prefix in ("in", "during") for owner in owners for noun in statement],
                    "vague_adverbs": self.vague_adverbs,
                    "vague_phrases": [p for phrase in lists["vague_phrases"] for p in expand(phrase.lower())],
                    "anonymous": [p for phrase in lists["anonymous"] for p in expand(phrase.lower())],
                }
            )
        except ValueError as exc:
            raise RuleError(rule.path, f"lexicon: {exc}") from None
        self.generic_sources = {form for noun in lists["generic_sources"] for form in noun_forms(noun.lower())}
        self.members = {form for noun in lists["members"] for form in noun_forms(noun.lower())}
        self.vague_channels = {form for noun in lists["vague_channels"] for form in noun_forms(noun.lower())}
        self.record_channels = {form for noun in lists["record_channels"] for form in noun_forms(noun.lower())}
        self.quantifiers = {" ".join(q.lower().split()) for q in lists["quantifiers"]}
        self.noun_homographs = frozenset(lemma.lower() for lemma in lists["noun_homographs"])
        self.also_nouns = frozenset(lemma.lower() for lemma in lists["also_nouns"])
        self.agency = trie_regex(lists["agencies"])  # case matters: AP, not "ap"
        self.credits_after_openers = finds_every_match_after(lists["agencies"], CREDIT_OPENERS)
        self._anonymity_reasons = [p for phrase in lists["anonymity_reasons"] for p in expand(phrase.lower())]
        self.continues = _alternatives(rule, lists["continues"])
        self.back_references = _alternatives(rule, lists["back_references"])

    @property
    def anonymity_reasons(self):
        """The regex of the reasons given for a source's anonymity (None: none); only AT105 asks."""
        reasons = self._anonymity_reasons
        if isinstance(reasons, list):
            reasons = self._anonymity_reasons = trie_regex(reasons)
        return reasons


def _participles(lemmas):
    return {form for lemma in lemmas for form in past_forms(lemma.lower())}


def _strings(rule, data, key):
    items = data.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise RuleError(rule.path, f"lexicon: '{key}' must be a list of strings")
    return items


def _alternatives(rule, patterns):
    """The lexicon's patterns as one regex (None when there are none), case as written."""
    return compile_rule_alternatives(patterns, 0, path=rule.path, what="lexicon regular expression")
