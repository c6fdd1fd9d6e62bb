"""`homoglyph`: one word mixing Latin letters with look-alike letters of another script.

`Bаnk` with a Cyrillic `а` looks right and is wrong: search, spell-check and
sorting all miss it. The word's intended script is the one most of its letters
are in (on a tie, the document's main script); letters of
the other script that have a look-alike there (from the data table built from
Unicode's confusables.txt) are the defect, and when all of them have one the
fix spells the word in one script. A lone look-alike capital written as an
initial beside Latin initials or names (`В. K. Arsenyev`) is the same defect.
"""

import re

from checker.document import NON_ASCII_LETTER
from checker.findings import Fix
from checker.kinds.script import compile_skip, load_lookalikes, skipped_spans

PARAMETERS = {
    "lookalikes": {"type": "data", "required": True, "doc": "Data file (or inline mapping) of letter → the Latin letter it looks like, under 'lookalikes'."},
    "skip": {
        "type": "list[str]",
        "default": [r"(?:https?://|www\.)[^\s\"'<>\[\]]+", r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", r"#\w+"],
        "doc": "Regular expressions for text never examined (URLs, e-mail addresses, hashtags).",
    },
    "initials": {"type": "bool", "default": True, "doc": "Also report a look-alike capital used as an initial beside Latin initials or names (В. K. Arsenyev)."},
}

# Words are found from their non-ASCII letters outwards: scanning every word of
# English copy for one would cost more than all the other FS/TX rules together.
_WORD_TAIL = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])*")
_WORD_HEAD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])*\Z")
_NEUTRAL = ("Common", "Inherited", "Unknown")


def prepare(rule):
    table = load_lookalikes(rule, rule.params["lookalikes"])
    import unicodedataplus  # lazy: start-up

    # Latin letter → its look-alike in each script, for words meant to be in that script.
    reverse = {}
    for letter, latin in table.items():
        reverse.setdefault(unicodedataplus.script(letter), {}).setdefault(latin, letter)
    rule.prepared = (table, reverse, compile_skip(rule))


def check(doc, rule, settings):
    """FS102: a word mixing Latin with look-alike letters of another script (or a
    look-alike initial beside Latin initials and names)."""
    text = doc.prose
    if not doc.has_non_ascii_letter:
        return  # no look-alike without a non-ASCII letter
    table, _reverse, skip = rule.prepared
    skipped = skipped_spans(text, skip)
    for start, end in _words(text):
        if any(s <= start < e for s, e in skipped):
            continue
        word = text[start:end]
        scripts = _scripts_of(word)
        counts = {}
        for script in scripts:
            if script not in _NEUTRAL:
                counts[script] = counts.get(script, 0) + 1
        if len(counts) == 1 and rule.params["initials"] and doc.main_scripts[0] == "Latin":
            finding = _initial(doc, rule, text, start, end, word, table)
        elif len(counts) >= 2 and "Latin" in counts:
            finding = _mixed_word(doc, rule, start, end, word, scripts, counts)
        else:
            finding = None
        if finding is not None:
            yield finding


def _scripts_of(word):
    import unicodedataplus  # lazy: start-up

    return [unicodedataplus.script(c) for c in word]


def _mixed_word(doc, rule, start, end, word, scripts, counts):
    """The finding for a word whose letters come from Latin and another script, or None
    when no odd letter is a look-alike (a real mix: FS101 reports the foreign part)."""
    import unicodedataplus  # lazy: start-up

    table, reverse, _skip = rule.prepared
    main = doc.main_scripts[0]
    intended = max(counts, key=lambda s: (counts[s], s == main, s == "Latin"))
    mapping = table if intended == "Latin" else reverse.get(intended, {})
    odd = [i for i, s in enumerate(scripts) if s not in _NEUTRAL and s != intended]
    # A letter carrying a combining mark is not a look-alike: `e` + U+0301 is `é`, which
    # has none, and canonically equal spellings must be judged alike (else the NFC fix
    # of TX105 would turn this finding into a different one).
    odd_bare = [i for i in odd if word[i] in mapping and not (i + 1 < len(word) and unicodedataplus.category(word[i + 1]).startswith("M"))]
    if not odd_bare:
        return None
    spelled = "".join(mapping[c] if i in odd_bare else c for i, c in enumerate(word))
    complete = len(odd_bare) == len(odd)
    letters = ", ".join(dict.fromkeys(f"{word[i]} U+{ord(word[i]):04X}" for i in odd))
    return rule.finding(
        doc,
        start,
        end,
        fix=Fix(start, end, spelled) if complete else None,
        intended=intended,
        others=" and ".join(sorted({scripts[i] for i in odd})),
        letters=letters,
        lookalike=spelled,
    )


def _words(text):
    """(start, end) of each word holding a non-ASCII letter (combining marks stay inside)."""
    words = []
    for match in NON_ASCII_LETTER.finditer(text):
        i = match.start()
        if words and i < words[-1][1]:
            continue
        head = _WORD_HEAD.search(text, max(0, i - 60), i)
        words.append((head.start(), _WORD_TAIL.match(text, i).end()))
    return words


def _initial(doc, rule, text, start, end, word, table):
    """A one-letter look-alike initial among Latin initials or names: `В. K. Arsenyev`."""
    if len(word) != 1 or word not in table or not word.isupper() or text[end : end + 1] != ".":
        return None
    after = re.match(r"\s{0,2}([A-Za-z])", text[end + 1 : end + 4])
    before = re.search(r"(?:^|[^\w.])[A-Z]\.\s{0,2}$", text[max(0, start - 5) : start])
    if not ((after and after.group(1).isupper()) or before):
        return None
    import unicodedataplus  # lazy: start-up

    return rule.finding(
        doc,
        start,
        end,
        fix=Fix(start, end, table[word]),
        intended="Latin",
        others=unicodedataplus.script(word),
        letters=f"{word} U+{ord(word):04X}",
        lookalike=table[word],
    )


CHECKS = {"homoglyph": check}  # the kind does one thing: a rule needs no `check:`
