"""`html`: one self-contained page an editor reads, the story on screen with its problems marked.

The page holds everything it needs (CSS, script, data) and asks no server for
anything: its Content-Security-Policy allows no request at all and runs only its
own script, named by hash. The index (files, rules) is HTML from the start; each
article's HTML is built here but kept in a JSON block and put on the page only
when the article is opened, so a run of thousands of files opens at once.

Everything that comes from a file or a finding (text, paths, messages, fixes, rule
descriptions) goes through `inline_html()`: escaped, and with invisible and bidi
control characters replaced by visible badges (never applied). The script only
ever puts such pre-rendered strings on the page.
"""

import base64
import hashlib
import json
import re
from importlib import resources

from checker import __version__
from checker.report import shown_message
from checker.report.concise import summary_line

SEVERITY_ORDER = ("error", "warning", "info")  # most severe first
SEV_LETTER = {"error": "e", "warning": "w", "info": "i"}
_PLURAL = {"error": "errors", "warning": "warnings", "info": "info"}

# The page's colours: every one the stylesheet uses (tests check their WCAG contrast).
PALETTE = {
    "bg": "#ffffff",  # page
    "surface": "#f4f6f8",  # header, side panel, table heads
    "text": "#1b1f24",
    "muted": "#57606a",  # secondary text, line numbers
    "border": "#d0d7de",  # decoration only
    "link": "#0a55c2",
    "focus": "#0a55c2",  # focus ring and the current finding
    "error": "#b3261e",  # error text, underline and gutter bar
    "error-bg": "#fde7e4",
    "warning": "#8c4a00",  # warning text, underline and gutter bar
    "warning-bg": "#fff1c7",
    "info": "#0b5aa6",
    "info-bg": "#e3effc",
    "badge": "#ffffff",  # text of an invisible-character badge
    "badge-bg": "#6b2fa0",
    "tip-bg": "#1b1f24",  # tooltip
    "tip-text": "#ffffff",
    "tip-muted": "#c9d1d9",
}

# --- characters made visible ---------------------------------------------------------

# Candidates for a badge: C0/C1 controls (but tab and line breaks), soft hyphen, invisible
# letters and fillers, Mongolian selectors, zero-width and bidi controls, line and paragraph
# separators, invisible operators, variation selectors, BOM, interlinear annotation,
# Egyptian, shorthand and musical format controls, tags. Tested to hold every Cc, Cf, Zl,
# Zp character (but tab, LF, CR and the prepended concatenation marks, which are visible).
_BADGE_CLASS = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
_CANDIDATE = re.compile("[" + _BADGE_CLASS + "]")
_JOINERS = "\u200c\u200d"
_FLAG_TAGS = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")
# Scripts that spell with ZWNJ and ZWJ between letters (Persian, Hindi): there they stay.
SPELLING_SCRIPTS = frozenset((
    "Arabic", "Syriac", "Thaana", "Nko", "Mongolian", "Devanagari", "Bengali", "Gurmukhi", "Gujarati",
    "Oriya", "Tamil", "Telugu", "Kannada", "Malayalam", "Sinhala", "Tibetan", "Myanmar", "Khmer",
))


def _is_emoji(char):
    import unicodedataplus

    return char not in "\u200b\u200d" and (
        unicodedataplus.is_extended_pictographic(char) or unicodedataplus.is_emoji_component(char) and not char.isascii()
    )


def _letter_of(char, scripts):
    import unicodedataplus

    return (char.isalpha() or unicodedataplus.category(char).startswith("M")) and unicodedataplus.script(char) in scripts


def shows_as_badge(text, i):
    """Whether text[i] is shown as a badge: every invisible or bidi control character,
    except where it is how something is spelt (an emoji sequence, ZWNJ in Persian, a
    variation selector after a Han or emoji character, a flag's tags)."""
    char = text[i]
    if not _CANDIDATE.match(char):
        return False
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if char in _JOINERS:
        return not (before and after and _joins_spelling(char, before, after))
    if "\ufe00" <= char <= "\ufe0f" or "\U000e0100" <= char <= "\U000e01ef":
        return not (before and not _CANDIDATE.match(before) and _selects_variant(char, before))
    if "\U000e0020" <= char <= "\U000e007f":
        return not _in_flag_tags(text, i)
    if "\u180b" <= char <= "\u180f" and char != "\u180e" and before:
        import unicodedataplus  # lazy: start-up

        return unicodedataplus.script(before) != "Mongolian"  # else a free variation selector
    return True


