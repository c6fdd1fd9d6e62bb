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

    replace_atomically(target, data, lambda temporary: keep_owner_and_mode(temporary, status))


def keep_owner_and_mode(temporary, status):
    """Give the temporary file the permissions (and, where allowed, the owner) of the
    file it replaces, whose `os.stat` result is `status`."""
    os.chmod(temporary, status.st_mode & 0o7777)
    try:
        os.chown(temporary, status.st_uid, status.st_gid)
    except (PermissionError, AttributeError):
        pass  # not ours to give away; the mode is kept all the same


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
        archive_format = None if from_stdin else large_archive_format(result.path, settings)
        if archive_format is not None:
            applied_here, changed = fix_archive(result, profile, archive_format, keep, unsafe=unsafe, diff=diff, log=log)
            applied_total += applied_here
            changed_files += changed
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


# --- large archives, a range of records at a time ------------------------------------


def large_archive_format(path, settings):
    """The format of `path` if it is an archive checked a range at a time (JSON Lines or
    CSV, UTF-8, 1 MB or more), else None."""
    from checker.formats import ARCHIVES, format_of  # lazy: start-up
    from checker.formats.archive import is_wide  # lazy: start-up
    from checker.runner import SPLIT_BYTES  # lazy: start-up

    try:
        if os.path.getsize(path) < SPLIT_BYTES:
            return None
        source_format = format_of(path, None, settings.input_format)
        return source_format if source_format in ARCHIVES and not is_wide(path) else None
    except OSError:
        return None  # the whole-file path says why it cannot be read


def fix_archive(result, profile, source_format, keep, *, unsafe=False, diff=None, log=None):
    """Fix a large archive as it was checked, a range of whole records at a time. Records
    are checked one by one, so each range is fixed to its own fixed point and written to a
    temporary file beside the archive as it goes; the archive is replaced once, when every
    range is done and the archive is still as it was (size, modification time, inode).
    Memory holds one range whatever the archive's size. With `diff`, writes the unified
    diff instead. Returns (fixes applied, files changed: 0 or 1); `result.findings`
    become what remains, placed in the fixed archive."""
    from checker.formats.archive import CsvHeader, iter_ranges, read_range  # lazy: start-up
    from checker.pipeline import check_range, shift_findings  # lazy: start-up

    log = log or sys.stderr
    path, rules, settings = result.path, profile.rules, profile.settings
    target = os.path.realpath(path)
    counts = {"applied": 0, "changed": False}
    remaining = []

    def check(data, piece, header):
        checked = check_range(data, piece, path, rules, settings, source_format, header)
        checked.findings = keep(path, checked.findings, settings)
        shift_findings(checked.findings, 0, -piece.chars_before)  # offsets into this range's text
        return checked

    def fixed_ranges():
        """(the range, its text, its fixed text, what remains) for each range, in order; a
        range that is not UTF-8 is its bytes, left as they are (CK001 says so)."""
        header = None
        for piece in iter_ranges(path, source_format):
            data = read_range(path, piece)
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                yield piece, data, data, check(data, piece, header).findings
                continue
            if source_format == "csv" and header is None:
                header = CsvHeader.read(text)[0]

            def recheck(fixed, piece=piece, header=header):
                return check(fixed.encode("utf-8"), piece, header)

            fixed, applied, checked = fix_to_fixed_point(text, check(data, piece, header), recheck, unsafe)
            counts["applied"] += applied
            counts["changed"] = counts["changed"] or fixed != text
            yield piece, text, fixed, checked.findings

    def place(piece, fixed, findings, lines, chars):
        """Findings of a range, in the fixed archive: `lines` and `chars` above the range there."""
        shift_findings(findings, lines - piece.lines_before, chars)
        remaining.extend(findings)
        if isinstance(fixed, bytes):
            return lines + fixed.count(b"\n"), chars + len(fixed.decode("utf-8", "replace"))
        return lines + fixed.count("\n"), chars + len(fixed)

    try:
        before = os.stat(target)
        if diff is not None:
            lines = chars = 0
            first = True  # the first hunk's file writes the ---/+++ header
            for piece, text, fixed, findings in fixed_ranges():
                if fixed != text:
                    diff.write(_range_diff(path, text, fixed, piece.lines_before, lines, first))
                    first = False
                lines, chars = place(piece, fixed, findings, lines, chars)
        else:

            def write(out):
                with open(target, "rb") as handle:
                    bom = handle.read(3)
                if bom == codecs.BOM_UTF8:
                    out.write(bom)
                lines = chars = 0
                for piece, _text, fixed, findings in fixed_ranges():
                    out.write(fixed if isinstance(fixed, bytes) else fixed.encode("utf-8"))
                    lines, chars = place(piece, fixed, findings, lines, chars)
                if not counts["changed"]:
                    raise _Unchanged()

            def unchanged_since_read(temporary):
                now = os.stat(target)
                if (now.st_size, now.st_mtime_ns, now.st_ino) != (before.st_size, before.st_mtime_ns, before.st_ino):
                    raise ChangedOnDisk(path)
                keep_owner_and_mode(temporary, before)

            replace_atomically(target, write, unchanged_since_read)
    except _Unchanged:
        pass
    except ChangedOnDisk:
        log.write(f"checker: {path}: changed on disk while it was being fixed; not fixed\n")
        return 0, 0
    except OSError as exc:
        log.write(f"checker: {path}: not fixed ({exc.strerror or exc})\n")
        return 0, 0
    except Exception as exc:  # noqa: BLE001 - a bad CSV header, say: this file is not fixed, the others are
        log.write(f"checker: {path}: not fixed ({getattr(exc, 'message', None) or exc})\n")
        return 0, 0
    result.findings = remaining
    return (counts["applied"], 1) if counts["changed"] else (0, 0)


class _Unchanged(Exception):
    """No range changed: the archive is left as it is (the temporary file is removed)."""


def _range_diff(path, old, new, old_line, new_line, first):
    """The unified diff of one range, its hunks numbered as lines of the whole archive."""
    import re  # lazy: start-up

    lines = unified_diff(path, old, new).splitlines(keepends=True)
    if not first:
        lines = lines[2:]  # the file's ---/+++ header is written once

    def renumber(match):
        old_count, new_count = match.group(2) or "", match.group(4) or ""
        return f"@@ -{int(match.group(1)) + old_line}{old_count} +{int(match.group(3)) + new_line}{new_count} @@"

    return "".join(re.sub(r"^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@", renumber, line) if line.startswith("@@") else line for line in lines)
