"""English inflections, generated from lemmas: lexicons list `say`, never `says, said, saying`.

`verb_forms("report")` gives report, reports, reported, reporting; irregular verbs
come from a table of the irregular verbs a newsroom writes (said, told, wrote,
thought...). `noun_forms("source")` gives source, sources. The rules are the
regular ones of English spelling: -s/-es/-ies, -ed/-d/-ied with a doubled final
consonant after a stressed short vowel (admitted, but not visited), -ing with a
dropped silent e (arguing, but not seeing). British and American spellings are
separate lemmas (criticise, criticize).
"""

_IRREGULAR = {
    # lemma: (past, past participle)
    "say": ("said", "said"), "tell": ("told", "told"), "write": ("wrote", "written"), "speak": ("spoke", "spoken"),
    "think": ("thought", "thought"), "know": ("knew", "known"), "feel": ("felt", "felt"), "hear": ("heard", "heard"),
    "find": ("found", "found"), "show": ("showed", "shown"), "see": ("saw", "seen"), "give": ("gave", "given"),
    "make": ("made", "made"), "put": ("put", "put"), "forecast": ("forecast", "forecast"), "seek": ("sought", "sought"),
    "teach": ("taught", "taught"), "bring": ("brought", "brought"), "tip": ("tipped", "tipped"), "rise": ("rose", "risen"),
    "fall": ("fell", "fallen"), "hold": ("held", "held"), "lead": ("led", "led"), "read": ("read", "read"),
    "mean": ("meant", "meant"), "set": ("set", "set"), "go": ("went", "gone"), "come": ("came", "come"),
    "get": ("got", "got"), "take": ("took", "taken"), "understand": ("understood", "understood"),
    "foresee": ("foresaw", "foreseen"), "withhold": ("withheld", "withheld"), "swear": ("swore", "sworn"),
    "choose": ("chose", "chosen"), "win": ("won", "won"), "lose": ("lost", "lost"), "buy": ("bought", "bought"),
    "sell": ("sold", "sold"), "pay": ("paid", "paid"), "keep": ("kept", "kept"), "leave": ("left", "left"),
    "meet": ("met", "met"), "send": ("sent", "sent"), "spend": ("spent", "spent"), "build": ("built", "built"),
    "begin": ("began", "begun"), "break": ("broke", "broken"), "cut": ("cut", "cut"), "hit": ("hit", "hit"),
    "quit": ("quit", "quit"), "bet": ("bet", "bet"), "shoot": ("shot", "shot"), "fight": ("fought", "fought"),
    "flee": ("fled", "fled"), "strike": ("struck", "struck"), "steal": ("stole", "stolen"), "be": ("was", "been"),
    "have": ("had", "had"), "do": ("did", "done"),
}
_THIRD_PERSON = {"be": "is", "have": "has", "do": "does", "go": "goes"}
_VOWELS = "aeiou"
# Verbs whose final consonant doubles although the last syllable is unstressed
# in no common word, and those that never double: spelled as news copy does.
_DOUBLES = frozenset(
    """
    admit commit submit permit omit regret refer prefer confer occur control patrol compel expel
    propel rebut abet equip quip tip ban plan stop drop slam blog chat jab nag stab rob hug beg wed
    pin grin sin chip slip grip trip ship step shop flop snub rub scrap trap tap zap spar star bar
    mar scar stir blur spur slur concur incur defer deter infer transfer upset dub
    bet set put cut hit quit win get
    """.split()
)


def _s_form(lemma):
    if lemma in _THIRD_PERSON:
        return _THIRD_PERSON[lemma]
    if lemma.endswith(("s", "x", "z", "ch", "sh", "o")):
        return lemma + "es"
    if lemma.endswith("y") and len(lemma) > 1 and lemma[-2] not in _VOWELS:
        return lemma[:-1] + "ies"
    return lemma + "s"


def _doubles(lemma):
    return lemma in _DOUBLES


def _ed_form(lemma):
    if lemma.endswith("e"):
        return lemma + "d"
    if lemma.endswith("y") and len(lemma) > 1 and lemma[-2] not in _VOWELS:
        return lemma[:-1] + "ied"
    if _doubles(lemma):
        return lemma + lemma[-1] + "ed"
    return lemma + "ed"


def _ing_form(lemma):
    if lemma.endswith("ie"):
        return lemma[:-2] + "ying"
    if lemma.endswith("e") and not lemma.endswith(("ee", "ye", "oe")) and len(lemma) > 2:
        return lemma[:-1] + "ing"
    if _doubles(lemma):
        return lemma + lemma[-1] + "ing"
    return lemma + "ing"


def verb_forms(lemma):
    """{form: tag} of a verb lemma: base, s (3rd person), past, participle, ing.
    A multi-word lemma ("point out") inflects its first word. A verb ending in a
    vowel and `l` has both spellings (signaled, signalled): agency copy writes both."""
    head, _, rest = lemma.partition(" ")
    tail = " " + rest if rest else ""
    past, participle = _IRREGULAR.get(head, (_ed_form(head), _ed_form(head)))
    candidates = [(head, "base"), (_s_form(head), "s"), (past, "past"), (participle, "participle"), (_ing_form(head), "ing")]
    if head.endswith("l") and not head.endswith("ll") and len(head) > 2 and head[-2] in _VOWELS and head[-3] not in _VOWELS:
        candidates += [(head + "led", "past"), (head + "ling", "ing")]
    if head == "forecast":
        candidates.append(("forecasted", "past"))
    forms = {}
    for form, tag in candidates:
        forms.setdefault(form + tail, tag)
    if head == "be":
        for form in ("am", "are", "were"):
            forms.setdefault(form + tail, "past" if form == "were" else "base")
    return forms


def past_forms(lemma):
    """The past and past participle forms of a verb lemma, also where one is spelled as
    the base form and `verb_forms` tags it base ("is forecast to", "was put")."""
    head, _, rest = lemma.partition(" ")
    tail = " " + rest if rest else ""
    return {form + tail for form, tag in verb_forms(head).items() if tag in ("past", "participle")} | {
        form + tail for form in _IRREGULAR.get(head, ())
    }


_IRREGULAR_PLURALS = {"person": "people", "man": "men", "woman": "women", "child": "children", "analysis": "analyses", "crisis": "crises", "datum": "data", "medium": "media"}


def noun_forms(lemma):
    """{form: tag} of a noun lemma: singular, plural. A multi-word lemma inflects its last word."""
    *head, last = lemma.split(" ")
    prefix = " ".join(head) + " " if head else ""
    if last in _IRREGULAR_PLURALS:
        plural = _IRREGULAR_PLURALS[last]
    elif last.endswith(("s", "x", "z", "ch", "sh")):
        plural = last + "es"
    elif last.endswith("y") and len(last) > 1 and last[-2] not in _VOWELS:
        plural = last[:-1] + "ies"
    else:
        plural = last + "s"
    return {prefix + last: "singular", prefix + plural: "plural"}