def _joins_spelling(char, before, after):
    """A ZWJ inside an emoji sequence, or a ZWNJ/ZWJ between letters of a script that spells with it."""
    if char == "\u200d" and _is_emoji(before) and _is_emoji(after):
        return True
    return _letter_of(before, SPELLING_SCRIPTS) and _letter_of(after, SPELLING_SCRIPTS)


def _selects_variant(char, before):
    """A variation selector after an emoji (text or emoji style) or a Han ideograph."""
    import unicodedataplus  # lazy: start-up

    return (char in "\ufe0e\ufe0f" and _is_emoji(before)) or unicodedataplus.script(before) == "Han"


def _in_flag_tags(text, i):
    """A tag character of a flag's tag sequence (🏴 + tags + CANCEL TAG)."""
    start = i
    while start > 0 and "\U000e0020" <= text[start - 1] <= "\U000e007e":
        start -= 1
    return start > 0 and _FLAG_TAGS.match(text, start - 1) is not None


def badge_html(char):
    import unicodedataplus

    point = f"{ord(char):04X}"
    name = unicodedataplus.name(char, "") or ("control" if unicodedataplus.category(char) == "Cc" else "unassigned")
    return f'<span class="bdg" data-cp="{point}" title="U+{point} {name}">\u27e8U+{point}\u27e9</span>'


