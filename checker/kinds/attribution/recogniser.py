"""The attribution recogniser: which sentences carry an attribution, which are
covered by one nearby, and which vague sources they name.

Rule-based and general: a cue is a form of a lemma of the lexicon, read in its
context of a few words:
- a speech verb (say, tell, warn...) attributes what follows, unless it stands in
  the agentless passive ("was reported", "it is said"), which names no source;
- an event verb (announce, reveal) attributes only with a complement ("announced
  that", "announced:"), not an object ("announced a study");
- a cognition verb (believe, expect) attributes only in the active voice with a
  subject ("officials believe"); "is expected to" is a prediction, not a source;
- a stance verb (plan, want, support) never attributes: it is the party's position;
- phrases (according to, quoted as saying), statements (in a statement) and
  agency credits ("(Reuters)") attribute;
- a generic group with a speech or cognition verb ("sources said", "many experts
  believe"), "according to reports" and channels ("a study shows") attribute, and
  are vague; agentless forms ("it is believed", "has been accused of", "is widely
  tipped to") and "reportedly" are vague and attribute nothing.
Cues inside quotations are the speaker's words and attribute nothing.

Carry policy (the rule's `scope`, `carry`, `carry_back`, `carry_from` and
`join_single_sentence_paragraphs`): a sentence is covered by its own cue, by the
quotation it stands in (attributed anywhere in the quotation), by a trailing
credit in one of the `carry` sentences before it ("..., Reuters recalled."), by
a back-reference after it ("This was reported by BFM.TV.", "About this informs Sky
News."), or by the sentence before when it opens as a continuation ("But").
"""

import re
from bisect import bisect_right

from checker.kinds.attribution.lexicon import CREDIT_OPENERS
from checker.matching.regex import matches_after

_TERMINALS = tuple(".!?:;…")
_CLOSERS = "\"”’'»)]"
_WORD = re.compile(r"[\w’'.-]*\w")
_BE = frozenset("is are was were be been being am 's ’s".split())
# verbs a participle after which is an adjective, not a cue: "seems assured", "became known"
_LINKING = frozenset("seem seems seemed appear appears appeared become becomes became remain remains remained get gets got look looks looked".split())
_HAVE = frozenset("has have had having".split())
_ADVERBS = frozenset(
    "widely generally also not never often commonly long previously already now still further reportedly later since "
    "first originally repeatedly publicly privately officially initially once however though too even "
    "have has had will would may might can could do does did must should shall".split()
)
_DETERMINERS = frozenset(
    "the a an this that these those his her its their our my your such new latest earlier recent last first previous "
    "no any each every".split()
)
_ARTICLES = frozenset("the a an this that these those his her its their our my your".split())
_PRONOUNS = frozenset("i we you he she they who it".split())
_THAT = frozenset(("that",))
# Marks that open a quotation: straight, curly, guillemet, single, and typewriter pairs.
_OPENING_MARKS = ('"', "“", "«", "‘", "''", "``")
_COMPLEMENT_MARKS = (":", ",", *_OPENING_MARKS)
# A clause with no "that" ("announced it is cutting jobs", "thinks he is the favourite",
# "believe the bill is likely to"): a subject, then a finite auxiliary or copula.
_CLAUSE_SUBJECTS = frozenset("i we you he she they it there this these those".split())
_FINITE = frozenset(
    "is are was were am 's ’s has have had will would can could may might must shall should do does did".split()
)


class SentenceView:
    """What the recogniser found in one sentence. The defaults are class
    attributes: a document has thousands of sentences, and most keep most defaults."""

    cue = None  # (start, end) of the first attribution outside quotations
    cues = ()  # every attribution span, in order
    vague = ()  # spans of vague sources (AT103), in order
    named = False  # an attribution that is not vague: a named or pronoun source
    impersonal = False  # an agentless report ("it is believed", "reportedly"): a vague source
    agentless = 0  # other agentless forms ("has been accused of", "is expected to"): no source at all
    stance = 0  # stance verbs (plan, want, support): a party's position
    cognition = 0  # cognition verbs without a subject or in the passive ("is expected to")
    event = 0  # event verbs with an object ("announced a study")
    credit = False  # the attribution closes the sentence ("..., Reuters reported.")
    back_reference = False  # attributes the sentence before too
    continues = False  # opens as a continuation of the sentence before
    question = False
    heading = False  # a paragraph of its own with no closing punctuation
    quotes = ()  # closed quotations the sentence overlaps

    def __init__(self, sentence):
        self.sentence = sentence


def analyse(doc, lexicon):
    """Per-sentence views, worked out once per document and lexicon."""
    return doc.memo(lexicon, "views", lambda: _views(doc, lexicon))


def _views(doc, lexicon):
    views = [SentenceView(sentence) for sentence in doc.sentences]
    _read_cues(doc, lexicon, views)
    for quote, inside in doc.quotation_sentences:
        if quote.closed:
            for index in inside:
                view = views[index]
                view.quotes = view.quotes + (quote,) if view.quotes else (quote,)
    for view in views:
        _describe(doc, lexicon, view)
    return views


