"""Agency copy where it lives: ninjs, NewsML-G2, HTML, JSON Lines and CSV.

Every finding must point into the file as stored (the line and column of the
offending characters in the JSON string, the XML text, the CSV field, after
escapes), fixes must be written back with the right escaping, and bad input
must get CK001 where the parser stopped."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from conftest import run_checker, shared_path
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.config import Settings
from checker.fix import apply_fixes
from checker.formats import format_of, read_items, sniff
from checker.formats.jsontext import loads, string_piece, string_spans
from checker.formats.pieces import OffsetMap
from checker.pipeline import check_bytes
from checker.rules import builtin_rules_dir, load_rules

RULES = [r for r in load_rules([builtin_rules_dir()]) if r.enabled]


def check(text, path, newline="\n", **settings):
    data = text.replace("\n", newline).encode("utf-8")
    return check_bytes(data, path, RULES, Settings(**settings).validate())


def position(stored, offset):
    """1-based (line, column in code points) of an offset, lines broken at CRLF, CR or LF."""
    before = stored[:offset]
    line = len(re.findall(r"\r\n|\r|\n", before)) + 1
    last = max(before.rfind("\n"), before.rfind("\r"))
    return line, offset - last


def span_of(stored, needle, nth=0):
    """(line, column, end line, end column) of the nth occurrence of `needle` in the stored text."""
    if isinstance(needle, tuple):
        needle, nth = needle
    start = -1
    for _ in range(nth + 1):
        start = stored.index(needle, start + 1)
    return (*position(stored, start), *position(stored, start + len(needle)))


def located(result, code):
    return [(f.line, f.column, f.end_line, f.end_column) for f in result.findings if f.code == code]


# --- the planted defects, in every format -------------------------------------------

# A zone-less timestamp, an invisible character in the headline, [САЩ] in an HTML
# body, and a Cyrillic а inside a Latin word (escaped wherever the format escapes).
TIMESTAMP = "2024-07-05T06:15:31"
LEFTOVER = "The president of the [САЩ] spoke to reporters in the capital on Friday, the ministry said in a statement."
HOMOGLYPH = "The B{a}nk of England kept its rates on hold, its governor told the committee of the parliament."


def _planted(fmt):
    """(file name, stored text, {code: the stored text of the span it must report})."""
    if fmt == "ninjs-1":
        item = {"uri": "urn:x", "versioncreated": TIMESTAMP, "language": "en", "headline": "Talks go on\u200b in Sofia",
                "body_html": f"<p>{LEFTOVER}</p><p>{HOMOGLYPH.format(a='а')}</p>"}
        stored = json.dumps(item, ensure_ascii=False, indent=1).replace("Bаnk", "B\\u0430nk")
        return "item.json", stored, {"TS101": TIMESTAMP, "TX101": "\u200b", "FS101": "САЩ", "FS102": "B\\u0430nk"}
    if fmt == "ninjs-3":
        item = {"uri": "urn:x", "versionCreated": TIMESTAMP, "language": "en", "headlines": [{"role": "main", "value": "Talks go on\u200b in Sofia"}],
                "bodies": [{"contentType": "text/html", "value": f"<section><p>{LEFTOVER}</p>\n<p>{HOMOGLYPH.format(a='а')}</p></section>"}]}
        stored = json.dumps(item, ensure_ascii=True)  # every non-ASCII character escaped: \u0421\u0410\u0429
        return "item.json", stored, {"TS101": TIMESTAMP, "TX101": "\\u200b", "FS101": "\\u0421\\u0410\\u0429", "FS102": "B\\u0430nk"}
    if fmt == "newsml":
        wrapped = LEFTOVER.replace("[САЩ]", "[&#1057;&#x410;Щ]").replace(" reporters in", "\n      reporters in")
        stored = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x" xml:lang="en">\n'
            f"  <itemMeta><versionCreated>\n    {TIMESTAMP}\n  </versionCreated></itemMeta>\n"
            "  <contentMeta><headline>Talks go on&#x200B; in Sofia &amp; Plovdiv</headline></contentMeta>\n"
            '  <contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><body>\n'
            f"    <p>{wrapped}</p>\n"
            f"    <p>{HOMOGLYPH.format(a='&#1072;')}</p>\n  </body></html></inlineXML></contentSet>\n</newsItem>\n"
        )
        return "item.xml", stored, {"TS101": TIMESTAMP, "TX101": "&#x200B;", "FS101": "&#1057;&#x410;Щ", "FS102": "B&#1072;nk"}
    if fmt == "nitf":
        stored = (
            '<?xml version="1.0"?>\n<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x">\n'
            f"<itemMeta><firstCreated>{TIMESTAMP}</firstCreated></itemMeta>\n<contentMeta><language tag=\"en\"/></contentMeta>\n"
            '<contentSet><inlineXML contenttype="application/nitf+xml"><nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body>\n'
            "<body.head><hedline><hl1>Talks go on\u200b in Sofia</hl1></hedline><byline>By Jane Doe, Staff</byline></body.head>\n"
            f"<body.content><p>{LEFTOVER}</p><p><![CDATA[{HOMOGLYPH.format(a='а')}]]></p></body.content>\n"
            "</body></nitf></inlineXML></contentSet></newsItem>\n"
        )
        return "item.xml", stored, {"TS101": TIMESTAMP, "TX101": "\u200b", "FS101": "САЩ", "FS102": "Bаnk"}
    if fmt == "html":
        linked = LEFTOVER.replace("[САЩ]", '<a href="/[САЩ]" title="[САЩ]">[САЩ]</a>')
        stored = (
            '<!DOCTYPE html>\n<html lang="en">\n<head><title>Talks go on in Sofia</title>\n'
            f'<meta property="article:published_time" content="{TIMESTAMP}">\n<style>p::before {{ content: "[САЩ]"; }}</style></head>\n'
            f"<body><h1>Talks go on&#8203; in Sofia</h1>\n<p>{linked}</p>\n"
            f"<p>{HOMOGLYPH.format(a='&#x430;')}</p>\n<script>var tag = '[САЩ]';</script>\n</body></html>\n"
        )
        # [САЩ] in the stylesheet, the link's href and title (none of them prose), then in the text
        return "story.html", stored, {"TS101": TIMESTAMP, "TX101": "&#8203;", "FS101": ("САЩ", 3), "FS102": "B&#x430;nk"}
    if fmt == "jsonl":
        records = [
            {"id": "r1", "title": "Rates held", "published": "2024-07-04T10:00:00Z", "body": "The committee said it held the rates."},
            {"id": "r2", "title": "Talks go on\u200b in Sofia", "published": TIMESTAMP, "body": f"<p>{LEFTOVER}</p><p>{HOMOGLYPH.format(a='а')}</p>"},
        ]
        stored = "\n".join(json.dumps(r, ensure_ascii=False) for r in records).replace("Bаnk", "B\\u0430nk") + "\n"
        return "archive.jsonl", stored, {"TS101": TIMESTAMP, "TX101": "\u200b", "FS101": "САЩ", "FS102": "B\\u0430nk"}
    if fmt == "csv":
        body = f'{LEFTOVER}\n\n"{HOMOGLYPH.format(a="а")}" he said.'.replace('"', '""')
        stored = f'id,title,published,body\nr1,Rates held,2024-07-04T10:00:00Z,The committee said it held the rates.\nr2,Talks go on\u200b in Sofia,{TIMESTAMP},"{body}"\n'
        return "archive.csv", stored, {"TS101": TIMESTAMP, "TX101": "\u200b", "FS101": "САЩ", "FS102": "Bаnk"}
    raise AssertionError(fmt)


PLANTED_FORMATS = ["ninjs-1", "ninjs-3", "newsml", "nitf", "html", "jsonl", "csv"]
ARCHIVE_FIELDS = {"headline_field": "title", "date_field": "published"}


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("fmt", PLANTED_FORMATS)
def test_each_planted_defect_is_found_once_at_its_stored_position(fmt, newline):
    name, stored, spans = _planted(fmt)
    stored = stored.replace("\n", newline)
    fields = ARCHIVE_FIELDS if fmt in ("jsonl", "csv") else {}
    result = check_bytes(stored.encode("utf-8"), name, RULES, Settings(**fields).validate())
    for code, needle in spans.items():
        assert located(result, code) == [span_of(stored, needle)], (code, [f for f in result.findings if f.code == code])
    assert "CK001" not in {f.code for f in result.findings}


@pytest.mark.parametrize("fmt", ["ninjs-1", "ninjs-3", "newsml", "nitf", "html", "jsonl", "csv"])
def test_fixes_are_written_with_the_formats_escaping_and_the_file_still_parses(fmt):
    name, stored, _spans = _planted(fmt)
    fields = ARCHIVE_FIELDS if fmt in ("jsonl", "csv") else {}
    result = check_bytes(stored.encode("utf-8"), name, RULES, Settings(timezone="UTC", **fields).validate())
    fixed, applied = apply_fixes(result.source.text, [f.fix for f in result.findings if f.fix and f.fix.safe])
    assert {"FS101", "FS102", "TX101"} <= {f.code for f in result.findings if f.fix and f.fix.safe and f.fix in applied}
    assert "[US]" in _parsed_text(fmt, fixed) and "Bank of England" in _parsed_text(fmt, fixed)
    assert "САЩ" not in _parsed_text(fmt, fixed).replace("content: \"[САЩ]\"", "").replace("'[САЩ]'", "").replace('"/[САЩ]"', "").replace('"[САЩ]"', "")
    again = check_bytes(fixed.encode("utf-8"), name, RULES, Settings(timezone="UTC", **fields).validate())
    assert not {"FS101", "FS102", "TX101", "CK001"} & {f.code for f in again.findings}


def _parsed_text(fmt, stored):
    """The stored file read back by a standard parser (it must still parse): all its text."""
    if fmt.startswith("ninjs"):
        return json.dumps(json.loads(stored), ensure_ascii=False)
    if fmt in ("newsml", "nitf"):
        return "".join(ET.fromstring(stored.encode("utf-8")).itertext())
    if fmt == "jsonl":
        return "".join(json.dumps(json.loads(line), ensure_ascii=False) for line in stored.split("\n") if line)
    if fmt == "csv":
        import csv
        import io

        return "".join("".join(row) for row in csv.reader(io.StringIO(stored)))
    return stored  # HTML: read leniently by every browser; the spans below are what must hold


def test_a_fix_inside_a_json_string_is_escaped_as_json():
    stored = '{"headline": "A \\"quoted\\" [САЩ] line", "body_text": "The talks went on."}'
    result = check(stored, "a.json")
    fs101 = [f for f in result.findings if f.code == "FS101"]
    assert len(fs101) == 1 and fs101[0].fix.replacement == "US"
    fixed = apply_fixes(stored, [fs101[0].fix])[0]
    assert json.loads(fixed)["headline"] == 'A "quoted" [US] line'


def test_a_replacement_holding_quotes_is_escaped_in_json_and_in_csv():
    from checker.formats.pieces import escape_for

    assert escape_for(("json",), 'say "hi"\n') == 'say \\"hi\\"\\n'
    assert escape_for(("markup", "json"), "a < b & c") == "a &lt; b &amp; c"
    assert escape_for(("csv-quoted",), 'say "hi"') == 'say ""hi""'
    assert escape_for(("csv-bare",), "a, b") is None and escape_for(("csv-bare",), "ab") == "ab"
    assert escape_for(("cdata",), "x]]>y") is None


def test_a_fix_in_an_attribute_is_unsafe_and_not_applied_without_unsafe_fixes(tmp_path):
    _name, stored, _spans = _planted("html")
    path = tmp_path / "story.html"
    path.write_text(stored, encoding="utf-8")
    result = check(stored, "story.html", timezone="UTC")
    (ts,) = [f for f in result.findings if f.code == "TS101"]
    assert ts.fix is not None and not ts.fix.safe and ts.fix.replacement == "+00:00"
    run_checker("--fix", "--timezone", "UTC", path)
    assert f'content="{TIMESTAMP}"' in path.read_text(encoding="utf-8") and "[US]</a>" in path.read_text(encoding="utf-8")
    run_checker("--fix", "--unsafe-fixes", "--timezone", "UTC", path)
    assert f'content="{TIMESTAMP}+00:00"' in path.read_text(encoding="utf-8")


def test_a_fix_over_markup_is_unsafe():
    stored = "<html lang=en><body><p>The president of the [<b>САЩ</b>] spoke, the ministry said on Friday in a statement.</p></body></html>"
    result = check(stored, "a.html")
    (fs,) = [f for f in result.findings if f.code == "FS101"]
    assert stored[fs.start : fs.end] == "САЩ" and fs.fix.safe  # the letters alone: no tag inside the span
    stored = "<html><body><p>The B<i>а</i>nk of England kept its rates on hold, its governor told the committee.</p></body></html>"
    (fs,) = [f for f in check(stored, "b.html").findings if f.code == "FS102"]
    assert stored[fs.start : fs.end] == "B<i>а</i>nk" and fs.fix is not None and not fs.fix.safe


# --- positions: escapes, CRLF, multi-line fields, long lines -----------------------------


def test_json_escapes_map_each_character_to_its_stored_escape():
    stored = '{"body_text": "Caf\\u00e9 \\ud83c\\uddfa\\ud83c\\uddf8 \\"[\\u0421\\u0410\\u0429]\\"\\n\\tB\\u0430nk \\u200b."}'
    value, spans = loads(stored), string_spans(stored)
    piece = string_piece(stored, spans[("body_text",)], value["body_text"])
    assert piece.text == value["body_text"]
    for i, char in enumerate(piece.text):
        start, end = piece.stored_span(i, i + 1)
        assert json.loads(f'"{stored[start:end]}"') == char


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40), st.booleans())
def test_json_string_positions_hold_for_any_text(text, ascii_only):
    stored = json.dumps({"x": [1, {"body_text": text}]}, ensure_ascii=ascii_only)
    piece = string_piece(stored, string_spans(stored)[("x", 1, "body_text")], text)
    for i, char in enumerate(text):
        start, end = piece.stored_span(i, i + 1)
        assert json.loads(f'"{stored[start:end]}"') == char


@settings(max_examples=150, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"), min_size=1, max_size=30), st.sampled_from(["\n", "\r\n"]))
def test_xml_text_positions_hold_for_any_text(text, newline):
    from checker.document import line_starts
    from checker.formats.xmltext import parse

    escaped = "".join({"&": "&amp;", "<": "&lt;", ">": "&gt;"}.get(c, f"&#{ord(c)};" if ord(c) % 3 == 0 else c) for c in text)
    stored = f'<?xml version="1.0"?>{newline}<a>{newline}<b>{escaped}</b></a>'
    root = parse(stored, line_starts(stored))
    (piece,) = root.first("b").children
    assert piece.text == text
    for i, char in enumerate(text):
        start, end = piece.stored_span(i, i + 1)
        raw = stored[start:end]
        assert raw == char or ET.fromstring(f"<r>{raw}</r>").text == char


def test_a_long_single_line_json_string_keeps_exact_columns():
    # over 150,000 characters: the item is checked in chunks, and columns still count from the line's start
    filler = " ".join(["The ministry said the talks with the delegation would go on for the rest of the week."] * 2500)
    body = filler + " The president of the [САЩ] spoke. " + filler
    stored = json.dumps({"headline": "Talks", "body_text": body}, ensure_ascii=False)
    assert len(stored) > 400_000 and "\n" not in stored
    result = check(stored, "long.json")
    assert located(result, "FS101") == [span_of(stored, "САЩ")]


def test_a_multi_line_csv_field_with_crlf_and_doubled_quotes():
    stored = 'id,body\r\n7,"First line.\r\n\r\nHe said ""the [САЩ] delegation"" had left, officials said.\r\nLast [САЩ] line."\r\n'
    result = check(stored, "a.csv")
    assert located(result, "FS101") == [span_of(stored, "САЩ"), span_of(stored, "САЩ", 1)]
    assert {f.record for f in result.findings} == {"7"}


def test_html_entities_and_collapsed_white_space_map_to_their_stored_spans():
    stored = "<html lang='en'><body><p>AT&amp;T and the\n      president of the [&#1057;&#1040;&#1065;]\n      spoke,&nbsp;officials said.</p></body></html>"
    result = check(stored, "a.html")
    assert located(result, "FS101") == [span_of(stored, "&#1057;&#1040;&#1065;")]
    assert located(result, "AT103") == [span_of(stored, "officials said")]


# --- HTML: what is prose ---------------------------------------------------------------------


def test_html_script_style_and_attribute_values_are_not_prose():
    stored = (
        "<html lang='en'><head><style>.x::after { content: '[САЩ]' }</style><script>var a = '[САЩ]';</script></head>"
        "<body><p title='[САЩ]'><img alt='[САЩ]' src='x.png'>The talks went on, the minister said.</p></body></html>"
    )
    assert not [f for f in check(stored, "a.html").findings if f.code.startswith("FS")]


def test_html_sentences_end_at_block_boundaries_not_at_inline_tags():
    from checker.formats.markup import read_html

    article = read_html("<h1>Headline</h1><div>First block<p>A <b>bold</b> claim <a href='#'>with a link</a> here</p>Tail<br>After break</div><li>Item</li>")
    assert [(role, piece.text) for role, piece in article.blocks] == [
        ("headline", "Headline"), ("text", "First block"), ("text", "A bold claim with a link here"), ("text", "Tail"), ("text", "After break"), ("text", "Item"),
    ]


def test_html_lang_sets_the_language():
    prose = "<p>Le président a dit que les négociations continueraient pendant toute la semaine avec la délégation.</p>"
    assert check(f"<html lang='en'><body>{prose}</body></html>", "a.html").language == "en"
    assert check(f"<html lang='fr'><body>{prose}</body></html>", "a.html").language == "fr"


def test_html_suppression_comments_work_as_in_markdown():
    stored = (
        "<html lang='en'><body>\n<!-- checker-disable-next-line FS101 the outlet's own name -->\n"
        "<p>Reporters from [САЩ] Today came to the briefing on the talks, the ministry said.</p>\n"
        "<p>The president of the [САЩ] spoke.</p>\n<!-- checker-disable-line TX101 -->\n</body></html>\n"
    )
    result = check(stored, "a.html")
    assert located(result, "FS101") == [span_of(stored, "САЩ", 1)]
    assert located(result, "CK002") == [span_of(stored, "<!-- checker-disable-line TX101 -->")]


# --- archives: records, ids, baselines ---------------------------------------------------------


def test_findings_of_archive_records_carry_the_record_id_in_every_report(tmp_path):
    _name, stored, _spans = _planted("jsonl")
    path = tmp_path / "archive.jsonl"
    path.write_text(stored, encoding="utf-8")
    fields = ["--headline-field", "title", "--date-field", "published"]
    concise = run_checker(*fields, path)
    assert f"{path}:2:" in concise.stdout and "FS101 [record r2] Cyrillic" in concise.stdout
    rows = json.loads(run_checker(*fields, "--format", "json", path).stdout)
    assert {row["record"] for row in rows} == {"r2"} and all(row["line"] == 2 for row in rows)
    sarif = json.loads(run_checker(*fields, "--format", "sarif", path).stdout)
    logical = [r["locations"][0]["logicalLocations"][0] for r in sarif["runs"][0]["results"]]
    assert {(entry["name"], entry["kind"]) for entry in logical} == {("r2", "object")}
    plain = json.loads(run_checker("--format", "json", tmp_path / "archive.jsonl", "--select", "FS").stdout)
    assert plain and all("record" in row for row in plain)
    story = tmp_path / "story.txt"
    story.write_text("The president of the [САЩ] spoke.\n", encoding="utf-8")
    assert all(row["record"] is None for row in json.loads(run_checker("--format", "json", story).stdout))  # a fixed schema: null for a file


def test_csv_quoting_is_read_as_csv_not_as_quotations():
    stored = 'id,body\n1,"The minister said on Friday that ""the talks with the delegation will go on next week"", according to the ministry statement. The ministry confirmed it."\n'
    assert not check(stored, "a.csv").findings
    as_text = check(stored, "a.csv", input_format="text")  # what it was before: the field's quotes read as quotations
    assert [f.code for f in as_text.findings].count("AT102") == 3


def test_records_without_an_id_field_are_named_by_their_line():
    stored = '{"body": "The president of the [САЩ] spoke."}\n\n{"body": "Another [САЩ] here."}\n'
    result = check(stored, "a.jsonl")
    assert [(f.record, f.line) for f in result.findings if f.code == "FS101"] == [("line 1", 1), ("line 3", 3)]


def test_text_and_id_fields_are_chosen_by_flag_and_by_configuration(tmp_path):
    stored = 'key;story;lang\nk1;"The president of the [САЩ] spoke, the ministry said.";en\n'
    (tmp_path / "a.csv").write_text(stored, encoding="utf-8")
    by_flag = run_checker("--text-field", "story", "--id-field", "key", "--language-field", "lang", tmp_path / "a.csv")
    assert "FS101 [record k1]" in by_flag.stdout
    (tmp_path / "checker.toml").write_text('text-field = "story"\nid-field = "key"\n', encoding="utf-8")
    by_config = run_checker(tmp_path / "a.csv")
    assert "FS101 [record k1]" in by_config.stdout
    assert "FS101" not in run_checker("--text-field", "lang", tmp_path / "a.csv").stdout


def test_an_archive_whose_records_lack_the_text_field_says_so(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"id": 1, "story": "The [САЩ] said."}\n', encoding="utf-8")
    result = run_checker(tmp_path / "a.jsonl")
    assert "no record has a `body` or `text` field" in result.stderr and "--text-field" in result.stderr
    assert "FS101" in run_checker("--text-field", "story", tmp_path / "a.jsonl").stdout


def test_a_baseline_works_per_record(tmp_path):
    archive = tmp_path / "a.jsonl"
    archive.write_text('{"id": "a", "body": "The [САЩ] said."}\n{"id": "b", "body": "The [САЩ] said."}\n', encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    run_checker("--select", "FS101", "--write-baseline", baseline, archive)
    entries = json.loads(baseline.read_text(encoding="utf-8"))["findings"]
    assert sorted(e["record"] for e in entries) == ["a", "b"]
    assert run_checker("--select", "FS101", "--baseline", baseline, archive).returncode == 0
    # a third record with the same text is new: the baseline recorded a and b, not "two of these"
    archive.write_text(archive.read_text(encoding="utf-8") + '{"id": "c", "body": "The [САЩ] said."}\n', encoding="utf-8")
    again = run_checker("--select", "FS101", "--baseline", baseline, archive)
    assert again.returncode == 1 and "[record c]" in again.stdout and "[record a]" not in again.stdout


def test_a_jsonl_record_holding_ninjs_is_read_as_ninjs():
    stored = json.dumps({"uri": "urn:1", "headlines": [{"value": "A [САЩ] headline"}], "bodies": [{"contentType": "text/plain", "value": "Body."}]}) + "\n"
    result = check(stored, "a.jsonl")
    assert [(f.code, f.record) for f in result.findings if f.code == "FS101"] == [("FS101", "urn:1")]


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, stored, where",
    [
        ("a.json", '{"headline": "x",\n  "body_text": "y"\n  "by": "z"}', (3, 3)),
        ("a.xml", '<?xml version="1.0"?>\n<newsItem>\n  <headline>x</hedline>\n</newsItem>', (3, 16)),  # expat: at the tag's name
        ("a.csv", 'id,body\n1,"an unterminated\nfield\n', (2, 3)),
        ("a.jsonl", '{"id": 1, "body": "fine"}\n{"id": 2, "body": "broken\n', (2, 19)),
    ],
)
def test_malformed_files_get_ck001_where_the_parser_stopped(name, stored, where):
    result = check(stored, name)
    (ck,) = [f for f in result.findings if f.code == "CK001"]
    assert (ck.line, ck.column) == where and re.match("Cannot read: not (valid|well-formed)", ck.message), ck.message


def test_a_bad_record_does_not_stop_the_archive_nor_a_bad_file_the_run(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"id": 1, "body": "The [САЩ] said."}\nnot json\n{"id": 3, "body": "The [САЩ] said."}\n', encoding="utf-8")
    (tmp_path / "b.json").write_text('{"headline": ', encoding="utf-8")
    (tmp_path / "c.txt").write_text("The [САЩ] said.\n", encoding="utf-8")
    result = run_checker("--select", "FS101,CK001", tmp_path)
    lines = [line.split(": ", 1)[0] + " " + line.split(" ")[1] for line in result.stdout.splitlines()[:-1]]
    assert lines == [f"{tmp_path}/a.jsonl:1:25 FS101", f"{tmp_path}/a.jsonl:2:1 CK001", f"{tmp_path}/a.jsonl:3:25 FS101", f"{tmp_path}/b.json:1:14 CK001", f"{tmp_path}/c.txt:1:6 FS101"]
    assert result.returncode == 1 and "Traceback" not in result.stderr


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">\n' for i in range(1, 10))
    + ']>\n<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/"><contentMeta><headline>&lol9;</headline></contentMeta></newsItem>\n'
)


def test_a_billion_laughs_file_is_refused_cleanly():
    result = check(BILLION_LAUGHS, "lolz.xml")
    assert [(f.code, f.line) for f in result.findings] == [("CK001", 3)]  # the first declaration
    assert "entity declarations are refused" in result.findings[0].message


def test_an_external_entity_is_refused_and_nothing_is_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET [САЩ]", encoding="utf-8")
    xxe = f'<?xml version="1.0"?>\n<!DOCTYPE x [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>\n<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/"><contentMeta><headline>&xxe;</headline></contentMeta></newsItem>\n'
    result = check(xxe, "xxe.xml")
    assert [f.code for f in result.findings] == ["CK001"] and "refused" in result.findings[0].message
    dtd = tmp_path / "evil.dtd"
    dtd.write_text(f'<!ENTITY xxe SYSTEM "file://{secret}">', encoding="utf-8")
    external = f'<?xml version="1.0"?>\n<!DOCTYPE newsItem SYSTEM "file://{dtd}">\n<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/"><contentMeta><headline>A &xxe; B</headline></contentMeta></newsItem>\n'
    result = check(external, "dtd.xml")
    assert "SECRET" not in json.dumps([f.message for f in result.findings]) and "FS101" not in {f.code for f in result.findings}


def test_xml_nested_without_end_is_refused_not_a_crash():
    deep = '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/"><contentSet><inlineXML>' + "<div>" * 5000 + "x" + "</div>" * 5000 + "</inlineXML></contentSet></newsItem>"
    result = check(deep, "deep.xml")
    assert [f.code for f in result.findings] == ["CK001"] and "nested more than" in result.findings[0].message and not result.internal_errors


def test_a_record_with_no_end_is_cut_so_memory_stays_bounded(tmp_path, monkeypatch):
    from checker.formats import archive

    monkeypatch.setattr(archive, "MAX_RANGE_BYTES", 5_000)
    path = tmp_path / "a.csv"
    path.write_bytes(b'id,body\n1,"a quote never closed\n' + b"more text\n" * 2000)
    ranges = archive.plan_ranges(path, "csv", size=1_000, block=1_000)
    assert len(ranges) > 3 and max(r.end - r.start for r in ranges) <= 6_000
    assert ranges[-1].end == path.stat().st_size


def test_a_json_file_that_is_not_news_is_skipped_with_a_note(tmp_path):
    (tmp_path / "package.json").write_text('{"name": "site", "version": "1.0.0"}', encoding="utf-8")
    (tmp_path / "story.txt").write_text("The talks went on, the minister said.\n", encoding="utf-8")
    result = run_checker(tmp_path)
    assert "1 file checked" in result.stdout and result.returncode == 0
    assert "1 file not checked, not being news copy" in result.stderr and "package.json: no ninjs field" in result.stderr


# --- formats: recognised by extension and content, or named ----------------------------------


def test_formats_are_recognised_by_extension_and_content():
    assert format_of("a.json", '{"headline": "x"}') == "ninjs"
    assert format_of("a.json", '{"id": 1, "body": "x"}\n{"id": 2, "body": "y"}\n') == "jsonl"
    assert format_of("a.ndjson") == format_of("a.jsonl") == "jsonl" and format_of("a.tsv") == "csv"
    assert format_of("a.htm") == "html" and format_of("a.xml") == "newsml" and format_of("a.md") == "markdown"
    assert format_of("-", "<?xml version='1.0'?><newsItem/>") == "newsml" and sniff("<!DOCTYPE html><p>x</p>") == "html"
    assert format_of("-", "Plain copy.") == "text" and format_of("a.txt", "{}", forced="ninjs") == "ninjs"


def test_input_format_overrides_the_extension_and_standard_input_is_read_by_content(tmp_path):
    item = json.dumps({"versionCreated": TIMESTAMP, "headline": "The [САЩ] talks", "body_text": "Text."})
    where = f"1:{item.index(TIMESTAMP) + 1}: TS101"
    (tmp_path / "item.txt").write_text(item, encoding="utf-8")
    assert "TS101" not in run_checker(tmp_path / "item.txt").stdout  # a .txt is plain text
    assert f"item.txt:{where}" in run_checker("--input-format", "ninjs", tmp_path / "item.txt").stdout
    assert f"-:{where}" in run_checker("-", input=item).stdout  # standard input: recognised by its content
    (tmp_path / "checker.toml").write_text('input-format = "ninjs"\n', encoding="utf-8")
    assert f"item.txt:{where}" in run_checker(tmp_path / "item.txt").stdout
    assert run_checker("--input-format", "yaml", tmp_path / "item.txt").returncode == 2


# --- ninjs versions and NewsML-G2 packages ---------------------------------------------------


def test_ninjs_1_2_and_3_fields_are_read():
    one = {"uri": "u1", "versioncreated": "2024-01-01T00:00:00Z", "firstcreated": "2024-01-01T00:00:00Z", "headline": "H1", "byline": "By A",
           "description_text": "D1", "body_text": "B1", "body_xhtml": "<p>X1</p>", "language": "en"}
    two = {"uri": "u2", "versioncreated": "2024-01-01T00:00:00Z", "headlines": [{"value": "H2"}, {"value": "Sub"}], "by": "By B",
           "descriptions": [{"value": "D2", "contentType": "text/plain"}], "bodies": [{"value": "<p>B2</p><p>C2</p>", "contentType": "text/html"}],
           "associations": [{"name": "photo", "uri": "urn:photo", "descriptions": [{"value": "Caption", "role": "caption"}]}]}
    three = {"uri": "u3", "versionCreated": "2024-01-01T00:00:00Z", "contentCreated": "2024-01-01", "embargoed": "2024-01-02T00:00:00Z",
             "headlines": [{"value": "H3"}], "bodies": [{"value": "<nitf><body><body.content><p>N3</p></body.content></body></nitf>", "contentType": "text/xml"}]}
    summary = []
    for item in (one, two, three):
        text = json.dumps(item)
        for found in read_items("ninjs", text):
            summary.append((found.record, [k for k, _ in found.timestamps], [(r, p.text) for r, p in found.header], [p.text for p in found.body]))
    assert summary == [
        (None, ["firstcreated", "versioncreated"], [("headline", "H1"), ("byline", "By A")], ["D1", "B1", "X1"]),
        (None, ["versioncreated"], [("headline", "H2"), ("title", "Sub"), ("byline", "By B")], ["D2", "B2", "C2"]),
        ("urn:photo", [], [], ["Caption"]),
        (None, ["versionCreated", "contentCreated", "embargoed"], [("headline", "H3")], ["N3"]),
    ]


def test_a_news_message_gives_findings_per_item():
    stored = (
        '<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><header/><itemSet>\n'
        '<newsItem guid="urn:one"><contentMeta><headline>First [САЩ] item</headline></contentMeta></newsItem>\n'
        '<packageItem guid="urn:pkg"><contentMeta><headline>Package</headline></contentMeta></packageItem>\n'
        '<newsItem guid="urn:two"><contentSet><inlineData contenttype="text/plain">Second [САЩ] item.</inlineData></contentSet></newsItem>\n'
        "</itemSet></newsMessage>\n"
    )
    result = check(stored, "message.xml")
    assert [(f.record, f.line) for f in result.findings if f.code == "FS101"] == [("urn:one", 2), ("urn:two", 4)]


# --- large archives: a range at a time --------------------------------------------------------


def _archive(tmp_path, count, fmt="jsonl"):
    rows = [{"id": f"r{i}", "body": f"Story {i}: the president of the [САЩ] spoke on Friday.\n\nHe said it was so."} for i in range(count)]
    path = tmp_path / f"big.{fmt}"
    if fmt == "jsonl":
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    else:
        path.write_text("id,body\n" + "".join(f'{r["id"]},"{r["body"]}"\n' for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("workers", ["forked", "pool"])  # a pool where the system cannot fork (Windows)
@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_a_large_archive_read_a_range_at_a_time_gives_what_reading_it_whole_gives(tmp_path, monkeypatch, fmt, workers):
    from checker.formats import archive
    from checker.profiles import Profiles
    from checker.runner import check_paths

    path = _archive(tmp_path, 1500, fmt)
    whole = check_bytes(path.read_bytes(), str(path), RULES, Settings())
    monkeypatch.setattr(archive, "RANGE_BYTES", 20_000)
    monkeypatch.setattr("checker.runner.SPLIT_BYTES", 50_000)
    monkeypatch.setattr("checker.runner._CAN_FORK", workers == "forked")
    assert len(archive.plan_ranges(path, fmt, archive.RANGE_BYTES)) > 5
    delivered = []
    profiles = Profiles({"rule_timeout": 0}, None, None)
    for jobs in (1, 2):
        delivered.clear()
        run = check_paths([str(path)], profiles, jobs=jobs, keep_source=False, deliver=delivered.append)
        got = [f for batch in delivered for f in batch]
        key = lambda f: (f.line, f.column, f.end_line, f.end_column, f.code, f.record, f.start, f.end)  # noqa: E731
        assert list(map(key, got)) == list(map(key, whole.findings)), jobs
        assert len(delivered) > 5  # reported as the ranges are checked, not once at the end
        assert run.results[0].findings == []  # a streamed report holds nothing back


def _fixable_archive(tmp_path, name, fmt, count=400):
    """An archive whose every third record holds a zero-width space (TX101, a safe fix)."""
    bodies = [f"Story {i}: talks resume{chr(0x200B) if i % 3 == 0 else ''} on Friday, the ministry said.\n\nMore {i}." for i in range(count)]
    path = tmp_path / f"{name}.{fmt}"
    if fmt == "jsonl":
        path.write_text("".join(json.dumps({"id": f"r{i}", "body": b}, ensure_ascii=False) + "\n" for i, b in enumerate(bodies)), encoding="utf-8")
    else:
        path.write_text("id,body\n" + "".join(f'r{i},"{b}"\n' for i, b in enumerate(bodies)), encoding="utf-8")
    return path


def _small_ranges(monkeypatch):
    from checker.formats import archive

    monkeypatch.setattr(archive, "RANGE_BYTES", 4_000)
    monkeypatch.setattr("checker.runner.SPLIT_BYTES", 10_000)


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_fix_rewrites_a_large_archive_a_range_at_a_time_as_a_whole_fix_would(tmp_path, monkeypatch, fmt, capsys):
    """A large archive is fixed range by range (memory holds one range), and comes out
    byte for byte as the same archive fixed whole; what remains is placed in the new file."""
    from checker import cli
    from checker.fix import large_archive_format

    whole = _fixable_archive(tmp_path, "whole", fmt)
    ranged = _fixable_archive(tmp_path, "ranged", fmt)
    assert cli.main(["--no-cache", "--select", "TX101", "--fix", str(whole)]) == 0
    _small_ranges(monkeypatch)
    assert large_archive_format(str(ranged), Settings()) == fmt
    assert cli.main(["--no-cache", "--select", "TX101", "--fix", str(ranged)]) == 0
    assert "fixed 134 findings in 1 file" in capsys.readouterr().err
    assert ranged.read_bytes() == whole.read_bytes() and chr(0x200B).encode() not in ranged.read_bytes()


def test_fix_of_a_large_archive_reports_what_remains_in_the_fixed_file(tmp_path, monkeypatch, capsys):
    from checker import cli

    path = _fixable_archive(tmp_path, "big", "jsonl")
    with path.open("a", encoding="utf-8") as handle:  # a finding with no fix, in the last record
        handle.write(json.dumps({"id": "last", "body": "Putin said he sees the Taliban as allies in the fight, world agencies reported."}) + "\n")
    lines = len(path.read_text(encoding="utf-8").splitlines())
    _small_ranges(monkeypatch)
    cli.main(["--no-cache", "--select", "TX101,AT103", "--language", "en", "--fix", "--format", "json", str(path)])
    found = json.loads(capsys.readouterr().out)
    assert [(f["code"], f["line"], f["record"]) for f in found] == [("AT103", lines, "last")]
    assert chr(0x200B).encode() not in path.read_bytes()


def test_diff_of_a_large_archive_numbers_its_hunks_as_lines_of_the_whole_file(tmp_path, monkeypatch, capsys):
    from checker import cli

    path = _fixable_archive(tmp_path, "big", "jsonl")
    before = path.read_bytes()
    _small_ranges(monkeypatch)
    assert cli.main(["--no-cache", "--select", "TX101", "--diff", str(path)]) == 1
    diff = capsys.readouterr().out
    assert path.read_bytes() == before  # a diff changes nothing
    assert diff.count("--- a/") == 1 and diff.count("@@") > 10
    lines = before.decode("utf-8").splitlines()
    for match in re.finditer(r"^@@ -(\d+),(\d+) \+\d+,\d+ @@\n((?:[ +-].*\n?)*)", diff, re.MULTILINE):
        start, hunk = int(match.group(1)), [line for line in match.group(3).splitlines() if not line.startswith("+")]
        assert [line[1:] for line in hunk] == lines[start - 1 : start - 1 + len(hunk)]


def test_fix_leaves_a_large_archive_that_changed_while_it_was_fixed(tmp_path, monkeypatch, capsys):
    from checker import cli, fix

    path = _fixable_archive(tmp_path, "big", "jsonl")
    _small_ranges(monkeypatch)
    fix_range, calls = fix.fix_to_fixed_point, []

    def fix_and_edit(*args, **kwargs):  # someone appends a record while the fix is under way
        calls.append(1)
        if len(calls) == 2:
            with path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps({"id": "late", "body": "A late story."}) + "\n")
        return fix_range(*args, **kwargs)

    monkeypatch.setattr(fix, "fix_to_fixed_point", fix_and_edit)
    cli.main(["--no-cache", "--select", "TX101", "--fix", str(path)])
    assert "changed on disk while it was being fixed; not fixed" in capsys.readouterr().err
    data = path.read_bytes()
    assert chr(0x200B).encode() in data and data.endswith(b'"A late story."}\n')  # the edit kept, nothing of the fix written
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".checker-tmp")]


def test_the_first_range_of_a_large_csv_reads_its_header_as_no_record(tmp_path):
    from checker.formats.archive import CsvHeader, plan_ranges, read_range
    from checker.pipeline import check_range

    path = _fixable_archive(tmp_path, "big", "csv")
    ranges = plan_ranges(path, "csv", size=4_000)
    header = CsvHeader.read(read_range(path, ranges[0]).decode("utf-8"))[0]
    records = sum(check_range(read_range(path, piece), piece, str(path), RULES, Settings(), "csv", header).records for piece in ranges)
    assert len(ranges) > 5 and records == 400


def test_read_archive_yields_every_record_a_range_at_a_time(tmp_path):
    from checker.formats.archive import items_in, read_archive

    path = _archive(tmp_path, 300)
    whole = [(item.record, item.body[0].text) for item in items_in(path.read_text(encoding="utf-8"), "jsonl")]
    batches = list(read_archive(path, "jsonl", size=2_000))
    assert len(batches) > 10
    ranged = [(item.record, item.body[0].text) for batch in batches for item in batch.items]
    assert ranged == whole and len(whole) == 300
    first_line = [batch.lines_before for batch in batches]
    assert first_line == sorted(first_line) and first_line[0] == 0


def test_ranges_cut_only_between_records(tmp_path):
    from checker.formats.archive import plan_ranges, read_range

    path = tmp_path / "a.csv"
    path.write_bytes(b"\xef\xbb\xbfid,body\n" + b"".join(f'{i},"line one\nline two ""quoted""\n\nend {i}"\n'.encode() for i in range(400)))
    ranges = plan_ranges(path, "csv", size=1000)
    assert len(ranges) > 5 and ranges[0].start == 3
    for piece in ranges[1:]:
        data = read_range(path, piece)
        assert re.match(rb"\d+,\"line one", data), data[:30]
        assert piece.lines_before == path.read_bytes()[: piece.start].count(b"\n")
        assert piece.chars_before == len(path.read_bytes()[3 : piece.start].decode("utf-8"))


# --- the offset map ----------------------------------------------------------------------------


def test_offset_map_slices_and_composes():
    # stored: a "\u0421" escape in the middle: "ab\u0421cd" -> "abСcd"
    outer = OffsetMap.from_runs([(0, 1, 3), (2, 3, 9), (3, 9, 11)], 5)
    assert [(outer.stored_start(i), outer.stored_end(i + 1)) for i in range(5)] == [(1, 2), (2, 3), (3, 9), (9, 10), (10, 11)]
    assert outer.slice(2, 4).runs() == [(0, 1, 3, 9), (1, 2, 9, 10)]
    inner = OffsetMap.from_runs([(0, 0, 1), (1, 3, 4)], 2)  # "a" and "c" of it, with markup (a gap) between
    assert inner.through(outer).runs() == [(0, 1, 1, 2), (1, 2, 9, 10)]
    assert not inner.writable(0, 2) and inner.writable(0, 1) and outer.writable(1, 4)


def _offset_map(shape):
    """An OffsetMap from [(copied?, length, gap before)]: copied runs, units (1 character for
    `length` stored ones) and gaps of markup between them."""
    runs, text, stored = [], 0, 0
    for copied, length, gap in shape:
        stored += gap
        runs.append((text, stored, stored + length))
        text += length if copied else 1
        stored += length
    return OffsetMap.from_runs(runs, text)


def _spans(offsets):
    return [(offsets.stored_start(i), offsets.stored_end(i + 1)) for i in range(len(offsets))]


_SHAPES = st.lists(st.tuples(st.booleans(), st.integers(1, 6), st.integers(0, 3)), min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(_SHAPES, st.data())
def test_offset_map_slice_and_composition_agree_with_mapping_each_character(shape, data):
    offsets = _offset_map(shape)
    start = data.draw(st.integers(0, len(offsets)))
    end = data.draw(st.integers(start, len(offsets)))
    assert _spans(offsets.slice(start, end)) == _spans(offsets)[start:end]
    # an inner map into the text of `offsets` (copied stretches of it, gaps between): composed
    cuts = sorted(set(data.draw(st.lists(st.integers(0, len(offsets)), max_size=6)) + [0, len(offsets)]))
    inner_runs, length = [], 0
    for a, b in zip(cuts, cuts[1:]):
        if b - a > 1:
            inner_runs.append((length, a, b - 1))  # leaves one character out: a gap
            length += b - 1 - a
    inner = OffsetMap.from_runs(inner_runs, length)
    composed = inner.through(offsets)
    expected = [(offsets.stored_start(a), offsets.stored_end(b)) for a, b in _spans(inner)]
    assert _spans(composed) == expected


# --- IPTC's own material ----------------------------------------------------------------------


def test_every_iptc_example_is_read_without_error():
    from checker.document import line_starts

    ninjs_examples = sorted(shared_path("external", "iptc-ninjs", "examples").rglob("*.json"))
    newsml_examples = sorted(shared_path("external", "iptc-newsml-g2", "examples").glob("*.xml"))
    counted = {"items": 0, "texts": 0, "timestamps": 0}
    for path in ninjs_examples + newsml_examples:
        if path.name == "extension-schema.json":
            continue  # a JSON Schema, not an item
        text = path.read_text(encoding="utf-8")
        fmt = format_of(path, text)
        for item in read_items(fmt, text, line_starts=line_starts(text)):
            counted["items"] += 1
            counted["texts"] += len(item.header) + len(item.body)
            counted["timestamps"] += len(item.timestamps)
    assert counted["items"] >= len(ninjs_examples) + len(newsml_examples) - 1 and counted["texts"] > 200 and counted["timestamps"] > 60


def test_the_ninjs_validation_suite_parses_and_should_fail_cases_do_not_crash():
    suite = shared_path("external", "iptc-ninjs", "validation", "test_suite")
    passing = sorted(suite.glob("*/should_pass/*.json"))
    failing = sorted(suite.glob("*/should_fail/*.json"))
    assert passing and failing
    for path in passing + failing:
        result = check_bytes(path.read_bytes(), str(path), RULES, Settings(input_format="ninjs").validate())
        assert not result.internal_errors and not result.notices, (path, result.notices)
        assert "CK001" not in {f.code for f in result.findings} or path in failing, path


def test_a_streamed_report_keeps_the_report_order(tmp_path):
    for name, text in (("b.txt", "The [САЩ] said.\n"), ("a.jsonl", '{"id": 1, "body": "The [САЩ] said."}\n'), ("c.json", '{"headline": "The [САЩ] said."}')):
        (tmp_path / name).write_text(text, encoding="utf-8")
    given = [tmp_path / "c.json", tmp_path / "b.txt", tmp_path / "a.jsonl"]  # not in path order
    streamed = run_checker("--select", "FS101", *given).stdout.splitlines()
    full = [line for line in run_checker("--select", "FS101", "--format", "full", *given).stdout.splitlines() if line.startswith(str(tmp_path))]
    assert [line.split(":")[0] for line in streamed[:-1]] == sorted(str(p) for p in given)
    assert streamed[:-1] == full and streamed[-1] == "Found 3 findings (3 warnings): 3 files checked, 3 with findings."


# --- hostile text in every format ---------------------------------------------------------


_NOT_IN_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _naughty_files():
    """Every string of the Big List of Naughty Strings, written into each stored format."""
    import csv
    import html
    import io

    strings = json.loads(shared_path("external", "naughty-strings", "blns.json").read_text(encoding="utf-8"))
    strings = [s for s in strings if not re.search("[\ud800-\udfff]", s)]  # not encodable as UTF-8 at all
    xml_safe = [s for s in strings if not _NOT_IN_XML.search(s)]  # XML 1.0 cannot hold the others, even escaped
    ninjs = json.dumps([{"uri": f"u{i}", "headline": s, "body_text": s, "body_html": f"<p>{html.escape(s)}</p>"} for i, s in enumerate(strings)], ensure_ascii=False)
    jsonl = "".join(json.dumps({"id": i, "headline": s, "body": s}, ensure_ascii=False) + "\n" for i, s in enumerate(strings))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["id", "headline", "body"])
    writer.writerows([i, s, s] for i, s in enumerate(strings))
    newsml = '<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet>\n' + "".join(
        f'<newsItem guid="g{i}"><contentMeta><headline>{html.escape(s)}</headline></contentMeta><contentSet><inlineXML>'
        f'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>{html.escape(s)}</p></body></html></inlineXML></contentSet></newsItem>\n'
        for i, s in enumerate(xml_safe)
    ) + "</itemSet></newsMessage>\n"
    page = "<html><body>\n" + "".join(f"<p>{html.escape(s)}</p>\n" for s in strings) + "</body></html>\n"
    return {"all.json": ninjs, "all.jsonl": jsonl, "all.csv": out.getvalue(), "all.xml": newsml, "all.html": page}


@pytest.mark.parametrize("name", ["all.json", "all.jsonl", "all.csv", "all.xml", "all.html"])
def test_naughty_strings_in_every_format_no_crash_and_every_finding_inside_the_file(name):
    stored = _naughty_files()[name]
    settings_ = Settings(headline_field="headline").validate()
    result = check_bytes(stored.encode("utf-8"), name, RULES, settings_)
    assert not result.internal_errors and not result.notices, result.notices[:3]
    assert result.findings and "CK001" not in {f.code for f in result.findings}
    lines = re.split(r"\r\n|\r|\n", stored)
    for f in result.findings:
        assert 1 <= f.line <= f.end_line <= len(lines), f
        assert 1 <= f.column <= len(lines[f.line - 1]) + 1 and 1 <= f.end_column <= len(lines[f.end_line - 1]) + 1, f
        assert 0 <= f.start <= f.end <= len(stored) and (f.line, f.column) == position(stored, f.start), f
    # every safe fix applied at once: the file still parses, for the checker and for a standard parser
    fixed, applied = apply_fixes(stored, [f.fix for f in result.findings if f.fix and f.fix.safe])
    assert applied and fixed != stored
    again = check_bytes(fixed.encode("utf-8"), name, RULES, settings_)
    assert "CK001" not in {f.code for f in again.findings} and not again.internal_errors
    if name == "all.json":
        assert len(json.loads(fixed)) == len(json.loads(stored))
    elif name == "all.jsonl":
        records = lambda text: [json.loads(line)["id"] for line in text.split("\n") if line]  # noqa: E731 (not splitlines: U+2028 is no line break in JSON Lines)
        assert records(fixed) == records(stored)
    elif name == "all.csv":
        import csv
        import io

        assert [row[0] for row in csv.reader(io.StringIO(fixed))] == [row[0] for row in csv.reader(io.StringIO(stored))]
    elif name == "all.xml":
        assert len(ET.fromstring(fixed.encode("utf-8"))[0]) == len(ET.fromstring(stored.encode("utf-8"))[0])


def test_an_archive_gets_no_language_note_from_its_first_record(tmp_path):
    """Each record is read in its own language; the run's note on unchecked languages counts
    files, so an archive (whose first record may be too short to tell) has none."""
    path = tmp_path / "wire.jsonl"
    records = [{"id": "a1", "body": "Short [САЩ] note."}, {"id": "a2", "body": "The minister said on Monday that the talks would resume next week in Geneva, officials confirmed."}]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    result = run_checker("--no-cache", path)
    assert "FS101 [record a1]" in result.stdout and "language" not in result.stderr
    assert check(path.read_text(encoding="utf-8"), "wire.jsonl").language is None
