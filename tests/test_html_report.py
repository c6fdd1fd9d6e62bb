"""`--format html`: the page an editor reads.

Without a browser: escaping, the JSON block, marks over overlapping spans, positions
after CRLF and emoji, badges for invisible and bidi characters, the palette's contrast.
In headless Chromium (marked `browser`; a missing Chromium fails, it does not skip):
every seed finding marked at its span, the note on hover and focus, filters, n / p,
sorting, hostile text (BLNS) that runs nothing and asks for nothing, screenshots.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, run_checker, shared_path

LINE_BREAK = re.compile(r"\r\n|\r|\n")
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


# --- reading a report without a browser ----------------------------------------------


class _Page(HTMLParser):
    """Every element of a page (tag, attributes) and the text of its <script> elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements, self.scripts, self._in_script = [], [], None

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = [dict(attrs), ""]

    def handle_data(self, data):
        if self._in_script is not None:
            self._in_script[1] += data

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script is not None:
            self.scripts.append(tuple(self._in_script))
            self._in_script = None


def parse_page(html):
    page = _Page()
    page.feed(html)
    page.close()
    return page


def report_data(html):
    """The JSON block of a report, as the page's script reads it."""
    page = parse_page(html)
    blocks = [text for attrs, text in page.scripts if attrs.get("type") == "application/json"]
    assert len(blocks) == 1
    return json.loads(blocks[0])


class _Article(HTMLParser):
    """An article's HTML as lines of segments: [(text, finding ids)], a badge read as the
    character it stands for (its data-cp), so that the text can be compared with the file's."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines, self.tags = [], []
        self._fids, self._badge = None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "p":
            self.lines.append([])
        elif tag == "mark":
            self._fids = tuple(map(int, attrs["data-f"].split()))
            self.lines[-1].append(("", self._fids))  # a point mark has no text
        elif tag == "span" and "data-cp" in attrs:
            self._badge += 1
            self._add(chr(int(attrs["data-cp"], 16)))

    def handle_endtag(self, tag):
        if tag == "mark":
            self._fids = None
        elif tag == "span" and self._badge:
            self._badge -= 1

    def handle_data(self, data):
        if not self._badge:
            self._add(data)

    def _add(self, text):
        fids = self._fids or ()
        line = self.lines[-1]
        if line and line[-1][1] == fids:
            line[-1] = (line[-1][0] + text, fids)
        else:
            line.append((text, fids))


def article_lines(article_html):
    parser = _Article()
    parser.feed(article_html)
    parser.close()
    return parser.lines


def marked(lines, fid):
    """Where finding `fid` is marked: ((line, column), (end_line, end_column), text), 1-based
    code points, end exclusive, the text without line breaks."""
    first = last = None
    text = []
    for number, segments in enumerate(lines, 1):
        column = 1
        for seg_text, fids in segments:
            if fid in fids:
                if first is None:
                    first = (number, column)
                text.append(seg_text)
                last = (number, column + len(seg_text))
            column += len(seg_text)
    return first, last, "".join(text)


def line_texts(lines):
    return ["".join(text for text, _ in segments) for segments in lines]


def checker_json(*args):
    result = run_checker("--no-cache", "--format", "json", *args)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def checker_html(*args, input=None):
    result = run_checker("--no-cache", "--format", "html", *args, input=input)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout


def file_lines(text):
    """The lines the report shows: a final empty line (after the last break) is left out."""
    lines = LINE_BREAK.split(text)
    return lines[:-1] if len(lines) > 1 and lines[-1] == "" else lines


def assert_every_finding_marked(lines, file_findings, text):
    """Each finding (from --format json) marked exactly at its span: same start, same end,
    and the marked text is the file's text there (line breaks are not inside a mark)."""
    from bisect import bisect_right

    starts = [0] + [m.end() for m in LINE_BREAK.finditer(text)]
    assert line_texts(lines) == file_lines(text)
    for fid, f in enumerate(file_findings):
        first, last, shown = marked(lines, fid)
        start = starts[f["line"] - 1] + f["column"] - 1
        end = starts[f["end_line"] - 1] + f["end_column"] - 1
        end -= len(text[start:end]) - len(text[start:end].rstrip("\r\n"))  # a break it ends with is not marked
        line = bisect_right(starts, end - 1)
        assert first == (f["line"], f["column"]), (f, first)
        assert last == (line, end - starts[line - 1] + 1), (f, last)
        assert shown == LINE_BREAK.sub("", text[start:end]), f
        assert shown, f