def _read_cues(doc, lexicon, views):
    text, lower, starts = doc.prose, doc.folded_prose, doc.sentence_starts

    def view_at(offset):
        index = bisect_right(starts, offset) - 1
        if index >= 0 and offset < views[index].sentence.end and not doc.in_quotation(offset):
            return views[index]
        return None

    def add(view, span, vague=False):
        view.cues += (span,)
        if view.cue is None or span[0] < view.cue[0]:
            view.cue = span
        if vague:
            view.vague += (span,)
        else:
            view.named = True

    found = words_found(doc, lexicon)
    pronouns = []  # (sentence index, span) of cues whose speaker is "they": resolved below
    for span in found["verbs"]:
        view = view_at(span[0])
        if view is None:
            continue
        reading = _read_verb(text, lower, span, lexicon)
        if reading is None:
            continue
        kind, span = reading
        if kind == "attribution":
            add(view, span)
        elif kind == "they":
            pronouns.append((bisect_right(starts, span[0]) - 1, span))
        elif kind == "vague":
            add(view, span, vague=True)
        elif kind == "impersonal":
            view.impersonal = True
            view.vague += (span,)
        else:
            setattr(view, kind, getattr(view, kind) + 1)
    for start, end in found["phrases"] + found["statements"]:
        view = view_at(start)
        if view is not None:
            add(view, (start, end))
    for start, end in found["source_phrases"]:
        view = view_at(start)
        if view is not None:
            vague = _names_no_one(text, lower, end, lexicon)
            add(view, (start, _vague_end(lower, end, lexicon) if vague else end), vague)
    for span in found["vague_adverbs"] + found["vague_phrases"]:
        view = view_at(span[0])
        if view is not None:
            view.impersonal = True
            view.vague += (span,)
    for match in _agency_credits(text, lexicon):
        view = view_at(match.start())
        if view is not None:
            add(view, match.span())
    # "they said" is as vague as the group it refers to: the speakers of the nearest
    # attribution in the sentences before ("ministry sources said ... They said ...").
    for index, span in sorted(pronouns):
        earlier = next((views[i] for i in range(index - 1, max(-1, index - _PRONOUN_REACH - 1), -1) if views[i].cue is not None), None)
        add(views[index], span, vague=earlier is not None and bool(earlier.vague) and not earlier.named)
    for view in views:
        if len(view.vague) > 1:
            view.vague = tuple(sorted(set(view.vague)))
        if len(view.cues) > 1:
            view.cues = tuple(sorted(view.cues))


def words_found(doc, lexicon):
    """{list: [(start, end)]} of the lexicon's verbs, phrases, statements, vague adverbs and
    anonymous sources in the document's folded prose, found once per document."""
    return doc.memo(lexicon, "words", lambda: lexicon.words.find(doc.folded_prose))


# the last sentence or clause break in a window (greedy: the rightmost), and initials before it
_LAST_BREAK = re.compile("(?s).*([.;:?!]|\n\n|\",|,\"|”,|,”|»,|,»|'',|,'')")
_INITIALS_END = re.compile(r"\b(?:[a-z]\.)+\s*$")


def _words_before(lower, start, count=8):
    """The last `count` words before `start`, lowercase (punctuation between words is dropped,
    but a sentence or clause break ends the look back, and so does a quotation closed with a
    comma: in `"... it is", said X` the quotation's words are not the verb's subject)."""
    window = lower[max(0, start - 60) : start]
    last = _LAST_BREAK.match(window)
    if last is not None and not _INITIALS_END.search(window, 0, last.start(1) + 1):  # U.S. is not a break
        window = window[last.start(1) + 1 :]
    return _WORD.findall(window)[-count:]


def _words_after(lower, end, count=6):
    return _WORD.findall(lower[end : end + 60])[:count]


