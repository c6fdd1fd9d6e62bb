"""Applying fixes: to text (non-overlapping, in order, nothing outside their spans),
and to files (atomically, keeping encoding, BOM, line endings and permissions)."""

import codecs
import os
import sys

from checker.files import read_path, replace_atomically

MAX_PASSES = 10  # a fix can uncover another; stop well before anything could loop


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


def fix_to_fixed_point(text, checked, recheck, unsafe=False):
    """Apply the wanted fixes of `checked` (a FileResult of `text`), check again with
    recheck(new text), and go on until no wanted fix is left or MAX_PASSES passes
    were made (as ruff does: one fix can uncover or create another, such as a removed
    zero-width space joining two halves of mojibake). Returns (the text, the fixes
    applied, the FileResult of the text)."""
    applied_total = 0
    for _ in range(MAX_PASSES):
        new_text, applied = apply_fixes(text, wanted_fixes(checked.findings, unsafe))
        if new_text == text:
            break
        text, applied_total = new_text, applied_total + len(applied)
        checked = recheck(text)
    return text, applied_total, checked


def wanted_fixes(findings, unsafe=False):
    return [f.fix for f in findings if f.fix is not None and (f.fix.safe or unsafe)]


def encode_like(text, encoding, original):
    """`text` in the encoding `original` was read with, BOM and byte order included.

    The engine decodes UTF-16/32 by their BOM with the generic codec, whose encoder
    would write the machine's byte order; keep the file's own instead.
    """
    if encoding in ("utf-16", "utf-32"):
        for bom, codec in (
            (codecs.BOM_UTF32_LE, "utf-32-le"),
            (codecs.BOM_UTF32_BE, "utf-32-be"),
            (codecs.BOM_UTF16_LE, "utf-16-le"),
            (codecs.BOM_UTF16_BE, "utf-16-be"),
        ):
            if original.startswith(bom) and codec.startswith(encoding):
                return bom + text.encode(codec)
    return text.encode(encoding)


class ChangedOnDisk(Exception):
    """The file is no longer what was checked; writing would lose someone's edit."""


def write_atomic(path, data, expected):
    """Replace the file at `path` with `data` if it still holds `expected`.

    A temporary file in the same folder is written, fsynced, given the original's
    permissions and renamed over it, so an interruption at any moment leaves the
    old file or the new one, never a mix. Symbolic links are followed (the link
    stays a link). Raises ChangedOnDisk, or OSError.
    """
    target = os.path.realpath(path)
    with open(target, "rb") as handle:
        if handle.read() != expected:
            raise ChangedOnDisk(path)
        status = os.fstat(handle.fileno())

    def keep_owner_and_mode(temporary):
        os.chmod(temporary, status.st_mode & 0o7777)
        try:
            os.chown(temporary, status.st_uid, status.st_gid)
        except (PermissionError, AttributeError):
            pass  # not ours to give away; the mode is kept all the same

    replace_atomically(target, data, keep_owner_and_mode)


def unified_diff(path, old, new):
    import difflib  # lazy: start-up

    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True), fromfile=f"a/{path}", tofile=f"b/{path}"
        )
    )



def fix_results(results, profiles, keep, *, unsafe=False, diff=None, stdin_path=None, stdin_out=None, log=None):
    """Fix the files behind `results` in place, or write a unified diff to `diff`.

    Returns (fixes applied, files changed). Each file is re-read and re-checked
    from its current bytes, fixed in memory until no wanted fix is left (at most
    MAX_PASSES), then written once; its result's findings become what remains.
    `keep(path, findings, settings)` applies the run's filters (per-file ignores, baseline),
    so filtered findings are never fixed. A file that changed since it was
    checked is skipped with a notice. Standard input's fixed text goes to
    `stdin_out` (fixed or not, so a pipe gets the whole text). `profiles[i]`
    holds the rules and settings that checked `results[i]`.
    """

    from checker.formats import is_compressed  # lazy: start-up
    from checker.pipeline import Unreadable, check_bytes, decode  # lazy: start-up

    log = log or sys.stderr
    applied_total, changed_files = 0, 0
    for result, profile in zip(results, profiles):
        rules, settings = profile.rules, profile.settings
        from_stdin = stdin_path is not None and result.path == stdin_path
        if not from_stdin and not wanted_fixes(result.findings, unsafe):
            continue
        if is_compressed(result.path):  # its positions are in the decompressed text
            log.write(f"checker: {result.path}: not fixed (a compressed archive is not rewritten)\n")
            continue
        if from_stdin:
            if result.source is None:
                continue
            original = encode_like(result.source.text, result.source.encoding, b"")
            original_text = result.source.text
        else:
            try:
                original = read_path(result.path)
                original_text = decode(original).text
            except (OSError, Unreadable) as exc:
                log.write(f"checker: {result.path}: not fixed (cannot read it again: {getattr(exc, 'strerror', None) or exc})\n")
                continue
            if result.source is not None and original_text != result.source.text:
                log.write(f"checker: {result.path}: changed on disk since it was checked; not fixed\n")
                continue
        if result.source is not None:  # the findings in hand were made from this very text
            current = result
        else:
            current = check_bytes(original, result.path, rules, settings)
            current.findings = keep(result.path, current.findings, settings)

        def recheck(text, encoding=current.source.encoding, original=original, path=result.path, profile=profile):
            checked = check_bytes(encode_like(text, encoding, original), path, profile.rules, profile.settings)
            checked.findings = keep(path, checked.findings, profile.settings)
            return checked

        text, applied_here, current = fix_to_fixed_point(original_text, current, recheck, unsafe)
        result.findings = current.findings
        result.source = current.source
        if from_stdin and diff is None:
            stdin_out.write(text)
        if text == original_text:
            continue
        if diff is not None:
            diff.write(unified_diff(result.path, original_text, text))
        elif not from_stdin:
            try:
                write_atomic(result.path, encode_like(text, current.source.encoding, original), original)
            except ChangedOnDisk:
                log.write(f"checker: {result.path}: changed on disk while it was being fixed; not fixed\n")
                continue
            except OSError as exc:
                log.write(f"checker: {result.path}: not fixed (cannot write: {exc.strerror or exc})\n")
                continue
        applied_total += applied_here
        changed_files += 1
    return applied_total, changed_files
