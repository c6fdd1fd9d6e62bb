"""Check one file: read → build the document once → run each rule's kind →
drop allowed and superseded findings → positions. Knows nothing of output formats.

Plain text and Markdown are one document each. A stored format (ninjs,
NewsML-G2, HTML, an archive) is read into items by its reader
(checker.formats); each item is laid out and checked as a document, and its
findings are moved back into the file as stored (`check_stored`).
"""

import codecs
import re

from checker.document import Document, detect_main_scripts, line_starts, position
from checker.errors import UsageError
from checker.findings import IN_FILE_ORDER, Finding
from checker.language import UNDETERMINED, detect_language, primary_language
from checker.records import Record
from checker.rule_clock import RuleClock, RuleTimeout
from checker.rules import check_function, kind_module

MARKDOWN_SUFFIXES = (".md", ".markdown")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class Unreadable(Exception):
    """The bytes are not text in a known encoding."""


class Source(Record):
    """A decoded file and how to write it back byte-for-byte the same way."""

    FIELDS = ("text", "encoding")

    def __init__(self, text, encoding):
        self.text = text
        self.encoding = encoding  # codec that round-trips the bytes (utf-8-sig keeps a BOM)


class About(Record):
    """What is known of a document besides its text: given with a text or a record
    (checker.api), never read from it."""

    FIELDS = ("published", "language")

    def __init__(self, published=None, language=None):
        self.published = published  # a datetime.date: the TS rules' publication date
        self.language = language  # a BCP 47 tag the document declares (the configuration's `language` still comes first)


class FileResult(Record):
    FIELDS = ("path", "findings", "source", "notices", "internal_errors", "unread", "language", "records", "skipped")

    def __init__(self, path, findings=None, source=None, notices=None, internal_errors=0, unread=False, language=None, records=None, skipped=None):
        self.path = path
        self.findings = [] if findings is None else findings
        self.source = source  # a Source, when the text travels with the result
        self.notices = [] if notices is None else notices  # one-line messages for stderr
        self.internal_errors = internal_errors
        self.unread = unread  # the file could not be read at all (it was not checked)
        self.language = language  # the document's language (BCP 47 primary subtag, 'und': unknown)
        self.records = records  # an archive's: how many records were checked (None: a file of one document)
        self.skipped = skipped  # why a file in a news format's extension holds no news item (not checked)