def _read_verb(text, lower, span, lexicon):
    """(kind, span) of a verb form in its context, or None when it is no cue:
    kind is attribution, vague, impersonal, agentless, stance, cognition or event."""
    start, end = span
    form = lower[start:end]
    lemma, verb_class, tag = lexicon.verb_forms[" ".join(form.split())]
    before = _words_before(lower, start)
    if not _reads_as_verb(text, lower, start, end, tag, before, lemma in lexicon.also_nouns):
        return None
    if lemma in lexicon.noun_homographs and tag in ("base", "s") and (lower[end : end + 2].lstrip().startswith(",") or not _complement_follows(lower, end, 1)):
        return None  # "in nine states", "primary states, starting with": a noun; "the report states that": a verb
    j = len(before) - 1
    while j >= 0 and (_is_adverb_word(before[j]) or (before[j] in _DEGREE and j >= 1 and before[j - 1] in _BE)):
        j -= 1  # "are most easily described": "most" is a degree, the verb a passive
    subject = before[j] if j >= 0 else None
    if subject == "one" and tag not in ("past", "participle") and (j == 0 or before[j - 1] not in _NOT_ANYONE):
        return None  # the generic pronoun, no source: "one finds that", "one may ask"
    if form in lexicon.participles and subject in _LINKING:
        return None  # "seems assured", "became known": an adjective
    if form in lexicon.participles and subject in _BE:
        return _read_passive(text, lower, form, verb_class, start, end, before, j, lexicon)
    if form in lexicon.impersonal_forms and lemma not in _ACTIVE_INFINITIVE and subject not in _PRONOUNS and _words_after(lower, end, 2) in (["to", "be"], ["to", "have"]):
        return "impersonal", (start, end)  # a reduced passive: "two men believed to be among", "a deal thought to be worth"
    if verb_class == "passive":
        return None  # a participle the lexicon reads only in the passive ("is widely tipped to")
    if tag == "ing":
        reporting_group = _group_before(text, lower, start, before) and _complement_follows(lower, end, 1)
        if not (subject in _BE or lower[max(0, start - 3) : start].rstrip().endswith((",", "—", "–", "-", "(")) or reporting_group):
            return None  # "has avoided criticising the plan": no one speaks; ", saying", "is saying", "voters saying they" do
        while j >= 0 and (before[j] in _BE or _is_adverb_word(before[j])):
            j -= 1  # "experts are already saying": the subject is before the auxiliary
        subject = before[j] if j >= 0 else None
    if lemma == "add" and not (_complement_follows(lower, end, 1) or _trails_a_statement(lower, start, end) or _after_a_break(lower, start)):
        return None  # "added 300 jobs", "add a few tablespoons", "add to his tally": no one speaks
    if lemma in _EVIDENTIAL and subject in _FACT_PRONOUNS:
        return None  # "which suggests that", "this shows that": the writer's inference, no source
    if verb_class == "channel" and subject not in lexicon.vague_channels and subject not in lexicon.record_channels:
        head = _channel_heading(text, lower, start, before, j, lexicon)
        if head is not None:
            j, subject = head, before[head]  # "a Marquette Law School poll released last week showed"
    kind = _read_class(text, lower, verb_class, tag, start, end, subject, lexicon)
    if kind != "speech":
        return None if kind is None else (kind, (start, end))
    vague_start = _generic_subject(text, lower, start, before, j, lexicon)
    if vague_start is None:
        vague_start = _generic_behind_phrase(lower, start, before, j, lexicon)
    if vague_start is not None:
        return "vague", (vague_start, end)
    vague_end = _generic_after(text, lower, start, end, lexicon)
    if vague_end is not None:
        return "vague", (start, vague_end)
    if subject == "they":
        return "they", (_start_of_word_back(lower, start, len(before) - j), end)
    return "attribution", (start, end)


# reporting verbs that take an infinitive in the active: "the firm claimed to be the biggest"
_ACTIVE_INFINITIVE = frozenset(("claim", "hope"))
_PRONOUN_REACH = 3  # sentences back that "they" may refer to


def _channel_heading(text, lower, start, before, j, lexicon):
    """Index of a channel noun that heads the subject at `j` (itself no channel) through a
    short post-modifier ("a poll out this week shows", "a survey by Gallup in March
    found", "a poll from USA Today found"), or None."""
    for k in range(j, max(-1, j - 7), -1):
        word = before[k]
        if word in lexicon.vague_channels or word in lexicon.record_channels:
            return k
        if not (word in _POST_MODIFIERS or word in _PREPOSITIONS or word in _ARTICLES or word[:1].isdigit() or _named(text, lower, start, word)):
            return None
    return None


# what may stand between a channel and its verb: "released last week", "out this month"
_POST_MODIFIERS = frozenset(
    "out released published conducted commissioned carried taken last this next week month year weekend today yesterday "
    "earlier monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december".split()
)


def _group_before(text, lower, start, before):
    """Is the word before the form a plural common noun ("with investors saying that",
    "62 percent of voters saying they"), not a name ("a House of Lords ruling that")?"""
    if not before:
        return False
    word = before[-1]
    if len(word) <= 3 or word in _DETERMINERS or word in _BE or word in _HAVE or word in _PREPOSITIONS or word in _ADVERBS:
        return False  # "his warning that", "was saying"
    return word.endswith("s") and not word.endswith(("ss", "'s", "’s")) and word.isalpha() and not _capitalised(text, lower, start, word)


def _after_a_break(lower, start):
    """Does the verb follow a comma or a quotation mark (`"...," added Smith`)?"""
    return lower[max(0, start - 3) : start].rstrip().endswith((",", '"', "”", "''"))


def _generic_after(text, lower, start, end, lexicon):
    """The end of a generic group named after an inverted verb of a trailing credit
    (`..., said one trader.`, `"...," said a strategist for one campaign`), or None when
    the verb does not follow a comma or quotation, or the speaker is named, anaphoric
    ("said the analyst") or placed by a named employer ("said analysts at Barclays")."""
    if not _after_a_break(lower, start):
        return None
    words = list(_WORD.finditer(lower, end, min(len(lower), end + 60)))
    if words and words[0].group() == "one" and lower[words[0].end() : words[0].end() + 1] in (".", ",", ";", ""):
        return words[0].end()  # '"...," said one.'
    k = 0
    single = k < len(words) and words[k].group() in ("a", "an", "one")
    k += single
    while k < len(words) and words[k].group() in lexicon.quantifiers:
        k += 1
    if single:  # up to three modifiers after "one": "said one unaligned Florida Republican strategist"
        n = k
        while n < min(len(words), k + 3) and words[n].group() not in lexicon.generic_sources and words[n].group().isalpha() and words[n].group() not in _PREPOSITIONS:
            n += 1
        named = any(text[w.start()].isupper() for w in words[k:n])
        if n < len(words) and words[n].group() in lexicon.generic_sources and (words[n].group() in _UNNAMED_BY_NATURE or not named):
            k = n
    if k >= len(words) or words[k].group() not in lexicon.generic_sources or text[words[k].start()].isupper():
        return None
    noun = words[k]
    if k == 0 and not noun.group().endswith("s"):
        return None  # a bare singular is no group: "said source code"
    if _employer_after(text, words, k):
        return None  # "analysts at Barclays": the employer names them
    return noun.end()


