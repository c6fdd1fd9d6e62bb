"""The document model: layouts, sentences, quotations, positions."""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.config import Settings
from checker.document import Document, detect_main_scripts, line_starts, non_blank_lines, split_sentences
from checker.pipeline import build_document

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_9871a0d17aba42f5.txt"


def sentences(text):
    return [text[s:e] for s, e in split_sentences(text, 0, len(text))]


def test_positions_count_code_points_after_emoji_and_crlf():
    text = "😀 ab\r\nx́ [САЩ]\r\nend"
    doc = Document(text)
    assert doc.position(text.index("a")) == (1, 3)
    assert doc.position(text.index("[")) == (2, 4)  # x + combining acute are two code points
    assert doc.position(text.index("end")) == (3, 1)


def test_lone_cr_is_a_line_break():
    doc = Document("one\rtwo\nthree")
    assert doc.position(4) == (2, 1)
    assert doc.position(8) == (3, 1)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mr. Smith went to Washington. He left.", ["Mr. Smith went to Washington.", "He left."]),
        ("The U.S. Senate voted. It passed.", ["The U.S. Senate voted.", "It passed."]),
        ("George W. Bush spoke on Jan. 5 in Texas.", ["George W. Bush spoke on Jan. 5 in Texas."]),
        ("Profits rose 5.5 percent. Sales fell.", ["Profits rose 5.5 percent.", "Sales fell."]),
        ("“I saw some fragments. That’s why,” he said.", ["“I saw some fragments.", "That’s why,” he said."]),
        ("He lives in the U.S. The move was sudden.", ["He lives in the U.S.", "The move was sudden."]),
        ("Is it over? Nobody knows!", ["Is it over?", "Nobody knows!"]),
    ],
)
def test_sentence_splitting(text, expected):
    assert sentences(text) == expected


def test_seed_layout():
    doc = build_document(SEED.read_text(encoding="utf-8"), "seed.txt", Settings())
    assert doc.header.timestamp.text == "2024-07-05 06:15:31"
    assert doc.header.headline is None
    assert len(doc.paragraphs) == 12  # one per line after the timestamp
    assert len(doc.sentences) == 19
    assert doc.language == "en" and doc.main_scripts == ("Latin",)
    line3 = [s.text for s in doc.sentences if doc.position(s.start)[0] == 3]
    assert line3[1].startswith("He made this statement")
    assert doc.position(doc.sentences[2].start) == (3, 258)


def test_bbc_layout_headline_and_paragraphs():
    text = "Ad sales boost profit\n\nProfits jumped 76% to $1.13bn. Sales rose.\n\nThe firm said it was pleased.\n"
    doc = Document(text)
    assert doc.header.headline.text == "Ad sales boost profit"
    assert len(doc.paragraphs) == 2
    assert [s.text for s in doc.sentences] == ["Profits jumped 76% to $1.13bn.", "Sales rose.", "The firm said it was pleased."]


def test_reuters_layout_wrapped_indented_paragraphs_and_dateline():
    text = (
        "1987-02-26 15:39:41\nHOUSING SALES DROP, GROUP SAYS\n\n"
        "NEW YORK, Feb 26 - Sales of homes\ndropped 14.5 pct in January, the group\nsaid.\n"
        "    But the December rate had been the\nhighest since 1978, the group said.\n"
    )
    doc = Document(text)
    assert doc.header.timestamp.text == "1987-02-26 15:39:41"
    assert doc.header.headline.text == "HOUSING SALES DROP, GROUP SAYS"
    assert doc.header.dateline.text == "NEW YORK, Feb 26 -"
    assert len(doc.paragraphs) == 2
    assert doc.sentences[0].text.startswith("Sales of homes")


def test_markdown_front_matter_code_and_links_are_not_prose():
    text = "---\ntitle: Talks\ndate: 2024-07-05 06:15:31\n---\n# Talks end\n\nSee [the report](https://example.com/САЩ) and `САЩ`.\n\n```\nСАЩ\n```\n<!-- note -->\n"
    doc = Document(text, markdown=True)
    assert doc.header.timestamp.text == "2024-07-05 06:15:31"
    assert doc.position(doc.header.timestamp.start) == (3, 7)
    assert "САЩ" not in doc.prose
    assert len(doc.prose) == len(text)
    assert doc.header.headline.text == "Talks"  # front matter title wins over the first heading