def escape(text):
    """HTML text: & < > escaped (no quotes: never used in attributes unescaped)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def inline_html(text, start=0, end=None):
    """text[start:end] as HTML: escaped, invisible and bidi controls as badges (judged in
    the context of the whole text). Line breaks are kept as they are."""
    if end is None:
        end = len(text)
    out = []
    pos = start
    for match in _CANDIDATE.finditer(text, start, end):
        i = match.start()
        if shows_as_badge(text, i):
            out.append(escape(text[pos:i]))
            out.append(badge_html(text[i]))
            pos = i + 1
    out.append(escape(text[pos:end]))
    return "".join(out)


# --- the article ---------------------------------------------------------------------

_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # what the checker counts lines by (checker.document)
# letters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, ...)
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff]")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*(?=\s|$)")


def lines_of(text):
    """(start, end) of each line, without its break; a final empty line is left out."""
    spans, start = [], 0
    for match in _LINE_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    if start < len(text) or not spans:
        spans.append((start, len(text)))
    return spans


def sentence_around(text, offset):
    """(start, end) of the sentence holding `offset`: what a finding with no span marks.
    A sentence here ends at . ! ? … (and closing quotes) before white space, or at a line break."""
    offset = max(0, min(offset, len(text)))
    line_start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    ends = [len(text)] + [i for i in (text.find("\n", offset), text.find("\r", offset)) if i >= 0]
    line_end = min(ends)
    start = line_start
    for match in _SENTENCE_END.finditer(text, line_start, offset):
        start = match.end()
    match = _SENTENCE_END.search(text, offset, line_end)
    end = match.end() if match else line_end
    while start < end and text[start].isspace():
        start += 1
    return start, end


def marked_spans(text, findings):
    """(start, end) to mark for each finding: its span, clamped to the text; a finding with
    no span (or one of line breaks only) marks its sentence; (x, x): a point."""
    spans = []
    for finding in findings:
        start = max(0, min(finding.start, len(text)))
        end = max(start, min(finding.end, len(text)))
        if not _LINE_BREAK.sub("", text[start:end]):
            start, end = sentence_around(text, start)
        spans.append((start, end))
    return spans


def article_html(text, findings, spans=None):
    """The article as HTML: one <p> a line (the stylesheet numbers them), each finding marked
    on its span. Where findings overlap the text is cut into segments, each one <mark>
    listing every finding over it (data-f) and the findings that start in it (data-s: the
    segment n / p and the keyboard go to). Finding ids are indexes into `findings`."""
    if spans is None:
        spans = marked_spans(text, findings)
    severity = [SEV_LETTER.get(f.severity, "i") for f in findings]
    codes = [f.code for f in findings]
    lines = lines_of(text)
    last_end = lines[-1][1]
    # (offset, order, fid): ends before points before starts at one offset
    events = []
    for fid, (start, end) in enumerate(spans):
        if start == end:
            events.append((min(start, last_end), 1, fid))
        else:
            events.append((start, 2, fid))
            events.append((end, 0, fid))
    events.sort()
    active = {}  # fid -> None, in the order they started
    started = set()
    out = []
    ei, count = 0, len(events)

    def apply(upto):
        nonlocal ei
        while ei < count and events[ei][0] <= upto:
            _offset, kind, fid = events[ei]
            if kind == 0:
                active.pop(fid, None)
            elif kind == 2:
                active[fid] = None
            else:
                out.append(_mark([fid], "", severity, codes, {fid}, point=True))
                started.add(fid)
            ei += 1

    for line_start, line_end in lines:
        # a line with right-to-left letters takes its direction from its first strong
        # letter (dir=auto), so Hebrew and Arabic lines read from the right
        out.append('<p dir="auto">' if _RTL.search(text, line_start, line_end) else "<p>")
        pos = line_start
        while True:
            apply(pos)
            stop = events[ei][0] if ei < count else line_end
            stop = min(max(stop, pos), line_end)
            if stop > pos:
                if active:
                    fids = list(active)
                    fresh = {fid for fid in fids if fid not in started}
                    started.update(fresh)
                    out.append(_mark(fids, inline_html(text, pos, stop), severity, codes, fresh))
                else:
                    out.append(inline_html(text, pos, stop))
                pos = stop
            if pos >= line_end:
                apply(line_end)  # points and ends at the line's end
                break
        out.append("</p>")
    return "".join(out)


def _mark(fids, inner, severity, codes, fresh, point=False):
    letters = {severity[fid] for fid in fids}
    classes = "m" + "".join(f" s-{letter}" for letter in "ewi" if letter in letters)
    if len(fids) > 1:
        classes += " multi"
    if point:
        classes += " pt"
    attrs = f' class="{classes}" data-f="{" ".join(map(str, fids))}"'
    if fresh:
        ordered = [fid for fid in fids if fid in fresh]
        attrs += f' data-s="{" ".join(map(str, ordered))}" data-c="{" ".join(codes[fid] for fid in ordered)}" tabindex="0"'
    return f"<mark{attrs}>{inner}</mark>"


# --- the page -----------------------------------------------------------------------


def _asset(name):
    return resources.files("checker.report").joinpath(name).read_text(encoding="utf-8")


def _csp_hash(source):
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")


def page_json(value):
    """JSON safe as the content of a <script> element. The HTML parser leaves that
    content only at `</` (an end tag: `</script`) and treats `<!--` specially; `<`
    occurs only inside JSON strings, so `</` becomes `<\\/` (JSON's escape for `/`) and
    `<!` becomes `\\u003c!`. Escaping every `<` would be as safe, but makes the article
    markup, most of the page, half as large again and the page slower to open."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!", "\\u003c!")


def _description_html(description):
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", description or "") if p.strip()]
    return "".join(f"<p>{inline_html(p)}</p>" for p in paragraphs)


def _count_words(counts):
    return ", ".join(f"{n} {_PLURAL[s] if n != 1 else s}" for s, n in counts.items() if n)