def _read_passive(text, lower, form, verb_class, start, end, before, j, lexicon):
    """A participle after a form of be: an agent ("by the ministry") names the source,
    a generic one ("is seen by many experts as", "was criticised by campaigners") is
    vague; without one, "it is believed" and "is said to" are vague, "has been accused
    of" names no one, and any other passive is no cue."""
    if _has_agent(lower, end):
        agent_end = None if verb_class in ("stance", "event") else _generic_agent(text, lower, end, lexicon)
        if agent_end is not None:
            return "vague", (start, agent_end)
        return "attribution", (start, end)
    first = j - 1 if j >= 1 and before[j - 1] in ("it", "has", "have", "had") else j
    after_it = "it" in before[max(0, j - 2) : j]
    # a reporting verb after "it" or before "to"/"as" (not "will not be known until"), or any
    # report in the impersonal frame with a statement after it ("it was announced that")
    if (form in lexicon.impersonal_forms and (after_it or _words_after(lower, end, 1) in (["to"], ["as"]))) or (
        verb_class in ("speech", "event") and after_it and _complement_follows(lower, end, 3)
    ):
        return "impersonal", (_start_of_word_back(lower, start, len(before) - first), end)
    if form in lexicon.agentless_forms:
        return "agentless", (start, end)
    return None


def _has_agent(lower, end):
    """Does "by" name the passive's agent within six words, and not a clause's own
    ("it was claimed he had been embarrassed by the fact")?"""
    words = _words_after(lower, end, 6)
    if "by" not in words:
        return False
    return not any(word in _CLAUSE_SUBJECTS or word in _FINITE for word in words[: words.index("by")])


def _generic_agent(text, lower, end, lexicon):
    """The end of a generic group as a passive's agent ("by many experts", "by
    television critics", "by a source"), or None when the agent is named, anaphoric
    ("by the experts") or placed by a named employer ("by analysts at Barclays")."""
    words = list(_WORD.finditer(lower, end, min(len(lower), end + 80)))
    at = next((n for n, w in enumerate(words[:6]) if w.group() == "by"), None)
    if at is None:
        return None
    k = at + 1
    single = k < len(words) and words[k].group() in ("a", "an", "one")
    k += single
    while k < len(words) and words[k].group() in lexicon.quantifiers:
        k += 1
    generic = lexicon.generic_sources | lexicon.vague_channels
    for _ in range(2):  # up to two modifiers: "by television indecency critics"
        if k + 1 < len(words) and words[k].group() not in generic and words[k].group().isalpha() and words[k].group() not in _ARTICLES:
            k += 1
    if k >= len(words) or words[k].group() not in generic:
        return None
    if any(text[w.start()].isupper() for w in words[at + 1 : k + 1]):
        return None  # "by Western diplomats" reads as generic too, but a capital may be a name: leave it named
    noun = words[k]
    if not (single or noun.group().endswith("s") or noun.group() in ("people", "media", "press", "research")):
        return None  # "by the analyst", "by analyst John Smith"
    if _employer_after(text, words, k):
        return None  # "by analysts at Barclays"
    return noun.end()


def _read_class(text, lower, verb_class, tag, start, end, subject, lexicon):
    """What a verb of `verb_class` with this subject and what follows it is: "speech"
    (an attribution, vague or not, by its subject), "attribution" (whatever the
    subject), "vague", or a kind that attributes nothing (stance, event, cognition),
    or None."""
    if verb_class == "stance":
        return "stance"
    if verb_class == "characterisation":  # "called the plan 'a disgrace'", "called on", "hailed as"
        return "speech" if _words_after(lower, end, 1)[:1] in (["on"], ["as"]) or _quote_follows(lower, end) else None
    if verb_class == "channel":  # "a study shows", "F.A.A. records show", "researchers found that"
        if subject in lexicon.record_channels:
            return "attribution"  # "records show": a public record, named enough
        if subject in lexicon.vague_channels:
            return "speech"  # vague or named, as its subject tells
        return "speech" if subject is not None and _complement_follows(lower, end, 1) else None
    if verb_class == "event":  # "announced that ...", or a trailing credit: "..., the ministry announced."
        trailing = tag in ("past", "s") and _trails_a_statement(lower, start, end)
        return "speech" if trailing or _complement_follows(lower, end, 5) else "event"  # vague or named, as its subject tells
    if verb_class == "cognition":
        if tag == "ing" or subject is None:
            return "cognition"
        named = subject in _PRONOUNS or subject in lexicon.generic_sources or _capitalised(text, lower, start, subject)
        if not named and not _complement_follows(lower, end, 1):
            return "cognition"
    return "speech"


# what a noun follows: "ahead of IMF forecasts", "to claim new cards", "the editor's note"
_PREPOSITIONS = frozenset(
    "of in on for with from at by about into over under after before than between among against during without "
    "within ahead to per via".split()
)
# words ending in -ly that are no adverbs
_LY_NOUNS = frozenset("family assembly ally rally supply italy july monopoly belly reply anomaly".split())