def decode(data):
    """Decode file bytes: BOM-marked UTF-8/16/32, else strict UTF-8. Raises Unreadable."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Source(data.decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                raise Unreadable(f"invalid {encoding.upper()} at byte {exc.start}") from None
    if b"\x00" in data[:8192]:
        raise Unreadable("binary file (NUL bytes)")
    try:
        return Source(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        raise Unreadable(f"not valid UTF-8 (byte 0x{data[exc.start]:02X} at offset {exc.start})") from None


def build_document(text, path, settings, markdown=None, header=True, about=None, layout=None):
    """The Document of `text`. about: what the caller knows of it beyond its text (an
    About: publication date, declared language), or None. layout: what a structured
    source says of the text (checker.formats.assemble), or None."""
    if markdown is None:
        markdown = str(path).lower().endswith(MARKDOWN_SUFFIXES)
    doc = Document(text, path, markdown=markdown, header=header, layout=layout)
    if about is not None:
        doc.published = about.published
        doc.declared_language = about.language or doc.declared_language
    if settings.main_script:
        doc.main_scripts = (settings.main_script,)
    elif not doc.has_non_ascii_letter:
        # every letter is an ASCII one, so Latin is the main script (what
        # detect_main_scripts finds after counting them: most copy, told at once)
        doc.main_scripts = ("Latin",)
    else:
        doc.main_scripts = detect_main_scripts(doc.prose)
    doc.language = document_language(doc, settings)
    return doc


def document_language(doc, settings):
    """The primary subtag the language-bound rules go by: the configured language,
    else the one the document declares, else the one detected, else 'und'."""
    if settings.language:
        return settings.language.split("-", 1)[0]  # validated and standard (checker.language)
    if doc.declared_language:
        try:
            return primary_language(doc.declared_language)
        except UsageError:
            pass  # a malformed declaration: detect instead
    return detect_language(doc.prose, doc.main_scripts) or UNDETERMINED


def check_bytes(data, path, rules, settings, source_format=None):
    """All findings for one file's bytes. source_format: one of checker.formats.FORMATS
    (None: by the settings' input format, else the path's extension and the content)."""
    result = FileResult(path)
    try:
        result.source = decode(data)
    except Unreadable as exc:
        rule = _rule_with_code(rules, "CK001")
        if rule is not None:
            result.findings.append(unreadable_file(rule, path, str(exc)))
        return result
    text = result.source.text
    if source_format is None:
        from checker.formats import format_of  # lazy: start-up

        source_format = format_of(path, text, settings.input_format)
    if source_format in ("text", "markdown"):
        check_text(result, text, path, rules, settings, source_format == "markdown")
    else:
        check_stored(result, text, path, rules, settings, source_format)
    return result


# A file longer than this is checked in chunks of about this size, cut at
# blank lines (never inside a fenced code block): memory stays bounded and any
# check whose cost grows faster than the text cannot run away on a 50 MB file.
# News articles are a few thousand characters; a chunk holds dozens of them.
CHUNK_CHARS = 100_000
_BLANK_LINE = re.compile(r"(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)")
_ANY_BREAK = re.compile(r"\r\n|\r|\n")
_FENCE = re.compile(r"(?m)^[ \t]*(?:```|~~~)")


def chunk_bounds(text, markdown=False, size=CHUNK_CHARS):
    """(start, end) of the chunks of `text`: one chunk unless it is over 1.5 × `size`."""
    bounds, start, fences = [], 0, 0
    while len(text) - start > size * 3 // 2:
        cut, search_from = None, start + size
        while cut is None:
            blank = _BLANK_LINE.search(text, search_from, min(len(text), start + 2 * size))
            if blank is None:
                break
            if markdown and (fences + len(_FENCE.findall(text, start, blank.end()))) % 2:
                search_from = blank.end()  # inside a fenced code block
                continue
            cut = blank.end()
        if cut is None:  # no blank line near: any line break will do
            line_break = _ANY_BREAK.search(text, start + size)
            cut = line_break.end() if line_break else None
        if cut is None or cut >= len(text):
            break
        if markdown:
            fences += len(_FENCE.findall(text, start, cut))
        bounds.append((start, cut))
        start = cut
    bounds.append((start, len(text)))
    return bounds


def check_text(result, text, path, rules, settings, markdown=None, about=None, layout=None):
    """Check a text as a document (in chunks when it is long): its findings, placed, into `result`.
    about: see build_document; layout: for the first chunk only."""
    plan = chunk_plan(text, path, markdown)
    if len(plan) == 1:
        return _check_document(result, text, path, rules, settings, markdown, about=about, layout=layout)
    for start, end, line_offset in plan:
        part = check_chunk(text[start:end], start == 0, path, rules, settings, markdown, about, layout if start == 0 else None)
        merge_chunk(result, part, start, line_offset)
    return None


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def check_record(text, path, rules, settings, markdown=False, record=None, about=None):
    """All findings for one document given as text (an API call, a record of an
    archive): a FileResult whose findings carry the id `record`. A lone surrogate (JSON
    allows `\\ud800`) is read as U+FFFD, which TX104 reports: one code point for
    one, so every offset holds, and no output stream fails to encode it."""
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = _LONE_SURROGATE.sub("\ufffd", text)
    result = FileResult(path)
    check_text(result, text, path, rules, settings, markdown, about)
    for finding in result.findings:
        finding.record = record
    return result


def chunk_plan(text, path, markdown=None):
    """(start, end, lines before start) of each chunk the file is checked in: one for most files."""
    markdown = markdown if markdown is not None else str(path).lower().endswith(MARKDOWN_SUFFIXES)
    bounds = chunk_bounds(text, markdown)
    if len(bounds) == 1:
        return [(0, len(text), 0)]  # most files: no lines to count
    plan, line_offset = [], 0
    for start, end in bounds:
        plan.append((start, end, line_offset))
        line_offset += len(_ANY_BREAK.findall(text, start, end))
    return plan


def check_chunk(part_text, first, path, rules, settings, markdown=None, about=None, layout=None):
    """A chunk checked as a document of its own (only the first has a header): a FileResult
    in the chunk's offsets."""
    part = FileResult(path)
    _check_document(part, part_text, path, rules, settings, markdown, header=first, about=about, layout=layout)
    return part


def merge_chunk(result, part, start, line_offset):
    """Move a chunk's findings to the file's offsets and lines, into `result`."""
    for finding in part.findings:
        _shift_offsets(finding, start)
        _shift_lines(finding, line_offset)
    result.findings.extend(part.findings)
    result.notices.extend(part.notices)
    result.internal_errors += part.internal_errors
    result.language = result.language or part.language


