"""LanguageTool's HTTP API (v2), as its clients speak it: what `POST /v2/check`
takes and what it answers, so that LanguageTool's browser extension,
LibreOffice, Emacs and language_tool_python can show the checker's findings.

In: form-encoded parameters (LanguageTool's clients send
`application/x-www-form-urlencoded`): `text`, or `data` (JSON annotated text:
`{"annotation": [{"text": "..."}, {"markup": "<b>", "interpretAs": ""}]}`), and
`language` (`auto` or a tag); `enabledRules`, `disabledRules`, `enabledOnly`
are honoured; other parameters (motherTongue, level, preferredVariants, ...)
are accepted and ignored.

Out: `software`, `warnings`, `language` and `matches`, each match with
`message`, `shortMessage`, `offset`, `length`, `replacements`, `context`
(`text`, `offset`, `length`), `sentence`, `type`, `rule` (`id`, `description`,
`issueType`, `category` `{id, name}`, `urls`).

Offsets and lengths count **UTF-16 code units**, as LanguageTool's do (Java
string indices; its clients are Java and JavaScript, and language_tool_python
converts them back to code points): an emoji before a finding counts two. With
`data`, they point into the text with its markup, as LanguageTool's do.
"""

import json
import re

from checker.errors import CheckerError
from checker.textunits import Utf16Offsets

CONTEXT_CHARS = 40  # characters of context either side, as LanguageTool's server gives
API_VERSION = 1

# LanguageTool's issue types (ITS 2.0 localization quality issue types) by rule family;
# its clients colour matches by them. A house rule of another family is "uncategorized".
ISSUE_TYPES = {"AT": "style", "FS101": "untranslated", "FS": "characters", "TX": "characters", "TS": "inconsistency", "CK": "other"}
LANGUAGE_NAMES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese", "nl": "Dutch",
    "sv": "Swedish", "da": "Danish", "pl": "Polish", "cs": "Czech", "ro": "Romanian", "tr": "Turkish", "id": "Indonesian",
}
ENGLISH_VARIANTS = {"en-US": "English (US)", "en-GB": "English (GB)", "en-AU": "English (Australian)", "en-CA": "English (Canadian)", "en-NZ": "English (New Zealand)", "en-ZA": "English (South African)"}


class BadRequest(CheckerError):
    """A request LanguageTool would refuse too (status 400)."""


def languages():
    """`GET /v2/languages`: the languages the checker reads. The English-bound rules
    (attribution, body dates) read English; the others read any language, and the
    languages listed are those the checker can tell apart when asked for `auto`."""
    listed = [{"name": "English", "code": "en", "longCode": "en"}]
    listed += [{"name": name, "code": "en", "longCode": code} for code, name in ENGLISH_VARIANTS.items()]
    listed += [{"name": name, "code": code, "longCode": code} for code, name in LANGUAGE_NAMES.items() if code != "en"]
    return listed


class Annotated:
    """The text to check and how its offsets map back to the text the client sent
    (`original`: with markup, for `data`)."""

    def __init__(self, segments):
        self.segments = segments  # (original, plain) pairs, in order
        self.plain = "".join(plain for _, plain in segments)
        self.original = "".join(original for original, _ in segments)

    @classmethod
    def of_text(cls, text):
        return cls([(text, text)])

    @classmethod
    def of_data(cls, data):
        """From LanguageTool's `data` parameter; BadRequest when it is not that JSON."""
        try:
            parsed = json.loads(data)
        except ValueError:
            raise BadRequest("'data' is not JSON (expected {\"annotation\": [{\"text\": ...}, {\"markup\": ...}]})") from None
        items = parsed.get("annotation") if isinstance(parsed, dict) else None
        if not isinstance(items, list):
            raise BadRequest("'data' needs an 'annotation' list")
        segments = []
        for item in items:
            if not isinstance(item, dict):
                raise BadRequest("each item of 'annotation' is an object with 'text' or 'markup'")
            if isinstance(item.get("text"), str):
                segments.append((item["text"], item["text"]))
            elif isinstance(item.get("markup"), str):
                interpret = item.get("interpretAs", "")
                if not isinstance(interpret, str):
                    raise BadRequest("'interpretAs' must be a string")
                segments.append((item["markup"], interpret))
            else:
                raise BadRequest("each item of 'annotation' needs a string 'text' or 'markup'")
        return cls(segments)

    def to_original(self, offset, end=False):
        """The offset in `original` (code points) of an offset in `plain`. Inside markup
        read as something (`interpretAs`), a start maps to the markup's start and an end
        to its end; at a boundary, to the text's side of it."""
        if len(self.segments) == 1:
            return offset
        plain_at = original_at = 0
        for original, plain in self.segments:
            inside = plain_at <= offset < plain_at + len(plain) if not end else plain_at < offset <= plain_at + len(plain)
            if inside:
                if original == plain:
                    return original_at + offset - plain_at
                return original_at + (len(original) if end else 0)
            plain_at += len(plain)
            original_at += len(original)
        return original_at if end or offset else 0