def _is_adverb_word(word):
    return word in _ADVERBS or (len(word) > 4 and word.endswith("ly") and word not in _LY_NOUNS)


def _reads_as_verb(text, lower, start, end, tag, before, noun_too):
    """Can the form be a verb here? Not a name written with a capital mid-sentence
    ("the United States"), not part of a compound ("state-run"), not a noun after
    a determiner, a preposition or a possessive ("the report", "of IMF forecasts",
    "the editor's note"), not an adjective after a determiner ("the alleged
    attacker", "the first reported case"). `noun_too`: the verb is a noun too, so after
    a determiner and adjectives it is one ("the racial remarks"; "the president says" speaks)."""
    if before and text[start].isupper():
        return False
    if lower[end : end + 1] == "-" or (start > 0 and lower[start - 1] == "-"):
        return False
    previous = before[-1] if before else None
    if tag in ("base", "s"):
        if previous in _DETERMINERS or (previous in _PREPOSITIONS and not _reports_after_to(lower, end, before)) or _cardinal_before(lower, start, previous):
            return False  # "the report", "in nine states"; but "went on to say", "was quick to add" report
        if tag == "base" and previous == "one":
            return False  # "one question", "one hope": a noun ("one said" is past, "one says" a form in -s)
        if tag == "s" and len(before) >= 2 and before[-2] in _PREPOSITIONS and previous not in _PRONOUNS:
            return False  # "ahead of IMF forecasts", "according to media reports"
        if previous is not None and previous.endswith(_POSSESSIVE):
            return False
        if noun_too and _adjectives_after_a_determiner(before):
            return False  # "Trump's wide-ranging comments", "the racial remarks": a noun ("the president says" is no noun)
    if tag in ("past", "participle") and (previous in _DETERMINERS or _cardinal_before(lower, start, previous)) and lower[end : end + 1] == " ":
        after = _words_after(lower, end, 1)
        if after and after[0] not in _PREPOSITIONS and after[0] not in _THAT:
            return False
    return True


def _reports_after_to(lower, end, before):
    """An infinitive that reports what follows: "he went on to say:", "was quick to add that"
    (not "went on to report for the Times")."""
    return before[-2:] in (["on", "to"], ["quick", "to"]) and _complement_follows(lower, end, 1)


_POSSESSIVE = ("'s", "’s", "s'", "s’")  # "the editor's", "the editors'"
_ADJECTIVE_ENDINGS = ("ing", "ed", "al", "ful", "ous", "ive", "ic", "ant", "ent", "ary", "est")


def _adjectives_after_a_determiner(before):
    """Do one or two adjective-like words ("scathing", "most significant") stand between a
    determiner or a possessive and the form? Then the form is a noun they qualify."""
    for n in (1, 2):
        if len(before) <= n:
            return False
        word = before[-n]
        if not (word in _DEGREE or (len(word) > 4 and word.endswith(_ADJECTIVE_ENDINGS))):
            return False
        head = before[-n - 1]
        if head in _ARTICLES or head.endswith(_POSSESSIVE):
            return True
    return False


# Cardinal numbers before a form make it a noun or an adjective ("two states", "270 pledged
# delegates"); "one" is left out: "one said" is a speaker.
_CARDINALS = frozenset(
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand "
    "thousands million millions billion billions dozen dozens".split()
)


def _cardinal_before(lower, start, previous):
    """Is the word right before `start` (no punctuation between: not "£24.5m, said") a cardinal?"""
    return previous is not None and (previous in _CARDINALS or previous[:1].isdigit()) and lower[:start].rstrip()[-1:].isalnum()


def _trails_a_statement(lower, start, end):
    """Does the verb close its sentence after a comma and a short subject, as a trailing
    credit does ("..., the report stated.", "..., the company announced on Monday.")?"""
    rest = lower[end : end + 40]
    stop = min((rest.find(mark) for mark in ".!?\n" if mark in rest), default=-1)
    if stop < 0 or len(_WORD.findall(rest[:stop])) > 3:
        return False
    head = lower[max(0, start - 60) : start]
    comma = max(head.rfind(","), head.rfind("”"), head.rfind('"'))
    return comma >= 0 and 0 < len(_WORD.findall(head[comma + 1 :])) <= 5


def _complement_follows(lower, end, reach):
    """Does a reported statement follow within `reach` words: "that", a colon or a
    quotation ("announced on Monday that", "claimed:")?"""
    rest = lower[end : end + 3].lstrip()
    if rest.startswith(_COMPLEMENT_MARKS):
        return True
    words = _words_after(lower, end, reach)
    clause = lower[end : end + 60]
    cut = min((clause.find(mark) for mark in ".;!?" if mark in clause), default=len(clause))
    if "that" in words and "that" in _WORD.findall(clause[:cut]):
        return True
    return _clause_follows(_WORD.findall(clause[:cut])[:5])


def _clause_follows(words):
    """Do the words open a clause with no "that": a subject pronoun and a finite verb
    ("it is", "he would"), or "the" and a noun or two before one ("the bill is")?"""
    if len(words) >= 2 and words[0] in _CLAUSE_SUBJECTS and words[1] in _FINITE:
        return True
    if words[:1] == ["the"]:
        return any(word in _FINITE for word in words[2:4]) and not any(word in _PREPOSITIONS for word in words[1:3])
    return False