def test_quotations_across_sentences_and_apostrophes():
    text = 'Brazil"s output fell. "We will not go. Never," he said.'
    doc = Document(text)
    assert len(doc.quotes) == 1
    q = doc.quotes[0]
    assert text[q.start:q.end] == '"We will not go. Never,"'


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", "é", "😀", "\n", "\r", "\r\n", "\u2028", "\x0b"]), max_size=30).map("".join))
def test_line_starts_follow_every_crlf_cr_and_lf(text):
    """The str.find path (LF only) and the regular expression agree; other breaks (U+2028) are not lines."""
    assert line_starts(text) == [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", "é", " ", "\t", "\n", "\r", "\r\n", "\u2028", "\x0b", "\x85", "\u00a0"]), max_size=30).map("".join), st.data())
def test_non_blank_lines_are_what_the_regular_expression_finds(text, data):
    """Line by line with str.isspace, as `[^\\r\\n]*\\S[^\\r\\n]*` finds them from a line's start."""
    starts = line_starts(text)
    first = data.draw(st.integers(0, len(starts)))
    expected = [m.span() for m in re.compile(r"[^\r\n]*\S[^\r\n]*").finditer(text, starts[first] if first < len(starts) else len(text))]
    assert non_blank_lines(text, starts, first) == expected


# the boundary as first written: the white space after it is looked at, not taken
_REFERENCE_BOUNDARY = re.compile(r"[.!?]+[\"”’'»)\]]*(?=\s+[\"“‘'«(\[]*[A-Z0-9À-ÖØ-ÞА-ЯΑ-Ω])")


def _reference_split(text, start, end):
    """Sentence splitting as first written, plainly: the fast version must agree."""
    from checker import document as d

    word_before = re.compile(r"([A-Za-z][A-Za-z.]*)\Z")  # \Z: `$` would also match before a final line break

    def is_boundary(dot, after):
        if text[dot] != ".":
            return True
        match = word_before.search(text, max(0, dot - 20), dot)
        if not match:
            return True
        word = match.group(1).lower().rstrip(".")
        if word in d._TITLES:
            return False
        if len(word) == 1 and word.isalpha() and match.group(1)[0].isupper():
            return False
        is_month, is_abbreviation = word in d._MONTHS, word in d._OTHER_ABBREVIATIONS or d._INITIALISM.fullmatch(word)
        if not (is_month or is_abbreviation):
            return True
        following = d._FOLLOWING_WORD.match(text, after, after + 40)
        next_word = following.group(1) if following else ""
        if is_month and next_word[:1].isdigit():
            return False
        if is_abbreviation:
            return next_word.strip("\"“‘'«(").lower() in d._SENTENCE_STARTERS
        return True

    def trimmed(a, b):
        piece = text[a:b]
        a += len(piece) - len(piece.lstrip())
        b -= len(piece) - len(piece.rstrip())
        return (a, b) if b > a else None

    spans, cursor = [], start
    for match in _REFERENCE_BOUNDARY.finditer(text, start, end):
        if not is_boundary(match.start(), match.end()):
            continue
        if trimmed(cursor, match.end()):
            spans.append(trimmed(cursor, match.end()))
        cursor = match.end()
    if trimmed(cursor, end):
        spans.append(trimmed(cursor, end))
    return spans


_SENTENCE_PIECES = ["\t", "\u2028", "\u00a0", "Mr", "mr", "Jan", "Sept", "U.S", "u.s", "e.g", "etc", "Inc", "W", "x", "A", "The", "the", "He", "5", "2004", "word", "said",
                    "abcdefghijklmnopqrstuvwxyz", ".", ". ", "..", "!", "?", "?”", ".”", " ", "  ", "\n", "“", "(", "é", "Über", "a.m", "p.m",
                    # whole cases: an initial, an initialism of no list, a title, a month before a day
                    " W. The", " W. he", " A.B. The", " x.y. the", " Mr. He", " Jan. 5", " etc. The", " Sept. It"]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_SENTENCE_PIECES), max_size=40).map("".join), st.data())
def test_sentence_splitting_equals_the_plain_version(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert split_sentences(text, start, end) == _reference_split(text, start, end)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(['"', "“", "”", "«", "»", "„", "a", " ", "’", "'", "`"]), max_size=20).map("".join), st.data())
def test_quote_marks_are_found_alike_in_ascii_and_other_text(text, data):
    """The marks are found with one str.find pass per mark: the same as a left-to-right
    search for any of them (a run of apostrophes pairs from its left)."""
    from checker.document import _quote_marks

    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    expected = [(m.start(), m.group()) for m in re.compile("[“”«»„\"]|''|``").finditer(text, start, end)]
    assert _quote_marks(text, start, end) == expected


def test_typewriter_double_quotes_are_quotations():
    """Two apostrophes (and two backticks opening) are a double quotation mark, as in
    the New York Times archive and LDC news corpora; between two letters they are not."""
    text = "``We will not go,'' he said. ''Never.'' O''Brien left."
    doc = Document(text, header=False)
    assert [text[q.start : q.end] for q in doc.quotes] == ["``We will not go,''", "''Never.''"]
    assert [s.text for s in doc.sentences] == ["``We will not go,'' he said.", "''Never.''", "O''Brien left."]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Plain ASCII copy, 2024.", False),
        ("“Quoted” — £5 … ’", False),  # non-ASCII punctuation and symbols only
        ("the president of the [САЩ]", True),
        ("café", True),
        ("1914\u20131918, \u0661\u0662", False),  # an en dash and Arabic-Indic digits: no letter
    ],
)
def test_has_non_ascii_letter(text, expected):
    assert Document(text).has_non_ascii_letter is expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["The ", "talks ", "1990 ", "’", "“", "—", "£", "é", "ª", "САЩ ", "αβ ", "中文", "\u0301", "\n\n", ". ", "x"]), max_size=40).map("".join))
def test_main_scripts_of_a_document_are_those_of_its_prose(text):
    """A document with no letter outside ASCII is Latin at once, without counting
    its letters: the same answer the counts give."""
    doc = build_document(text, "story.txt", Settings())
    assert doc.main_scripts == detect_main_scripts(doc.prose)

