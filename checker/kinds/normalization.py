"""`normalization`: text not in Unicode Normalization Form C.

`é` written as `e` + U+0301 looks the same as the precomposed `é` but does not
match it in search, sorting or comparison. Each base character with the
combining marks that follow it is checked on its own; the fix is its NFC
form. NFC only: NFKC would also rewrite compatibility characters (`½`, `ﬁ`,
superscripts), which changes the text.
"""

import unicodedata

from checker.findings import Fix

PARAMETERS = {}


def prepare(rule):
    rule.prepared = None


def _joins_previous(char):
    # Combining marks and Hangul vowel and final jamo compose with what precedes them.
    return unicodedata.category(char).startswith("M") or "\u1160" <= char <= "\u11ff"


def clusters(text):
    """(start, end) of each base-plus-marks cluster whose NFC form differs."""
    seen_end = -1
    for i, char in enumerate(text):
        if char.isascii() or i < seen_end:
            continue
        if not (_joins_previous(char) or not unicodedata.is_normalized("NFC", char)):
            continue
        start = i
        while start > 0 and _joins_previous(text[start]):
            start -= 1
        end = i + 1
        while end < len(text) and _joins_previous(text[end]):
            end += 1
        seen_end = end
        cluster = text[start:end]
        if not unicodedata.is_normalized("NFC", cluster):
            yield start, end


def check(doc, rule, settings):
    text = doc.text
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return
    for start, end in clusters(text):
        cluster = text[start:end]
        composed = unicodedata.normalize("NFC", cluster)
        points = " ".join(f"U+{ord(c):04X}" for c in cluster)
        yield rule.finding(doc, start, end, fix=Fix(start, end, composed), points=points, nfc=composed)


CHECKS = {"normalization": check}  # the kind does one thing: a rule needs no `check:`