def _quote_follows(lower, end, reach=8):
    """Does a quotation open within `reach` words, in the same sentence?"""
    window = lower[end : end + 80]
    cut = min((window.find(mark) for mark in ".;!?" if mark in window), default=len(window))
    window = window[:cut]
    words = _WORD.findall(window)
    if len(words) > reach:
        window = window[: window.find(words[reach]) if words[reach] in window else len(window)]
    return any(mark in window for mark in _OPENING_MARKS)


def _capitalised(text, lower, start, word):
    """Is `word`, as last written before `start`, written with a capital (a name, or the sentence's first word)?"""
    at = lower.rfind(word, max(0, start - 60), start)
    return at >= 0 and text[at : at + 1].isupper()


def _start_of_word_back(lower, start, count):
    """Offset of the start of the word `count` words before `start` (1: the word just before)."""
    window_start = max(0, start - 60)
    words = list(_WORD.finditer(lower, window_start, start))
    if count <= 0 or not words:
        return start
    return words[-min(count, len(words))].start()


def _generic_subject(text, lower, start, before, j, lexicon):
    """Where a vague subject starts ("sources", "many experts", "a source", "reports"),
    or None when the subject is named, a pronoun, or anaphoric ("the analysts")."""
    if j < 0:
        return None
    word = before[j]
    if word in _GROUP_QUANTIFIERS and word != "other" and not _named(text, lower, start, word):
        if not _opens_a_clause(lower, start, before, j):
            return None  # a degree adverb: "are most easily described", "he most recently wrote"
        return _start_of_word_back(lower, start, len(before) - j)  # "most acknowledged", "others say"
    if word == "one" and (j == 0 or before[j - 1] not in _NOT_ANYONE):
        return _start_of_word_back(lower, start, len(before) - j)  # '"...," one said': one of them, unnamed
    if (word in lexicon.generic_sources or word in lexicon.vague_channels) and _named(text, lower, start, word):
        return None  # a name: "a Technical Group (formally called", "the Group said"
    if word in lexicon.members and j >= 1 and before[j - 1] not in lexicon.quantifiers and _named(text, lower, start, before[j - 1]):
        return None  # "FAA officials said", "French officials said": placed in a named body
    if word not in lexicon.generic_sources and word not in lexicon.vague_channels:
        # any group that a quantifier leaves unnamed: "other employees said", "many Republicans expect"
        if j >= 1 and before[j - 1] in _GROUP_QUANTIFIERS and word.endswith("s") and not word.endswith("ss"):
            return _start_of_word_back(lower, start, len(before) - (j - 1))
        return None
    plural = word.endswith("s") or word in ("people", "media", "research", "data", "press")
    k = j - 1
    while k >= 0 and (before[k] in lexicon.quantifiers or (k == j - 1 and _adjective_before(lower, start, before[k], word))):
        k -= 1
    modifier = before[k] if k >= 0 else None
    if not plural and modifier not in ("a", "an", "one"):
        # "one leading options analyst said"; but "an Investment Ministry official" is placed by a name
        n, indefinite = _indefinite_before(before, j, k, modifier)
        if word in _UNNAMED_BY_NATURE or not any(_named(text, lower, start, w) for w in before[n + 1 : j]):
            k, modifier = n, indefinite
    if modifier == "the" and word in _GENERIC_WITH_THE:
        return _start_of_word_back(lower, start, len(before) - k)  # "the media reported"
    if modifier in ("the", "these", "those", "this", "that", "his", "her", "their", "its", "our") and word not in _UNNAMED_BY_NATURE:
        return None  # anaphoric: names someone named before
    if word in lexicon.vague_channels and any(_named(text, lower, start, w) for w in before[max(k, 0) : j] if w not in _DETERMINERS):
        return None  # a named channel: "F.A.A. records show", "a Gallup poll found"
    if word in lexicon.vague_channels and any(w in ("by", "from") for w in before[j + 1 :]):
        return None  # its maker follows: "a survey by the organization found", "a poll from USA Today found"
    if not plural and modifier not in ("a", "an", "one") and word not in lexicon.quantifiers and not (modifier is None and word in lexicon.vague_channels):
        return None  # "the analyst", "Smith said"; but a bare channel is vague: "speculation suggests"
    first = k + 1 if modifier not in ("a", "an", "one") else k
    return _start_of_word_back(lower, start, len(before) - first)


# A source is unnamed by definition: "the sources said", "the ministry sources said" still name no one.
_UNNAMED_BY_NATURE = frozenset(("source", "sources"))
# Groups that "the" does not make anaphoric: "the media reported", "according to the press".
_GENERIC_WITH_THE = frozenset(("media", "press"))


def _indefinite_before(before, j, k, modifier):
    """(index, word) of an "a", "an" or "one" up to three modifiers before the noun at `j`
    ("one leading options analyst", "a senior Republican aide"), else (k, modifier) unchanged."""
    for n in range(j - 1, max(-1, j - 5), -1):
        word = before[n]
        if word in ("a", "an", "one"):
            return n, word
        if not word.isalpha() or word in _DETERMINERS or word in _BE or word in _HAVE or word in _PREPOSITIONS:
            break
    return k, modifier


