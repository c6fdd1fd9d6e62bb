"""`script`: runs of letters in a script other than the document's main script(s).

A character counts as foreign only when neither its Script nor its
Script_Extensions include a main script, so Common and Inherited characters
(digits, punctuation, combining marks) never do. URLs, e-mail addresses and
hashtags are skipped. A glossary (data) maps known fragments to translations:
one translation gives a fix replacing just the run; several only a suggestion.
A look-alike table (data) says what a reader sees when every letter of the run
looks like a Latin one (`НАТО` reads "HATO").
"""


from checker.document import NON_ASCII_LETTER
from checker.errors import RuleError
from checker.findings import Fix
from checker.kinds.pattern import where_in_file
from checker.matching import compile_rule_alternatives
from checker.rules import load_data

PARAMETERS = {
    "glossary": {"type": "list[data]", "default": [], "doc": "Data files (or inline mappings) of fragment → translation, or → a list of possible translations."},
    "lookalikes": {"type": "data", "default": {}, "doc": "Data file (or inline mapping) of letter → the Latin letter it looks like, under 'lookalikes'."},
    "skip": {
        "type": "list[str]",
        "default": [r"(?:https?://|www\.)[^\s\"'<>\[\]]+", r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", r"#\w+"],
        "doc": "Regular expressions for text never examined (URLs, e-mail addresses, hashtags).",
    },
    "joiners": {"type": "str", "default": " -'’.", "doc": "Characters that may join two words of the same foreign script into one run."},
    "also_main": {
        "type": "list[str]",
        "default": ["Latin"],
        "doc": "Scripts never foreign whatever the main script (Latin brand names are normal in Cyrillic copy).",
    },
    "brackets": {"type": "str", "default": "[]()", "doc": "Pairs of opening and closing marks: a run that fills them is a typical translation leftover."},
}

_NEUTRAL = ("Common", "Inherited", "Unknown")


def load_lookalikes(rule, value):
    """The look-alike table: {letter: Latin letter}, from a data file or inline."""
    data = load_data(rule, value, "lookalikes") if value else {}
    table = data.get("lookalikes", data) if isinstance(data, dict) else None
    if not isinstance(table, dict) or not all(isinstance(k, str) and len(k) == 1 and isinstance(v, str) for k, v in table.items()):
        raise RuleError(rule.path, "'lookalikes' must be a mapping of single letters to the letters they look like (optionally under 'lookalikes')")
    return dict(table)


def load_glossary(rule):
    glossary = {}
    for entry in rule.params["glossary"]:
        data = load_data(rule, entry, "glossary")
        terms = data.get("terms", data) if isinstance(data, dict) else None
        if not isinstance(terms, dict):
            raise RuleError(rule.path, "a glossary must be a mapping of fragment → translation (optionally under 'terms')")
        for fragment, meaning in terms.items():
            if isinstance(meaning, str):
                meaning = [meaning]
            if not isinstance(fragment, str) or not isinstance(meaning, list) or not meaning or not all(isinstance(m, str) for m in meaning):
                raise RuleError(rule.path, f"glossary entry {fragment!r} must map to a string or a non-empty list of strings")
            glossary[fragment] = meaning
    return glossary


def compile_skip(rule):
    skip = rule.params["skip"]
    return compile_rule_alternatives(skip, path=rule.path, where=where_in_file(skip), what="'skip' pattern")


def prepare(rule):
    brackets = rule.params["brackets"]
    if len(brackets) % 2:
        raise RuleError(rule.path, "'brackets' must list pairs of opening and closing marks, e.g. '[]()'")
    pairs = {brackets[i]: brackets[i + 1] for i in range(0, len(brackets), 2)}
    glossary = load_glossary(rule)
    # Exact spelling first; then regardless of case (МОСКВА, нато), which agency copy varies.
    folded = {}
    for fragment, meanings in glossary.items():
        folded.setdefault(fragment.casefold(), meanings)
    rule.prepared = (glossary, folded, compile_skip(rule), load_lookalikes(rule, rule.params["lookalikes"]), pairs)


def script_codes(main_scripts):
    import unicodedataplus  # lazy: start-up

    codes = set()
    for name in main_scripts:
        codes.update(unicodedataplus.property_value_aliases["script"].get(name, []))
    return codes


def skipped_spans(text, skip):
    return [m.span() for m in skip.finditer(text)] if skip else []


def foreign_runs(doc, joiners, skip, also_main=()):
    """(start, end, script) of each run of foreign letters in the document's prose."""
    text = doc.prose
    if not doc.has_non_ascii_letter:
        return []  # most copy
    candidates = list(NON_ASCII_LETTER.finditer(text))
    if not candidates:
        return []
    import unicodedataplus  # lazy: start-up

    main_scripts = tuple(doc.main_scripts) + tuple(also_main)
    main = set(main_scripts)
    main_codes = script_codes(main_scripts)
    skipped = None  # computed only when a foreign letter turns up
    runs = []
    for match in candidates:
        i = match.start()
        char = text[i]
        script = unicodedataplus.script(char)
        if script in main or script in _NEUTRAL:
            continue
        if main_codes.intersection(unicodedataplus.script_extensions(char)):
            continue
        if skipped is None:
            skipped = skipped_spans(text, skip)
        if any(s <= i < e for s, e in skipped):
            continue
        last = runs[-1] if runs else None
        if last and last[2] == script and (i == last[1] or all(c in joiners for c in text[last[1] : i])) and i - last[1] <= 3:
            last[1] = i + 1
        elif last and last[2] == script and _only_marks(text[last[1] : i]):
            last[1] = i + 1
        else:
            runs.append([i, i + 1, script])
    # extend over trailing combining marks
    for run in runs:
        while run[1] < len(text) and unicodedataplus.category(text[run[1]]).startswith("M"):
            run[1] += 1
    return [tuple(r) for r in runs]


def _only_marks(gap):
    import unicodedataplus  # lazy: start-up

    return bool(gap) and all(unicodedataplus.category(c).startswith("M") for c in gap)


def reading(fragment, lookalikes):
    """What a reader sees when every letter of `fragment` looks like a Latin one, else None."""
    letters = [c for c in fragment if c.isalpha()]
    if not letters or not all(c in lookalikes for c in letters):
        return None
    return "".join(lookalikes.get(c, c) for c in fragment)


def check(doc, rule, settings):
    glossary, folded, skip, lookalikes, pairs = rule.prepared
    text = doc.text
    for start, end, script in foreign_runs(doc, rule.params["joiners"], skip, rule.params["also_main"]):
        fragment = text[start:end]
        bracketed = start > 0 and end < len(text) and pairs.get(text[start - 1]) == text[end]
        meanings = glossary.get(fragment) or folded.get(fragment.casefold()) or []
        fix = Fix(start, end, meanings[0]) if len(meanings) == 1 else None
        suggestion = ""
        if len(meanings) == 1:
            suggestion = f'; translate as "{meanings[0]}"'
        elif meanings:
            suggestion = "; may mean " + " or ".join(f'"{m}"' for m in meanings)
        seen = reading(fragment, lookalikes) if doc.main_scripts[0] == "Latin" else None
        yield rule.finding(
            doc,
            start,
            end,
            fix=fix,
            script=script,
            main=" and ".join(doc.main_scripts),
            where=" in brackets (an untranslated leftover)" if bracketed else "",
            reads=f', which reads "{seen}" to an English reader' if seen else "",
            suggestion=suggestion,
        )


CHECKS = {"script": check}  # the kind does one thing: a rule needs no `check:`