# --- escaping ---------------------------------------------------------------------------


def test_inline_html_escapes_markup():
    from checker.report.html import inline_html

    assert inline_html('<script>alert("x")</script> & <b>') == '&lt;script&gt;alert("x")&lt;/script&gt; &amp; &lt;b&gt;'
    assert inline_html("&amp; stays text") == "&amp;amp; stays text"
    assert inline_html("a<b", 1, 3) == "&lt;b"


def test_page_json_cannot_end_its_script_element():
    from checker.report.html import page_json

    value = {"s": ["</script><script>x()</script>", "</SCRIPT >", "<!--<script>", "a</b", "<\\/"]}
    text = page_json(value)
    assert "</" not in text and "<!" not in text
    assert json.loads(text) == value


HOSTILE = (
    "2024-07-05 06:15:31\n"
    "<script>window.__pwned = 1</script> said the minister.\n"
    "</textarea></title></style></script><img src=x onerror=\"window.__pwned=1\"> reported.\n"
    "<a href=\"javascript:window.__pwned=1\">link</a> javascript:alert(1) <!-- x --> ]]> &lt;b&gt;\n"
    "The president of the [САЩ] spoke \u202eevil\u202c and \u2066isolated\u2069 text.\n"
)


def test_hostile_file_is_only_text(tmp_path):
    path = tmp_path / "hostile.txt"
    path.write_text(HOSTILE, encoding="utf-8")
    html = checker_html(path)
    page = parse_page(html)
    # the page's own elements only: two scripts (the data, the code), no handler, no link out
    assert [attrs.get("type") for tag, attrs in page.elements if tag == "script"] == ["application/json", None]
    assert not {"img", "textarea", "iframe", "svg", "object", "form", "link", "base"} & {tag for tag, _ in page.elements}
    for tag, attrs in page.elements:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        if tag == "a":
            assert attrs["href"].startswith("#"), attrs
    assert not any(c in html for c in BIDI_CONTROLS)
    data = report_data(html)
    lines = article_lines(data["files"][0]["h"])
    assert line_texts(lines) == HOSTILE.split("\n")[:-1]  # the text, all of it, as text
    assert {tag for tag, _ in _tags(data["files"][0]["h"])} <= {"p", "mark", "span"}
    for message in data["msgs"]:
        assert {tag for tag, _ in _tags(message)} <= {"span"}


def _tags(fragment):
    parser = _Article()
    parser.lines.append([])
    parser.feed(fragment)
    return parser.tags


def test_csp_names_the_script_and_allows_no_request(tmp_path):
    import base64
    import hashlib

    path = tmp_path / "a.txt"
    path.write_text("The talks went on.\n", encoding="utf-8")
    html = checker_html(path)
    page = parse_page(html)
    csp = [a["content"] for t, a in page.elements if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"][0]
    code = [text for attrs, text in page.scripts if "type" not in attrs][0]
    digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)  # nothing loaded from anywhere


# --- marks ---------------------------------------------------------------------------------


def _finding(code, start, end, severity="warning", text=""):
    from checker.findings import Finding

    return Finding(code, code.lower(), severity, f"{code} message", start, end, matched=text[start:end])


def test_overlapping_findings_cut_into_segments():
    from checker.report.html import article_html

    text = "Alpha beta gamma delta epsilon.\nZeta eta."
    spans = [(0, 16), (6, 22), (11, 16), (17, 36)]  # crossing, nested, across the line break
    findings = [_finding(f"X{i}", s, e, "info" if i == 0 else "warning", text) for i, (s, e) in enumerate(spans)]
    lines = article_lines(article_html(text, findings))
    assert lines[0] == [
        ("Alpha ", (0,)),
        ("beta ", (0, 1)),
        ("gamma", (0, 1, 2)),
        (" ", (1,)),
        ("delta", (1, 3)),
        (" epsilon.", (3,)),
    ]
    assert lines[1] == [("Zeta", (3,)), (" eta.", ())]
    for fid, (start, end) in enumerate(spans):
        _first, _last, shown = marked(lines, fid)
        assert shown == text[start:end].replace("\n", "")
    html = article_html(text, findings)
    # the segment where each finding starts is its focus target, and carries its code
    assert html.count('data-s="0"') == 1 and 'data-s="1" data-c="X1"' in html and 'data-s="3" data-c="X3"' in html
    assert html.count("tabindex") == 4
    assert 'class="m s-w s-i multi"' in html  # both severities shown where they overlap