def _adjective_before(lower, start, candidate, noun):
    """Can `candidate` be an adjective of `noun` ("new study", "Western diplomats")?
    Not an article, a form of be or have, a preposition, nor a word across a comma ("so, sources")."""
    if not candidate.isalpha() or candidate in _ARTICLES or candidate in _BE or candidate in _HAVE or candidate in _PREPOSITIONS or candidate == "one":
        return False
    return re.search(rf"\b{re.escape(candidate)}[ \t\n]+{re.escape(noun)}\b", lower[max(0, start - 80) : start]) is not None


# what may come before a quantifier that is a clause's subject ("..., but most say")
_CLAUSE_OPENERS = frozenset("and but or while whereas though although because since as if that yet so when where who".split())


def _opens_a_clause(lower, start, before, j):
    """Is the word at `j` (before the verb at `start`) where a clause starts: the first
    word looked back at, or after a comma, a dash, a bracket or a conjunction?"""
    if j == 0 or before[j - 1] in _CLAUSE_OPENERS:
        return True
    at = _start_of_word_back(lower, start, len(before) - j)
    return lower[max(0, at - 3) : at].rstrip().endswith((",", "—", "–", "(", '"', "“"))


_DEGREE = frozenset(("most", "more", "least", "less"))
# verbs of evidence: with a pronoun that stands for a fact as subject they infer, no one speaks
_EVIDENTIAL = frozenset(("suggest", "show", "indicate", "signal", "confirm", "underline", "reveal"))
_FACT_PRONOUNS = frozenset(("it", "this", "that", "which", "these", "those"))
_GROUP_QUANTIFIERS = frozenset("some many several most other others various numerous few".split())
_NOT_ANYONE = frozenset("no the this that which every each any".split())  # "no one said", "the one said"


def _named(text, lower, start, word):
    """Is `word` (the last time it is written before `start`) a name: capitalised, and
    not merely because it opens the sentence?"""
    at = lower.rfind(word, max(0, start - 80), start)
    if at < 0 or not text[at : at + 1].isupper():
        return False
    opening = text[max(0, at - 3) : at].rstrip(" \t\"“‘'(")
    return at > 0 and opening != "" and opening[-1] not in ".!?\n"
_LINKS = (("close", "to"), ("familiar", "with"), ("knowledge", "of"))


def _generic_behind_phrase(lower, start, before, j, lexicon):
    """A generic group before "close to", "familiar with", "with knowledge of":
    "sources close to the campaign said", "people familiar with the matter say"; or a
    plural one before a topic or a place ("experts on North Korea said", "sources within
    the party told": still no one named; not "analysts at Barclays", whom an employer names)."""
    for k in range(j - 1, 0, -1):
        if (before[k - 1], before[k]) in _LINKS and k >= 2 and before[k - 2] in lexicon.generic_sources:
            return _start_of_word_back(lower, start, len(before) - (k - 2))
    for k in range(j - 1, 0, -1):
        noun = before[k - 1]
        if before[k] in ("on", "within", "inside") and noun in lexicon.generic_sources and noun.endswith("s"):
            return _start_of_word_back(lower, start, len(before) - (k - 1))
    return None


def _names_no_one(text, lower, end, lexicon):
    """After "according to": a generic group or a channel ("reports", "some experts",
    "exit polls", "preliminary data": up to two lowercase modifiers before it)."""
    matches = list(_WORD.finditer(lower, end, min(len(lower), end + 60)))[:5]
    words = [m.group() for m in matches]
    if words[:1] == ["the"] and words[1:2] and words[1] in _GENERIC_WITH_THE:
        words, matches = words[1:], matches[1:]  # "according to the media"
    while words and (words[0] in lexicon.quantifiers or words[0] in ("media", "press", "news", "unconfirmed", "unofficial", "local", "official")):
        if words[0] in lexicon.generic_sources and (len(words) == 1 or words[1] not in lexicon.generic_sources | lexicon.vague_channels):
            return True
        words, matches = words[1:], matches[1:]
    generic = lexicon.generic_sources | lexicon.vague_channels
    for n, word in enumerate(words[:3]):
        if word in generic:
            return not _placed_by_a_name(text, matches, n)
        if word in _ARTICLES or not word.isalpha() or text[matches[n].start()].isupper():
            return False  # "according to the ministry", "according to Reuters data"
    return False


def _placed_by_a_name(text, matches, n):
    """Is the generic word `matches[n]` named by what follows it: a name right after it
    ("citing historian David Irving") or an employer ("according to analysts at Barclays")?"""
    following = matches[n + 1 : n + 2]
    if following and text[following[0].start()].isupper() and text[matches[n].end() : following[0].start()] == " ":
        return True
    return _employer_after(text, matches, n)


def _employer_after(text, matches, n):
    """Does a named employer follow the generic word `matches[n]` (word matches of the
    folded text): a preposition, then a capital ("analysts at Barclays", "officials of Gazprom")?"""
    following = matches[n + 1 : n + 3]
    return len(following) == 2 and following[0].group() in ("at", "from", "of", "with") and text[following[1].start()].isupper()


def _vague_end(lower, end, lexicon):
    """The end of the vague group after "according to": its last noun ("media reports")."""
    found = end
    for match in _WORD.finditer(lower, end, min(len(lower), end + 60)):
        if match.group() in lexicon.generic_sources or match.group() in lexicon.vague_channels:
            found = match.end()
        elif found != end:
            break
    return found


