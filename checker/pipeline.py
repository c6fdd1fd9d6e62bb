"""Check one file: read → build the document once → run each rule's kind →
drop allowed and superseded findings → positions. Knows nothing of output formats."""

import codecs
import re

from checker.document import Document, detect_main_scripts
from checker.errors import UsageError
from checker.findings import IN_FILE_ORDER, Finding
from checker.language import UNDETERMINED, detect_language, primary_language
from checker.records import Record
from checker.rule_clock import RuleClock, RuleTimeout
from checker.rules import check_function

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
    FIELDS = ("path", "findings", "source", "notices", "internal_errors", "unread", "language", "records")

    def __init__(self, path, findings=None, source=None, notices=None, internal_errors=0, unread=False, language=None, records=None):
        self.path = path
        self.findings = [] if findings is None else findings
        self.source = source  # a Source, when the text travels with the result
        self.notices = [] if notices is None else notices  # one-line messages for stderr
        self.internal_errors = internal_errors
        self.unread = unread  # the file could not be read at all (it was not checked)
        self.language = language  # the document's language (BCP 47 primary subtag, 'und': unknown)
        self.records = records  # an archive's: how many records were checked (None: a file of one document)


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


def build_document(text, path, settings, markdown=None, header=True, about=None):
    """The Document of `text`. about: what the caller knows of it beyond its text (an
    About: publication date, declared language), or None."""
    if markdown is None:
        markdown = str(path).lower().endswith(MARKDOWN_SUFFIXES)
    doc = Document(text, path, markdown=markdown, header=header)
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


def check_bytes(data, path, rules, settings, markdown=None):
    """All findings for one file's bytes."""
    result = FileResult(path)
    try:
        result.source = decode(data)
    except Unreadable as exc:
        rule = _rule_with_code(rules, "CK001")
        if rule is not None:
            result.findings.append(unreadable_file(rule, path, str(exc)))
        return result
    check_text(result, result.source.text, path, rules, settings, markdown)
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


def check_text(result, text, path, rules, settings, markdown=None, about=None):
    plan = chunk_plan(text, path, markdown)
    if len(plan) == 1:
        return _check_document(result, text, path, rules, settings, markdown, about=about)
    for start, end, line_offset in plan:
        merge_chunk(result, check_chunk(text[start:end], start == 0, path, rules, settings, markdown, about), start, line_offset)
    return None


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def check_record(text, path, rules, settings, markdown=False, doc_id=None, about=None):
    """All findings for one document given as text (an API call, a record of an
    archive): a FileResult whose findings carry `doc_id`. A lone surrogate (JSON
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
        finding.doc_id = doc_id
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


def check_chunk(part_text, first, path, rules, settings, markdown=None, about=None):
    """A chunk checked as a document of its own (only the first has a header): a FileResult
    in the chunk's offsets."""
    part = FileResult(path)
    _check_document(part, part_text, path, rules, settings, markdown, header=first, about=about)
    return part


def merge_chunk(result, part, start, line_offset):
    """Move a chunk's findings to the file's offsets and lines, into `result`."""
    for finding in part.findings:
        finding.start += start
        finding.end += start
        finding.line += line_offset
        finding.end_line += line_offset
        if finding.fix is not None:
            finding.fix = finding.fix.replace(start=finding.fix.start + start, end=finding.fix.end + start)
            line, column, end_line, end_column = finding.fix_position
            finding.fix_position = (line + line_offset, column, end_line + line_offset, end_column)
    result.findings.extend(part.findings)
    result.notices.extend(part.notices)
    result.internal_errors += part.internal_errors
    result.language = result.language or part.language


def _check_document(result, text, path, rules, settings, markdown=None, header=True, about=None):
    doc = build_document(text, path, settings, markdown, header, about)
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


def unreadable_file(rule, path, reason):
    """CK001: the file is not text in a known encoding (decode() says why)."""
    finding = Finding(rule.code, rule.name, rule.severity, rule.message.format(reason=reason), 0, 0)
    finding.path = path
    return finding


def rule_timeout(timeout, rule, seconds):
    """CK004: `rule` ran past the rule-timeout on this file and was abandoned there."""
    message = timeout.message.format_map({"code": rule.code, "name": rule.name, "seconds": f"{seconds:g}"})
    return Finding(timeout.code, timeout.name, timeout.severity, message, 0, 0)


class _Plan:
    """What every document of a run needs to know of its rules, worked out once
    per rule list instead of once per document: each rule's check function,
    the rules by code, and which codes have allow lists and overrides."""

    def __init__(self, rules):
        self.key = tuple(map(id, rules))
        self.checks = [(rule, check) for rule in rules if (check := check_function(rule)) is not None]
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