def test_finding_with_no_span_marks_its_sentence():
    from checker.report.html import article_html, sentence_around

    text = "First one. The second sentence here! Third.\nNext line."
    assert sentence_around(text, 15) == (11, 36)
    assert sentence_around(text, 0) == (0, 10)
    assert sentence_around(text, 47) == (44, 54)
    lines = article_lines(article_html(text, [_finding("Z1", 15, 15, text=text)]))
    assert marked(lines, 0)[2] == "The second sentence here!"
    # a blank line has no sentence: a point mark, still focusable
    blank = "One.\n\nTwo."
    html = article_html(blank, [_finding("Z2", 5, 5, text=blank)])
    assert '<p><mark class="m s-w pt" data-f="0" data-s="0" data-c="Z2" tabindex="0"></mark></p>' in html


def test_positions_after_crlf_and_emoji(tmp_path):
    text = (
        "2024-07-05 06:15:31\r\n"
        "The president 🇺🇸 of the [САЩ] spoke 😀😀, world agencies reported.\r\n"
        "\r\n"
        "A 👨\u200d👩\u200d👧 family met the [САЩ] envoy in \U0001d538thens, sources said.\r\n"
    )
    path = tmp_path / "crlf.txt"
    path.write_bytes(text.encode("utf-8"))
    found = checker_json("--language", "en", path)
    assert {f["code"] for f in found} >= {"FS101", "AT103", "TS101"}
    data = report_data(checker_html("--language", "en", path))
    lines = article_lines(data["files"][0]["h"])
    assert_every_finding_marked(lines, found, text)
    # the data the page shows for each finding is the checker's, position for position
    assert [f[2:6] for f in data["files"][0]["f"]] == [[f["line"], f["column"], f["end_line"], f["end_column"]] for f in found]


# --- badges --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "badged"),
    [
        ("zero\u200bwidth", ["200B"]),
        ("over\u202eride\u202c and \u2066iso\u2069 and \u200eLRM \u200fRLM \u061cALM", ["202E", "202C", "2066", "2069", "200E", "200F", "061C"]),
        ("mid\ufefftext", ["FEFF"]),
        ("soft\u00adhyphen, line\u2028sep, para\u2029sep, tab\x0bvt, nel\x85", ["00AD", "2028", "2029", "000B", "0085"]),
        ("tags\U000e0041\U000e0042 hidden", ["E0041", "E0042"]),
        ("joiner in САЩ\u200dЕС", ["200D"]),
        ("family 👨\u200d👩\u200d👧 ok, ❤\ufe0f ok", []),
        ("flag 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f ok", []),
        ("Persian می\u200cخواهم ok", []),
        ("a stray\ufe0f selector and \u200c non-joiner", ["FE0F", "200C"]),
    ],
)
def test_invisible_and_bidi_characters_become_badges(text, badged):
    from checker.report.html import inline_html

    html = inline_html(text)
    assert re.findall(r'data-cp="([0-9A-F]+)"', html) == badged
    for point in badged:
        assert f"\u27e8U+{point}\u27e9" in html  # shown as ⟨U+XXXX⟩
        assert chr(int(point, 16)) not in html  # never applied
    # what is not a badge stays as written
    plain = re.sub(r"<span class=\"bdg\"[^>]*>[^<]*</span>", "\0", html)
    assert plain.replace("\0", "") == "".join(c for i, c in enumerate(text) if f"{ord(c):04X}" not in badged)


def test_every_control_and_format_character_is_a_badge_candidate():
    import unicodedataplus

    from checker.report.html import _CANDIDATE

    prepended = {0x600, 0x601, 0x602, 0x603, 0x604, 0x605, 0x6DD, 0x70F, 0x890, 0x891, 0x8E2, 0x110BD, 0x110CD}
    missing = []
    for point in range(0x110000):
        if point in prepended or point in (0x9, 0xA, 0xD) or 0xD800 <= point <= 0xDFFF:
            continue
        if unicodedataplus.category(chr(point)) in ("Cc", "Cf", "Zl", "Zp") and not _CANDIDATE.match(chr(point)):
            missing.append(f"U+{point:04X}")
    assert not missing


def test_badge_names_the_character():
    from checker.report.html import badge_html

    assert badge_html("\u202e") == '<span class="bdg" data-cp="202E" title="U+202E RIGHT-TO-LEFT OVERRIDE">\u27e8U+202E\u27e9</span>'
    assert 'title="U+0001 control"' in badge_html("\x01")


