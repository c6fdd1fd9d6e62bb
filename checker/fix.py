"""Applying fixes to text: non-overlapping, in order, nothing outside their spans."""


def apply_fixes(text, fixes):
    """Return (new_text, applied): overlapping fixes after the first are skipped."""
    applied = []
    end_of_last = -1
    for fix in sorted(fixes, key=lambda f: (f.start, f.end)):
        if fix.start < end_of_last or (applied and fix.start == applied[-1].start == fix.end == applied[-1].end):
            continue
        applied.append(fix)
        end_of_last = fix.end
    pieces, cursor = [], 0
    for fix in applied:
        pieces.append(text[cursor : fix.start])
        pieces.append(fix.replacement)
        cursor = fix.end
    pieces.append(text[cursor:])
    return "".join(pieces), applied