def _check_document(result, text, path, rules, settings, markdown=None, header=True, about=None, layout=None):
    doc = build_document(text, path, settings, markdown, header, about, layout)
    if result.language is None:  # a large file's first chunk speaks for it
        result.language = doc.language
    plan = _plan_of(rules)
    findings = []
    with RuleClock(settings.rule_timeout) as clock:
        for rule, check in plan.checks:
            if not rule.applies_to(doc):
                continue
            try:
                findings.extend(_run_rule(check, doc, rule, settings, clock))
            except RuleTimeout:  # abandoned on this file; the other rules and files go on
                timeout = plan.by_code.get("CK004")
                if timeout is not None:
                    findings.append(rule_timeout(timeout, rule, settings.rule_timeout))
            except Exception as exc:  # a bug in one check must not stop the others
                result.internal_errors += 1
                result.notices.append(f"{path}: internal error in {rule.code} ({type(exc).__name__}: {exc})")
                if settings.debug:
                    raise
    if plan.allowing:
        by_code = plan.by_code
        findings = [f for f in findings if f.code not in plan.allowing or f.matched not in by_code[f.code].allow_set]
    if plan.overriding:
        findings = drop_superseded(findings, plan.by_code)
    if doc.markdown and "checker-" in text:  # suppression comments; the module loads only when needed
        from checker.suppress import apply_suppressions  # lazy: start-up

        findings = apply_suppressions(doc, findings, rules)
    for finding in findings:
        _place(finding, doc, path)
    findings.sort(key=IN_FILE_ORDER)  # here, in the workers: the report's sort then finds them in order
    result.findings.extend(findings)
    return doc


def _run_rule(check, doc, rule, settings, clock):
    """The rule's findings on the document, within the clock's bound (RuleTimeout past it)."""
    clock.start()
    try:
        return list(check(doc, rule, settings))
    finally:
        clock.stop()


def unreadable_file(rule, path, reason, offset=0):
    """CK001: the file is not text in a known encoding (decode() says why), or not valid
    in its format (the parser says why, and `offset` is where it stopped)."""
    finding = Finding(rule.code, rule.name, rule.severity, rule.message.format(reason=reason), offset, offset)
    finding.path = path
    return finding


def rule_timeout(timeout, rule, seconds):
    """CK004: `rule` ran past the rule-timeout on this file and was abandoned there."""
    message = timeout.message.format_map({"code": rule.code, "name": rule.name, "seconds": f"{seconds:g}"})
    return Finding(timeout.code, timeout.name, timeout.severity, message, 0, 0)


class _Plan:
    """What every document of a run needs to know of its rules, worked out once
    per rule list instead of once per document: each rule's check function,
    the rules by code, and which codes have allow lists and overrides. Making
    it runs each kind's `warm_up(rule)`, where a kind has one (per-process
    resources that take seconds to load), before any rule's time bound starts."""

    def __init__(self, rules):
        self.key = tuple(map(id, rules))
        self.checks = [(rule, check) for rule in rules if (check := check_function(rule)) is not None]
        for rule, _check in self.checks:
            warm_up = getattr(kind_module(rule.kind), "warm_up", None)
            if warm_up is not None:
                warm_up(rule)
        self.by_code = {rule.code: rule for rule in rules}
        self.allowing = frozenset(rule.code for rule in rules if rule.allow_set)
        self.overriding = any(rule.overrides for rule in rules)


_last_plan = None


def _plan_of(rules):
    """The plan of the rule list (the same rules in the same order: the last plan made)."""
    global _last_plan
    plan = _last_plan  # read once: another thread (a Dask worker's) may replace it meanwhile
    if plan is None or plan.key != tuple(map(id, rules)):
        plan = _last_plan = _Plan(rules)
    return plan


def drop_superseded(findings, by_code):
    """One finding per defect: a rule that `overrides` another wins where their spans overlap."""
    winners = [f for f in findings if by_code[f.code].overrides]
    if not winners:
        return findings
    kept = []
    for finding in findings:
        beaten = any(
            finding.code in by_code[w.code].overrides
            and w.start < max(finding.end, finding.start + 1)
            and finding.start < max(w.end, w.start + 1)
            for w in winners
        )
        if not beaten:
            kept.append(finding)
    return kept


# --- stored formats: ninjs, NewsML-G2, HTML, archives ----------------------------------


class StoredText:
    """A stored file's text (or an archive range's), where its findings are placed."""

    __slots__ = ("text", "line_starts")

    def __init__(self, text):
        self.text = text
        self.line_starts = line_starts(text)

    def position(self, offset):
        return position(self.line_starts, len(self.text), offset)


def fields_of(settings):
    """Which fields of an archive record hold what, from the settings (--text-field...)."""
    from checker.formats import Fields  # lazy: start-up

    return Fields(settings.text_field, settings.id_field, settings.headline_field, settings.date_field, settings.language_field)