def write(findings, stream, summary):
    text_of = summary.get("text_of", lambda path: None)
    paths = list(dict.fromkeys(summary.get("files", [])))
    by_path = {path: [] for path in paths}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    paths = list(by_path)
    rules = {r["code"]: r for r in summary.get("rules", [])}

    messages, message_index = [], {}

    def message_id(message):
        if message not in message_index:
            message_index[message] = len(messages)
            messages.append(inline_html(message))
        return message_index[message]

    files, rows = [], []
    totals = {s: 0 for s in SEVERITY_ORDER}
    code_counts, code_info = {}, {}
    for index, path in enumerate(paths):
        found = by_path[path]
        text = text_of(path)
        spans = marked_spans(text, found) if text is not None else None
        records = []
        for f in found:
            fix = None
            if f.fix is not None:
                before = text[f.fix.start : f.fix.end] if text is not None else ""
                fix = [inline_html(before), inline_html(f.fix.replacement), bool(f.fix.safe)]
            records.append([f.code, f.severity, f.line, f.column, f.end_line, f.end_column, message_id(shown_message(f)), fix])
            code_counts[f.code] = code_counts.get(f.code, 0) + 1
            code_info.setdefault(f.code, (f.name, f.severity))
        shown_path = "standard input" if path == "-" else path
        files.append({
            "p": inline_html(shown_path),
            "h": article_html(text, found, spans) if text is not None else None,
            "f": records,
        })
        counts = {s: 0 for s in SEVERITY_ORDER}
        per_code = {}
        for f in found:
            counts[f.severity] = counts.get(f.severity, 0) + 1
            per_code[f.code] = per_code.get(f.code, 0) + 1
        for s in SEVERITY_ORDER:
            totals[s] += counts[s]
        rows.append(_file_row(index, shown_path, len(found), counts, per_code))

    rule_data = {}
    for code in sorted(code_counts):
        rule = rules.get(code, {})
        name, severity = code_info.get(code, (rule.get("name", ""), rule.get("severity", "info")))
        rule_data[code] = [inline_html(rule.get("name") or name), rule.get("severity") or severity, _description_html(rule.get("description", ""))]
    data = {"v": 1, "rules": rule_data, "msgs": messages, "files": files}

    script = _asset("html_report.js")
    style = _root_style() + _asset("html_report.css")
    files_checked = summary.get("files_checked", len(paths))
    headline = summary_line(findings, files_checked)
    total = len(findings)
    csp = (
        f"default-src 'none'; script-src '{_csp_hash(script)}'; style-src '{_csp_hash(style)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    parts = [
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        '<meta name="referrer" content="no-referrer">\n',
        f'<meta name="generator" content="checker {escape(__version__)}">\n',
        f"<title>checker: {total} finding{'s' if total != 1 else ''} in {files_checked} file{'s' if files_checked != 1 else ''}</title>\n",
        f"<style>{style}</style>\n</head>\n<body>\n",
        '<a class="skip" href="#main">Skip to the report</a>\n',
        '<header class="top"><div class="brand">checker</div>',
        f'<p class="headline" id="headline">{escape(headline)}</p></header>\n',
        '<div class="layout">\n',
        _filters_html(totals, code_counts, rule_data, total),
        '<main id="main" tabindex="-1">\n',
        _index_html(rows, code_counts, rule_data, total, totals, rules),
        _article_shell(),
        "</main>\n</div>\n",
        '<div id="tip" role="tooltip" hidden></div>\n',
        f'<script type="application/json" id="report-data">{page_json(data)}</script>\n',
        f"<script>{script}</script>\n</body>\n</html>\n",
    ]
    stream.write("".join(parts))


def _root_style():
    return ":root{" + "".join(f"--{name}:{value};" for name, value in PALETTE.items()) + "}\n"


def _sev_pill(severity):
    return f'<span class="sev sev-{SEV_LETTER.get(severity, "i")}">{escape(severity)}</span>'


def _file_row(index, path, total, counts, per_code):
    cells = "".join(
        f'<td class="num{"" if counts[s] else " zero"}">{counts[s]}</td>' for s in SEVERITY_ORDER
    )
    codes = " ".join(f'<span class="cc">{escape(code)}&#8239;×{n}</span>' for code, n in sorted(per_code.items(), key=lambda kv: (-kv[1], kv[0])))
    return (
        f'<tr data-i="{index}"><td class="path"><a href="#f{index}"><bdi>{inline_html(path).replace("/", "/<wbr>")}</bdi></a></td>'
        f'<td class="num total">{total}</td>{cells}<td class="codes">{codes}</td></tr>'
    )