def parameters(form):
    """The check's parameters from LanguageTool's form fields (a dict of str):
    (Annotated, language tag or None for auto, Linter selection options)."""
    if "text" in form and "data" in form:
        raise BadRequest("give 'text' or 'data', not both")
    if "text" in form:
        annotated = Annotated.of_text(form["text"])
    elif "data" in form:
        annotated = Annotated.of_data(form["data"])
    else:
        raise BadRequest("missing 'text' or 'data' (the text to check)")
    language = form.get("language", "").strip()
    if not language:
        raise BadRequest("missing 'language' (a language code such as en-US, or auto)")
    language = None if language.lower() == "auto" else language
    enabled = _codes(form.get("enabledRules", ""))
    disabled = _codes(form.get("disabledRules", ""))
    selection = {}
    if form.get("enabledOnly", "false").lower() == "true":
        if not enabled:
            raise BadRequest("enabledOnly=true needs enabledRules")
        selection["select"] = enabled
    elif enabled:
        selection["extend_select"] = enabled
    if disabled:
        selection["ignore"] = disabled
    return annotated, language, selection


def _codes(value):
    return sorted({token.strip() for token in value.split(",") if token.strip()})


def known_selection(selection, rules):
    """The selection without rule ids the checker does not have (a client's
    settings name LanguageTool's own rules): LanguageTool ignores unknown ids too."""
    from checker.rules import selector_matches_any  # lazy: start-up

    kept = {}
    for name, tokens in selection.items():
        known = [token for token in tokens if selector_matches_any(rules, token)]
        if known or name == "select":  # enabledOnly with no rule the checker has: nothing is checked
            kept[name] = known
    return kept


def response(annotated, findings, rules_by_code, *, language, detected, version, rule_url=None, max_matches=None, incomplete=None):
    """The JSON object LanguageTool's clients expect for `findings` in `annotated`."""
    original = annotated.original
    to16 = Utf16Offsets(original)
    shown = findings if max_matches is None else findings[:max_matches]
    if max_matches is not None and len(findings) > max_matches:
        incomplete = incomplete or f"{len(findings)} findings; the first {max_matches} are shown"
    matches = [_match(annotated, original, to16, f, rules_by_code.get(f.code), rule_url) for f in shown]
    detected_code = detected if detected and detected != "und" else (language or "und")
    given = language or detected_code
    body = {
        "software": {"name": "checker", "version": version, "buildDate": None, "apiVersion": API_VERSION, "premium": False, "status": ""},
        "warnings": {"incompleteResults": incomplete is not None, **({"incompleteResultsReason": incomplete} if incomplete else {})},
        "language": {
            "name": _language_name(given), "code": given,
            "detectedLanguage": {"name": _language_name(detected_code), "code": detected_code, "confidence": 1.0 if detected and detected != "und" else 0.0, "source": "checker"},
        },
        "matches": matches,
    }
    return body


def _language_name(code):
    if code in ENGLISH_VARIANTS:
        return ENGLISH_VARIANTS[code]
    return LANGUAGE_NAMES.get(code.split("-", 1)[0].lower(), "Undetermined" if code == "und" else code)


def _match(annotated, original, to16, finding, rule, rule_url):
    start = annotated.to_original(finding.start)
    end = max(start, annotated.to_original(finding.end, end=True)) if finding.end > finding.start else start
    offset, length = to16(start), to16(end) - to16(start)
    context_start, context_end = max(0, start - CONTEXT_CHARS), min(len(original), end + CONTEXT_CHARS)
    before = "..." if context_start > 0 else ""
    context = before + _one_line(original[context_start:context_end]) + ("..." if context_end < len(original) else "")
    context_offset = len(before) + to16(start) - to16(context_start)
    title = _title(finding.name)
    described = {
        "id": finding.code, "description": title, "issueType": _issue_type(finding.code),
        "category": _category(rule),
    }
    if rule_url:
        described["urls"] = [{"value": rule_url.format(code=finding.code)}]
    return {
        "message": finding.message,
        "shortMessage": title,
        "replacements": _replacements(annotated, finding, start, end),
        "offset": offset,
        "length": length,
        "context": {"text": context, "offset": context_offset, "length": length},
        "type": {"typeName": "Other"},
        "rule": described,
        "ignoreForIncompleteSentence": False,
        "contextForSureMatch": 0,
    }


def _replacements(annotated, finding, start, end):
    """The fix as LanguageTool's replacement of the whole match (its span may be wider than the fix's)."""
    fix = finding.fix
    if fix is None or not (finding.start <= fix.start <= fix.end <= max(finding.end, finding.start)):
        return []
    if annotated.to_original(finding.end, end=True) - start != finding.end - finding.start:
        return []  # markup inside the match: a replacement would swallow it
    plain = annotated.plain
    return [{"value": plain[finding.start : fix.start] + fix.replacement + plain[fix.end : finding.end]}]


def _one_line(text):
    return re.sub(r"[\r\n]", " ", text)


def _title(name):
    return name.replace("-", " ").capitalize()


def _issue_type(code):
    for prefix in (code, code[:2]):
        if prefix in ISSUE_TYPES:
            return ISSUE_TYPES[prefix]
    return "uncategorized"


def _category(rule):
    """The rule's family, from its folder (rules/foreign-script/ -> FOREIGN_SCRIPT)."""
    import os  # lazy: start-up

    family = os.path.basename(os.path.dirname(rule.path)) if rule is not None and rule.path else "checker"
    return {"id": re.sub(r"[^A-Za-z0-9]+", "_", family).upper(), "name": family.replace("-", " ").capitalize()}