def check_stored(result, text, path, rules, settings, source_format, items=None, lines_before=0, chars_before=0):
    """Check every item of a file in a stored format, and place the findings in the file
    as stored. `items`: already read (an archive range); else read from `text`.
    `lines_before`, `chars_before`: the lines and characters above `text` in its file (an
    archive range). A file that is not valid in its format gets CK001 where its parser
    stopped; so does a bad record of an archive, and its other records are still checked."""
    from checker.formats import ARCHIVES, MARKUP, Malformed, NotNews, read_items  # lazy: start-up

    stored = StoredText(text)
    unreadable = _rule_with_code(rules, "CK001")
    findings = []
    records = empty = 0
    try:
        if items is None:
            items = read_items(source_format, text, fields_of(settings), stored.line_starts)
        for item in items:
            if isinstance(item, Malformed):
                if unreadable is not None:
                    findings.append(unreadable_file(unreadable, path, item.message, item.offset))
                continue
            records += 1
            empty += not item.fields
            findings += check_item(result, item, path, rules, settings)
    except Malformed as exc:
        if unreadable is not None:
            findings.append(unreadable_file(unreadable, path, exc.message, exc.offset))
    except NotNews as exc:
        result.skipped = str(exc)
        return result
    if source_format in ARCHIVES:
        result.records = (result.records or 0) + records
        result.language = None  # each record is read in its own language: the file has none (the run's note counts files)
    if records and empty == records and source_format in ARCHIVES and not lines_before:  # said once, by the first range
        text_field = settings.text_field or "body` or `text"
        result.notices.append(f"{path}: no record has a `{text_field}` field, so nothing was checked (set --text-field)")
    if source_format in MARKUP and "checker-" in text:  # suppression comments, as in Markdown
        from checker.suppress import apply_suppressions  # lazy: start-up

        findings = apply_suppressions(stored, findings, rules, markdown=False)
    for finding in findings:
        _place(finding, stored, path)
        if lines_before:
            _shift_lines(finding, lines_before)
        if chars_before:
            _shift_offsets(finding, chars_before)
    findings.sort(key=IN_FILE_ORDER)
    result.findings.extend(findings)
    return result


def check_range(data, piece, path, rules, settings, source_format, header=None):
    """The findings of one range of a large archive (checker.formats.archive.Range: whole
    records, from a line start), placed in the whole file's lines and offsets."""
    from checker.formats.archive import items_in  # lazy: start-up

    result = FileResult(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        rule = _rule_with_code(rules, "CK001")
        if rule is not None:
            finding = unreadable_file(rule, path, f"not valid UTF-8 (byte 0x{data[exc.start]:02X} at offset {piece.start + exc.start})")
            finding.line = finding.end_line = piece.lines_before + 1
            result.findings.append(finding)
        return result
    # the first range of a CSV holds its header row, which is no record
    items = items_in(text, source_format, fields_of(settings), piece.lines_before + 1, header if piece.lines_before else None)
    return check_stored(result, text, path, rules, settings, source_format, items, piece.lines_before, piece.chars_before)


def shift_findings(findings, lines, chars):
    """Move findings (and their fixes) by `lines` lines and `chars` characters, either way."""
    for finding in findings:
        _shift_lines(finding, lines)
        _shift_offsets(finding, chars)


def check_item(result, item, path, rules, settings):
    """The findings of one item (checker.formats.Item), in stored offsets, not yet placed."""
    from checker.formats.assemble import assemble  # lazy: start-up

    assembled = assemble(item)
    part = FileResult(path)
    check_text(part, assembled.text, path, rules, settings, layout=assembled.layout)
    result.language = result.language or part.language
    result.notices += part.notices
    result.internal_errors += part.internal_errors
    placement = assembled.placement
    for finding in part.findings:
        finding.start, finding.end = placement.stored_span(finding.start, finding.end)
        if finding.fix is not None:
            finding.fix = placement.stored_fix(finding.fix)
        finding.record = item.record
    return part.findings


def _shift_offsets(finding, chars):
    finding.start += chars
    finding.end += chars
    if finding.fix is not None:
        finding.fix = finding.fix.replace(start=finding.fix.start + chars, end=finding.fix.end + chars)


def _shift_lines(finding, lines):
    finding.line += lines
    finding.end_line += lines
    if finding.fix_position is not None:
        line, column, end_line, end_column = finding.fix_position
        finding.fix_position = (line + lines, column, end_line + lines, end_column)


def _place(finding, doc, path):
    finding.path = path
    finding.line, finding.column = doc.position(finding.start)
    finding.end_line, finding.end_column = doc.position(max(finding.end, finding.start))
    if finding.fix is not None:
        finding.fix_position = doc.position(finding.fix.start) + doc.position(finding.fix.end)


def _rule_with_code(rules, code):
    for rule in rules:
        if rule.code == code:
            return rule
    return None