def _agency_credits(text, lexicon):
    """Agency names written as the credit itself, after "(" or a dash and at most two
    white-space characters: "(Reuters)", "- TASS"."""
    if lexicon.agency is None:
        return ()
    if lexicon.credits_after_openers:  # the names cannot hide one another: look after the openers only
        return matches_after(lexicon.agency, text, CREDIT_OPENERS, gap=2)
    return (m for m in lexicon.agency.finditer(text) if _word_start(text, m.start()) and text[max(0, m.start() - 3) : m.start()].rstrip().endswith(CREDIT_OPENERS))


def _word_start(text, offset):
    return offset == 0 or not (text[offset - 1].isalnum() or text[offset - 1] == "_")


def _describe(doc, lexicon, view):
    """A question? A continuation, a back-reference, a heading, a trailing credit?"""
    text, sentence = doc.prose, view.sentence
    s, e = sentence.start, sentence.end
    if "?" in sentence.text and sentence.text.rstrip(" \"”’'»)").endswith("?"):
        view.question = True
    if lexicon.continues is not None and lexicon.continues.match(text, s, e):
        view.continues = True
    if lexicon.back_references is not None:
        found = lexicon.back_references.match(text, s, e)
        if found is not None:
            view.back_reference = True
            if view.cue is None:  # "About this informs Sky News.": the credit is the sentence's own too
                view.cue = found.span()
                view.cues = (found.span(),)
                view.named = True
    if (
        len(doc.paragraphs[sentence.paragraph].sentences) == 1
        and sentence.text.rstrip(_CLOSERS)[-1:] not in _TERMINALS
        and not more_words(text, s, e, 25)
    ):
        view.heading = True
    if view.cue is not None:
        before = text[s : view.cue[0]]
        view.credit = view.back_reference or (
            ("," in before or "”" in before or '"' in before or "''" in before) and not more_words(text, view.cue[1], e, lexicon.credit_window)
        )


_WORDS_BEYOND = {}


def more_words(text, start, end, count):
    """Are there more than `count` words in text[start:end]? (stops counting there)"""
    if count < 0:
        return True
    if end - start < 2 * count + 1:
        return False  # too short to hold count + 1 words and the gaps between them
    regex = _WORDS_BEYOND.get(count)
    if regex is None:
        regex = _WORDS_BEYOND[count] = re.compile(rf"\W*(?:\w+\W+){{{count}}}\w")
    return regex.match(text, start, end) is not None


# --- carry ------------------------------------------------------------------


def carry_groups(doc, join_single):
    """Lists of sentence indices within which attributions carry: paragraphs, with
    runs of one-sentence paragraphs joined when `join_single`."""
    groups, run = [], []
    for paragraph in doc.paragraphs:
        if join_single and len(paragraph.sentences) == 1:
            run.extend(paragraph.sentences)
            continue
        if run:
            groups.append(run)
            run = []
        groups.append(list(paragraph.sentences))
    if run:
        groups.append(run)
    return groups


def attributed(doc, views, params):
    """For each sentence: True when it is attributed in itself or by carry, under the
    carry policy in `params` (a rule's parameters)."""
    own = [view.cue is not None for view in views]
    join_single = params["join_single_sentence_paragraphs"]
    groups = doc.memo(carry_groups, join_single, lambda: carry_groups(doc, join_single))
    covered = list(own)
    if params["scope"] == "paragraph":
        for group in groups:
            if any(own[i] for i in group):
                for i in group:
                    covered[i] = True
        return covered
    group_of = {i: n for n, group in enumerate(groups) for i in group}
    for quote, inside in doc.quotation_sentences:
        if not quote.closed or not inside:
            continue
        # a quotation shares its speaker's attribution, and so does the quotation that
        # follows a quoted credit ("“We will win,” he said. “The army is ready.”")
        before = inside[0] - 1
        follows_credit = (
            before >= 0 and own[before] and views[before].credit and views[before].quotes
            and group_of.get(before) == group_of.get(inside[0]) and doc.prose[views[before].sentence.end : quote.start].strip() == ""
        )
        if follows_credit or any(own[i] for i in inside):
            for i in inside:
                covered[i] = True
    forward, backward, any_carries = params["carry"], params["carry_back"], params["carry_from"] == "any"
    for group in groups:
        for position, index in enumerate(group):
            view = views[index]
            if own[index]:
                if (any_carries or view.credit) and not (view.quotes and _quotes_its_content(doc, view, params["min_quote_words"])):
                    for j in group[position + 1 : position + 1 + forward]:
                        covered[j] = True
                reach = max(backward, 1 if view.back_reference else 0)
                for j in group[max(0, position - reach) : position]:
                    covered[j] = True
        if params["follow_continuations"]:
            for position in range(1, len(group)):  # in order: a run of continuations passes it along
                if views[group[position]].continues and covered[group[position - 1]]:
                    covered[group[position]] = True
    return covered


def _quotes_its_content(doc, view, minimum):
    """The sentence attributes a direct quotation: the quotation marks show where the
    speaker's words end, so the attribution does not reach past them."""
    return any(q.closed and more_words(doc.prose, q.start, q.end, minimum - 1) for q in view.quotes)