def _filters_html(totals, code_counts, rule_data, total):
    sev = "".join(
        f'<label class="check"><input type="checkbox" data-sev="{s}" checked> {_sev_pill(s)} '
        f'<span class="count">{totals[s]}</span></label>'
        for s in SEVERITY_ORDER
    )
    codes = "".join(
        f'<label class="check"><input type="checkbox" data-code="{escape(code)}" checked> <code>{escape(code)}</code> '
        f'<span class="name">{rule_data[code][0]}</span> <span class="count">{code_counts[code]}</span></label>'
        for code in sorted(code_counts)
    )
    return (
        '<details class="filters" id="filters" open><summary>Filters</summary>\n'
        '<fieldset><legend>Severity</legend>' + sev + "</fieldset>\n"
        '<fieldset><legend>Rule</legend>'
        + (codes or '<p class="muted">No findings.</p>')
        + '<p class="actions"><button type="button" id="codes-all">All</button> <button type="button" id="codes-none">None</button></p>'
        "</fieldset>\n"
        '<label class="check"><input type="checkbox" id="hide-clean"> Hide files with nothing shown</label>\n'
        f'<p id="status" class="status" role="status" aria-live="polite" data-shown="{total}" data-hidden="0">'
        f"Showing all {total} findings.</p>\n"
        '<p class="keys"><kbd>n</kbd> next finding · <kbd>p</kbd> previous · <kbd>Esc</kbd> close the note'
        " · hover or focus a mark for its note</p>\n"
        "</details>\n"
    )


def _index_html(rows, code_counts, rule_data, total, totals, rules):
    rule_rows = "".join(
        f'<tr><td><code>{escape(code)}</code></td><td>{rule_data[code][0]}</td><td>{_sev_pill(rule_data[code][1])}</td>'
        f'<td class="num">{n}</td></tr>'
        for code, n in sorted(code_counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    quiet = len(set(rules) - set(code_counts))
    heads = "".join(
        f'<th scope="col" class="num" aria-sort="none"><button type="button" data-sort="{key}">{label}</button></th>'
        for key, label in (("total", "Findings"), ("error", "Errors"), ("warning", "Warnings"), ("info", "Info"))
    )
    return (
        '<section id="index" aria-labelledby="index-title">\n'
        '<h1 id="index-title">Findings by file</h1>\n'
        '<div class="scroll"><table id="files" class="files">'
        '<caption class="sr">Files checked; the column buttons sort the table</caption>'
        '<thead><tr><th scope="col" aria-sort="ascending"><button type="button" data-sort="path">File</button></th>'
        + heads
        + '<th scope="col">Rules</th></tr></thead>\n<tbody>'
        + "\n".join(rows)
        + "</tbody></table></div>\n"
        '<h2 id="rules-title">Findings by rule</h2>\n'
        + (
            '<div class="scroll"><table class="rules"><thead><tr><th scope="col">Code</th><th scope="col">Name</th>'
            '<th scope="col">Severity</th><th scope="col" class="num">Count</th></tr></thead><tbody>'
            + rule_rows
            + "</tbody></table></div>\n"
            if rule_rows
            else '<p class="muted">No rule found anything.</p>\n'
        )
        + (f'<p class="muted">{quiet} other rule{"s" if quiet != 1 else ""} ran and found nothing.</p>\n' if quiet else "")
        + "</section>\n"
    )


def _article_shell():
    return (
        '<section id="article" hidden aria-labelledby="article-title">\n'
        '<nav class="crumbs" aria-label="Files"><a href="#" id="to-index">← All files</a>'
        '<span class="step"><a id="prev-file" href="#">‹ Previous file</a> <a id="next-file" href="#">Next file ›</a></span></nav>\n'
        '<h1 id="article-title" tabindex="-1"><bdi id="article-path"></bdi></h1>\n'
        '<p id="article-counts" class="counts"></p>\n'
        '<div id="article-text" class="text" lang=""></div>\n'
        '<h2>Findings in this file</h2>\n'
        '<ol id="article-findings" class="findings"></ol>\n'
        "</section>\n"
    )