# --- colours -------------------------------------------------------------------------------


def _luminance(hex_colour):
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    """WCAG 2.x contrast ratio of two #rrggbb colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula():
    assert round(contrast("#000000", "#ffffff"), 2) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48  # WebAIM's example of a near miss


# (foreground, background, least ratio): 4.5 for text (WCAG AA), 3 for the underlines,
# gutter bars and the focus ring (non-text contrast, WCAG 1.4.11).
CONTRAST_PAIRS = [
    *[("text", bg, 4.5) for bg in ("bg", "surface", "error-bg", "warning-bg", "info-bg")],  # marked text
    *[(fg, bg, 4.5) for fg in ("muted", "link") for bg in ("bg", "surface")],
    ("error", "error-bg", 4.5), ("warning", "warning-bg", 4.5), ("info", "info-bg", 4.5),  # severity pills
    *[(sev, bg, 3) for sev in ("error", "warning", "info") for bg in ("bg", f"{sev}-bg")],  # underlines, bars
    ("badge", "badge-bg", 4.5),
    ("tip-text", "tip-bg", 4.5), ("tip-muted", "tip-bg", 4.5),
    ("focus", "bg", 3), ("focus", "surface", 3),
]


@pytest.mark.parametrize(("fg", "bg", "least"), CONTRAST_PAIRS)
def test_palette_contrast(fg, bg, least):
    from checker.report.html import PALETTE

    assert contrast(PALETTE[fg], PALETTE[bg]) >= least, (fg, bg, round(contrast(PALETTE[fg], PALETTE[bg]), 2))


def test_stylesheet_uses_only_the_palette():
    from checker.report.html import PALETTE

    css = (ROOT / "checker" / "report" / "html_report.css").read_text(encoding="utf-8")
    assert not re.search(r"#[0-9a-fA-F]{3,8}\b|\brgba?\(|\bhsla?\(", css)
    used = set(re.findall(r"var\(--([a-z-]+)\)", css))
    assert used <= set(PALETTE), used - set(PALETTE)


# --- the command line ------------------------------------------------------------------------


def test_html_is_a_format_of_the_command_line_and_the_configuration(tmp_path):
    assert "html" in run_checker("--help").stdout
    (tmp_path / "checker.toml").write_text('format = "html"\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text("The talks went on, sources said.\n", encoding="utf-8")
    result = run_checker("--no-cache", "a.txt", cwd=tmp_path)
    assert result.stdout.startswith("<!DOCTYPE html>"), result.stderr


def test_report_of_standard_input():
    text = "2024-07-05 06:15:31\nThe president of the [САЩ] spoke.\n"
    html = checker_html("-", input=text)
    data = report_data(html)
    assert data["files"][0]["p"] == "standard input"
    assert line_texts(article_lines(data["files"][0]["h"])) == text.split("\n")[:-1]
    named = report_data(checker_html("-", "--stdin-filename", "desk/story.txt", input=text))
    assert named["files"][0]["p"] == "desk/story.txt" and named["files"][0]["h"] == data["files"][0]["h"]


def test_cached_run_shows_the_same_report(tmp_path):
    (tmp_path / "a.txt").write_text("2024-07-05 06:15:31\nThe talks of the [САЩ] went on.\n", encoding="utf-8")
    cache = tmp_path / "cache"
    first = run_checker("--cache-dir", cache, "--format", "html", "a.txt", cwd=tmp_path)
    second = run_checker("--cache-dir", cache, "--format", "html", "a.txt", cwd=tmp_path)  # no text travels with cached results
    assert first.stdout == second.stdout and "САЩ" in report_data(second.stdout)["files"][0]["h"]


def test_unreadable_file_is_listed_without_text(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"not \xc3\x28 UTF-8")
    (tmp_path / "good.txt").write_text("The talks went on.\n", encoding="utf-8")
    html = checker_html(tmp_path / "bad.txt", tmp_path / "good.txt")
    data = report_data(html)
    bad = [f for f in data["files"] if f["p"].endswith("bad.txt")][0]
    assert bad["h"] is None and [f[0] for f in bad["f"]] == ["CK001"]
    assert "2 files checked" in html


def test_many_files_index(tmp_path):
    for i in range(3):
        (tmp_path / f"s{i}.txt").write_text("The talks went on, sources said.\n" * (i + 1), encoding="utf-8")
    html = checker_html(tmp_path)
    page = parse_page(html)
    rows = [a for t, a in page.elements if t == "tr" and "data-i" in a]
    links = [a["href"] for t, a in page.elements if t == "a" and a.get("href", "").startswith("#f")]
    assert len(rows) == 3 and links == ["#f0", "#f1", "#f2"]


# --- in the browser ----------------------------------------------------------------------------

browser = pytest.mark.browser

SEGMENTS_JS = """
// the open article as lines of [text, finding ids], a badge read as its character
return Array.from(document.querySelectorAll('#article-text > p')).map(p => {
  const out = [];
  const add = (text, fids) => {
    const last = out[out.length - 1];
    if (last && last[1].join() === fids.join()) last[0] += text; else out.push([text, fids]);
  };
  const walk = (node, fids) => {
    for (const child of node.childNodes) {
      if (child.nodeType === 3) add(child.data, fids);
      else if (child.classList.contains('bdg')) add(String.fromCodePoint(parseInt(child.dataset.cp, 16)), fids);
      else if (child.tagName === 'MARK') {
        const ids = child.dataset.f.split(' ').map(Number);
        if (!child.firstChild) out.push(['', ids]);
        walk(child, ids);
      }
      else walk(child, fids);
    }
  };
  walk(p, []);
  return out;
});
"""


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    from browser import BrowserMissing, new_driver

    try:
        chrome = new_driver(tmp_path_factory.mktemp("chromium-profile"), performance_log=True)
    except BrowserMissing as exc:
        pytest.fail(str(exc))  # loudly: the report must be tested in a real browser
    chrome.set_script_timeout(30)
    chrome.console = []  # every console entry seen, for the tests that look at them
    yield chrome
    chrome.quit()


def _open(driver, path, fragment="", width=1280, height=800):
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600}
    )
    driver.get("about:blank")
    driver.get(Path(path).as_uri() + fragment)
    assert driver.execute_script("return document.documentElement.dataset.ready") == "1"
    _no_script_errors(driver)


def _no_script_errors(driver):
    """The page's console: no error (an exception in the report's script, a CSP violation)."""
    entries = driver.get_log("browser")
    driver.console.extend(entries)
    assert not [e for e in entries if e["level"] == "SEVERE"], entries


def _wait(driver, script, seconds=3):
    import time

    deadline = time.monotonic() + seconds
    while not driver.execute_script(script):
        assert time.monotonic() < deadline, script
        time.sleep(0.02)


def _lines_in_browser(driver):
    return [[(text, tuple(fids)) for text, fids in line] for line in driver.execute_script(SEGMENTS_JS)]


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seed-report")
    report = folder / "seeds.html"
    result = run_checker("--no-cache", "--format", "html", "-o", report, "seeds/")
    assert result.returncode == 1, result.stderr
    return report, checker_json("seeds/")


@browser
def test_seed_findings_marked_at_their_spans(driver, seed_report):
    report, found = seed_report
    assert len(found) == 5
    _open(driver, report, "#f0")
    lines = _lines_in_browser(driver)
    text = (ROOT / found[0]["path"]).read_bytes().decode("utf-8")
    assert_every_finding_marked(lines, found, text)
    assert [line for line in (("".join(t for t, _ in segs)) for segs in lines)] == LINE_BREAK.split(text)[: len(lines)]
    # every finding's first mark is in the tab order
    assert driver.execute_script("return document.querySelectorAll('#article-text mark[tabindex=\"0\"]').length") == 5


def _tip(driver):
    return driver.execute_script("const t = document.getElementById('tip'); return t.hidden ? null : t.innerText;")


@browser
def test_note_on_hover_and_on_focus(driver, seed_report):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    report, found = seed_report
    fs101 = [f for f in found if f["code"] == "FS101"][0]
    _open(driver, report, "#f0")
    mark = [m for m in driver.find_elements(By.CSS_SELECTOR, "#article-text mark") if m.text == "САЩ"][0]
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", mark)
    assert _tip(driver) is None
    ActionChains(driver).move_to_element(mark).perform()
    tip = _tip(driver)
    assert tip and "FS101" in tip and fs101["message"] in tip and "foreign-script-fragment" in tip
    assert "САЩ → US" in tip and "A run of letters in a script other than" in tip  # the fix, the rule's description
    ActionChains(driver).move_by_offset(0, -150).send_keys(Keys.ESCAPE).perform()  # to plain text above
    assert _tip(driver) is None
    # focus, from the keyboard: Tab through the marks until the [САЩ] one
    driver.execute_script("document.getElementById('article-title').focus()")
    for _ in range(10):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        if driver.execute_script("return document.activeElement.textContent") == "САЩ":
            break
    assert driver.execute_script("return document.activeElement.getAttribute('aria-describedby')") == "tip"
    tip = _tip(driver)
    assert tip.startswith("FS101") and fs101["message"] in tip and "US" in tip


@browser
def test_n_and_p_step_through_the_findings(driver, seed_report):
    from selenium.webdriver.common.action_chains import ActionChains

    report, found = seed_report
    _open(driver, report)
    visited = []
    for _ in range(len(found)):
        ActionChains(driver).send_keys("n").perform()
        _wait(driver, "return document.activeElement.tagName === 'MARK'")  # the first n opens the article
        visited.append(driver.execute_script("return [document.activeElement.dataset.s, document.activeElement.textContent]"))
    assert [int(s.split()[0]) for s, _ in visited] == list(range(len(found)))
    assert visited[3][1] == "САЩ" and "#f0-4" in driver.current_url
    ActionChains(driver).send_keys("p").perform()
    assert driver.execute_script("return document.activeElement.textContent") == "САЩ"
    assert "FS101" in _tip(driver)
    for _ in range(len(found) + 2):  # past the first finding: nothing earlier, and no error
        ActionChains(driver).send_keys("p").perform()
    assert "No earlier finding" in driver.find_element("id", "status").text
    _no_script_errors(driver)


@browser
def test_filters_hide_and_show(driver, seed_report):
    from selenium.webdriver.common.by import By

    report, found = seed_report
    _open(driver, report, "#f0")

    def counts():
        return driver.execute_script(
            "const s = document.getElementById('status');"
            "return [+s.dataset.shown, +s.dataset.hidden,"
            " document.querySelectorAll('#article-text mark[data-s]:not(.off)').length,"
            " Array.from(document.querySelectorAll('#article-findings li')).filter(li => li.offsetParent).length,"
            " +document.querySelector('#files tbody tr').cells[1].textContent]"
        )

    info = sum(1 for f in found if f["severity"] == "info")
    assert counts() == [5, 0, 5, 5, 5]
    driver.find_element(By.CSS_SELECTOR, "input[data-sev='info']").click()
    assert counts() == [5 - info, info, 5 - info, 5 - info, 5 - info]
    assert "hidden by the filters" in driver.find_element(By.ID, "status").text
    driver.find_element(By.CSS_SELECTOR, "input[data-code='FS101']").click()
    assert counts() == [4 - info, info + 1, 4 - info, 4 - info, 4 - info]
    # the [САЩ] mark is no longer marked, nor in the tab order
    sac = driver.execute_script("return Array.from(document.querySelectorAll('#article-text mark')).find(m => m.textContent === 'САЩ')")
    assert "off" in sac.get_attribute("class") and sac.get_attribute("tabindex") is None
    driver.find_element(By.ID, "codes-none").click()
    assert counts()[:2] == [0, 5]
    driver.find_element(By.ID, "codes-all").click()
    driver.find_element(By.CSS_SELECTOR, "input[data-sev='info']").click()
    assert counts() == [5, 0, 5, 5, 5]
    _no_script_errors(driver)


@browser
def test_index_sorts(driver, tmp_path):
    from selenium.webdriver.common.by import By

    for name, repeat in (("a.txt", 2), ("b.txt", 5), ("c.txt", 1)):
        (tmp_path / name).write_text("The talks went on, sources said.\n\n" * repeat, encoding="utf-8")
    report = tmp_path / "report.html"
    run_checker("--no-cache", "--format", "html", "-o", report, tmp_path)
    _open(driver, report)

    def column(i):
        return driver.execute_script(f"return Array.from(document.querySelectorAll('#files tbody tr')).map(r => r.cells[{i}].textContent)")

    assert [p.rsplit("/", 1)[-1] for p in column(0)] == ["a.txt", "b.txt", "c.txt"]
    button = driver.find_element(By.CSS_SELECTOR, "button[data-sort='total']")
    button.click()
    totals = list(map(int, column(1)))
    assert totals == sorted(totals, reverse=True) and totals[0] > totals[-1]
    assert button.find_element(By.XPATH, "..").get_attribute("aria-sort") == "descending"
    button.click()
    assert list(map(int, column(1))) == sorted(totals)
    first = driver.find_element(By.CSS_SELECTOR, "#files tbody tr a")
    name = first.text
    first.click()
    _wait(driver, "return !document.getElementById('article').hidden")
    assert driver.find_element(By.ID, "article-path").text == name


@pytest.fixture(scope="module")
def blns_report(tmp_path_factory):
    strings = json.loads(shared_path("external", "naughty-strings", "blns.json").read_text(encoding="utf-8"))
    folder = tmp_path_factory.mktemp("blns-report")
    # BLNS, and payloads that would set the flag if any ran
    payloads = [
        "<script>window.__pwned = 1</script>",
        "</script><script>window.__pwned = 1</script>",
        "<img src=x onerror=\"window.__pwned = 1\">",
        "<svg onload=\"window.__pwned = 1\"></svg>",
        "</textarea><script>window.__pwned = 1</script>",
        "<a href=\"javascript:window.__pwned = 1\">click</a>",
        "<iframe src=\"https://example.com/\"></iframe><link rel=stylesheet href=\"https://example.com/x.css\">",
        "<!--<script>window.__pwned = 1</script>-->",
    ]
    text = "\n".join(strings + payloads) + "\n"
    article = folder / "blns.txt"
    article.write_text(text, encoding="utf-8")
    report = folder / "blns.html"
    result = run_checker("--no-cache", "--select", "ALL", "--format", "html", "-o", report, article)
    assert result.returncode in (0, 1), result.stderr
    return report, text


@browser
def test_hostile_text_runs_nothing_and_asks_for_nothing(driver, blns_report):
    report, text = blns_report
    driver.get_log("performance")  # drop what came before
    _no_script_errors(driver)
    del driver.console[:]
    _open(driver, report)
    _open(driver, report, "#f0")
    # show the note of every mark: messages quote the hostile text too
    shown = driver.execute_script(
        "const marks = document.querySelectorAll('#article-text mark.m');"
        "let notes = 0; for (const m of marks) { m.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));"
        " if (!document.getElementById('tip').hidden) notes++; } return [marks.length, notes];"
    )
    assert shown[0] > 50 and shown[1] == shown[0]
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 1280  # zalgo scrolls in its box
    assert driver.execute_script("return window.__pwned") is None  # no stray script ran ...
    assert driver.execute_script("return document.documentElement.dataset.ready") == "1"  # ... but the report's own did
    lines = _lines_in_browser(driver)
    assert line_texts(lines) == file_lines(text)  # every string is on the page, as text
    tags = driver.execute_script(
        "return Array.from(new Set(Array.from(document.querySelectorAll('#article-text *, #tip *, #article-findings *')).map(e => e.tagName)))"
    )
    assert set(tags) <= {"P", "MARK", "SPAN", "DIV", "LI", "A", "CODE"}
    handlers = driver.execute_script(
        "return Array.from(document.querySelectorAll('*')).flatMap(e => Array.from(e.attributes)).filter(a => a.name.startsWith('on')).length"
    )
    assert handlers == 0
    # no request: the report's own file is all that was loaded
    url = report.as_uri()
    requests = [
        json.loads(entry["message"])["message"]["params"]["request"]["url"]
        for entry in driver.get_log("performance")
        if json.loads(entry["message"])["message"]["method"] == "Network.requestWillBeSent"
    ]
    assert requests and all(r.split("#")[0] in (url, "about:blank") for r in requests), requests
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
    # and nothing even tried: a blocked attempt would be reported as a CSP violation
    _no_script_errors(driver)
    assert not [e for e in driver.console if "Content Security Policy" in e["message"]], driver.console


@browser
def test_contrast_of_what_is_on_screen(driver, seed_report):
    """The colours as the browser computes them, against the background behind each."""
    report, _ = seed_report
    _open(driver, report, "#f0-3")
    pairs = driver.execute_script("""
      const rgb = s => s.match(/[\\d.]+/g).map(Number);
      const bg = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor);
        if (c.length < 4 || c[3] > 0) return c.slice(0, 3); } return [255, 255, 255]; };
      const out = [];
      for (const sel of ['#article-text mark.s-w', '#article-text mark.s-i', '.sev-w', '.sev-i', '.sev-e', '#article-text p',
                         '.crumbs a', '.check .count', '#tip .msg', '#tip .rname', '#tip .desc', 'td.codes', '.headline']) {
        const el = document.querySelector(sel);
        if (el) out.push([sel, rgb(getComputedStyle(el).color).slice(0, 3), bg(el)]);
      }
      return out;
    """)
    assert len(pairs) == 13
    for selector, fg, bg in pairs:
        ratio = contrast("#{:02x}{:02x}{:02x}".format(*map(round, fg)), "#{:02x}{:02x}{:02x}".format(*map(round, bg)))
        assert ratio >= 4.5, (selector, fg, bg, ratio)


@browser
def test_right_to_left_text_and_badges(driver, tmp_path):
    text = "2024-07-05T06:15:31+03:00\nThe minister said: «שלום עולם» and \u202eevil\u202c, reported AP.\nمرحبا بالعالم، قال الوزير.\n"
    path = tmp_path / "rtl.txt"
    path.write_text(text, encoding="utf-8")
    report = tmp_path / "rtl.html"
    run_checker("--no-cache", "--format", "html", "-o", report, path)
    _open(driver, report, "#f0")
    assert line_texts(_lines_in_browser(driver)) == text.split("\n")[:-1]
    info = driver.execute_script("""
      const ps = document.querySelectorAll('#article-text > p');
      const badge = ps[1].querySelector('.bdg');
      const rtl = ps[2];
      const number = getComputedStyle(rtl, '::before');
      return [getComputedStyle(rtl).unicodeBidi, badge.textContent, getComputedStyle(badge).direction,
              document.createRange && (() => { const r = document.createRange(); r.selectNodeContents(rtl);
                 const b = r.getBoundingClientRect(); return Math.round(rtl.getBoundingClientRect().right - b.right); })(),
              number.position, parseFloat(number.left)];
    """)
    unicode_bidi, badge, direction, gap_right, gutter_position, gutter_left = info
    assert unicode_bidi == "plaintext" and badge == "\u27e8U+202E\u27e9" and direction == "ltr"
    assert gap_right < 20  # the Arabic line starts at the right, as right-to-left text does
    assert gutter_position == "absolute" and gutter_left == 0  # its line number stays in the gutter on the left


@browser
def test_print_stylesheet(driver, seed_report):
    report, _ = seed_report
    _open(driver, report, "#f0")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        state = driver.execute_script("""
          const mark = document.querySelector('#article-text mark[data-c]');
          return [getComputedStyle(document.getElementById('filters')).display,
                  getComputedStyle(document.querySelector('.crumbs')).display,
                  getComputedStyle(mark, '::before').content, getComputedStyle(mark).backgroundColor];
        """)
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert state[0] == "none" and state[1] == "none"
    assert state[2] == '"TS101"'  # each finding's code printed where it starts
    assert state[3] not in ("rgba(0, 0, 0, 0)", "transparent")
    pdf = driver.execute_cdp_cmd("Page.printToPDF", {"printBackground": True})
    assert len(pdf["data"]) > 10_000


@browser
@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_screenshots(driver, seed_report, tmp_path, width, height):
    """Screenshots to look at (under pytest's tmp_path, never in the repository); the page
    must fit the width: no sideways scrolling of the page itself."""
    report, _ = seed_report
    for name, fragment in (("index", ""), ("article", "#f0-3")):
        _open(driver, report, fragment, width, height)
        assert driver.execute_script("return document.documentElement.scrollWidth") <= width
        if fragment:
            assert _tip(driver) and "FS101" in _tip(driver)
        shot = tmp_path / f"{name}-{width}x{height}.png"
        driver.save_screenshot(str(shot))
        assert shot.stat().st_size > 5_000
        print(f"screenshot: {shot}")


def test_an_archive_is_shown_as_stored_with_each_finding_naming_its_record(tmp_path):
    archive = tmp_path / "wire.jsonl"
    archive.write_text(
        json.dumps({"id": "a1", "body": "The president of the [САЩ] spoke."}, ensure_ascii=False) + "\n"
        + json.dumps({"id": "a2", "body": "Talks\u200b went on."}) + "\n",
        encoding="utf-8",
    )
    data = report_data(checker_html(archive))
    (entry,) = data["files"]
    marks = [(row[0], row[2], row[3]) for row in entry["f"]]
    expected = [(f["code"], f["line"], f["column"]) for f in checker_json(archive)]
    assert marks == expected and {code for code, _, _ in marks} >= {"FS101", "TX101"}
    shown = [data["msgs"][row[6]] for row in entry["f"]]
    assert any(m.startswith("[record a1] ") for m in shown) and any(m.startswith("[record a2] ") for m in shown)
    assert '"id": "a1"' in entry["h"]  # the file as stored, not the record's text alone
