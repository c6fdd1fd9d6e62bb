"""The edits an editor offers (checker.editor_actions) and the unit conversions
(checker.textunits), without an editor: each edit checked by checking again."""

import pytest
import tomllib

from checker.api import Linter
from checker.editor_actions import apply_edits, fix_all_edits, glob_escape, new_config_text, per_file_ignore_edit, suppression_edit
from checker.suppress import per_file_ignored
from checker.textunits import UTF8, UTF16, UTF32, LineIndex, Utf16Offsets, units

LINTER = Linter(cache_dir=None)


def _finding(text, code, markdown=True):
    return next(f for f in LINTER.lint(text, markdown=markdown) if f.code == code)


def _codes(text, markdown=True):
    return [f.code for f in LINTER.lint(text, markdown=markdown)]


# --- units -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["plain", "😀 and 𝒳", "Cyrillic САЩ", "👩‍👩‍👧 family", "a\r\nb\rc\n😀d"])
def test_units_agree_with_the_encoders(text):
    assert units(text, UTF32) == len(text)
    assert units(text, UTF16) == len(text.encode("utf-16-le")) // 2
    assert units(text, UTF8) == len(text.encode("utf-8"))


def test_line_index_round_trips_every_offset_in_every_encoding():
    text = "😀 one\r\ntwo 𝒳 three\rfour\n\nСАЩ 😀😀 end"
    for encoding in (UTF16, UTF32, UTF8):
        index = LineIndex(text, encoding)
        for offset in range(len(text) + 1):
            if text[offset - 1 : offset + 1] == "\r\n":
                continue  # between \r and \n is no position a client can name
            line, character = index.position(offset)
            assert index.offset(line, character) == offset, (encoding, offset)
    index = LineIndex(text, UTF16)
    assert index.position(text.index("two")) == (1, 0)
    assert index.position(text.index("three")) == (1, len("two 𝒳 ".encode("utf-16-le")) // 2)
    assert index.offset(0, 99) == text.index("\r\n")  # past a line's end: its end


def test_utf16_offsets_count_astral_characters_twice():
    text = "😀a😀b"
    to16 = Utf16Offsets(text)
    assert [to16(i) for i in range(len(text) + 1)] == [0, 2, 3, 5, 6]


# --- fixes -----------------------------------------------------------------------------


def test_fix_all_edits_make_the_text_that_fix_makes():
    text = "A zero\u200bwidth space and the [САЩ] delegation said.\n"
    findings = LINTER.lint(text)
    edits = fix_all_edits(text, findings, lambda new: LINTER.lint(new))
    assert [e.new_text for e in edits] == ["", "US"]
    assert apply_edits(text, edits) == "A zerowidth space and the [US] delegation said.\n"
    assert fix_all_edits("Nothing to fix here.\n", [], lambda new: []) == []


def test_fix_all_edits_reach_the_fixed_point_in_one_edit_when_a_fix_uncovers_another():
    text = "Caf\u200bÃ© society said so.\n"  # removing the zero-width space joins the mojibake
    findings = LINTER.lint(text)
    edits = fix_all_edits(text, findings, lambda new: LINTER.lint(new))
    fixed = apply_edits(text, edits)
    assert "Café" in fixed and not [f for f in LINTER.lint(fixed) if f.fix is not None and f.fix.safe]


# --- suppression comments ------------------------------------------------------------------


def test_a_paragraph_start_gets_a_comment_line_above():
    text = "# Talks\n\nOfficials of the [САЩ] said on Monday that talks would go on.\n"
    edit = suppression_edit(text, _finding(text, "FS101"))
    new = apply_edits(text, [edit])
    assert new == text.replace("Officials", "<!-- checker-disable-next-line FS101 REASON -->\nOfficials")
    assert "FS101" not in _codes(new) and "CK002" not in _codes(new)


def test_a_line_inside_a_paragraph_gets_an_inline_comment_so_the_paragraph_stays_whole():
    text = "Talks went on, the ministry said on Monday, and\nofficials of the [САЩ] came too, the ministry said.\n"
    new = apply_edits(text, [suppression_edit(text, _finding(text, "FS101"))])
    assert new == text.replace("came too, the ministry said.", "came too, the ministry said. <!-- checker-disable-line FS101 REASON -->")
    assert "FS101" not in _codes(new) and "CK002" not in _codes(new)


def test_a_crlf_file_keeps_its_line_endings():
    text = "# Talks\r\n\r\nOfficials of the [САЩ] said on Monday.\r\n"
    new = apply_edits(text, [suppression_edit(text, _finding(text, "FS101"))])
    assert "<!-- checker-disable-next-line FS101 REASON -->\r\nOfficials" in new and "\n" not in new.replace("\r\n", "")


def test_a_code_joins_a_comment_already_there():
    text = "<!-- checker-disable-next-line TX101 quoted as sent -->\nOfficials of the [САЩ] said\u200b so.\n"
    edit = suppression_edit(text, _finding(text, "FS101"))
    new = apply_edits(text, [edit])
    assert new.startswith("<!-- checker-disable-next-line TX101 FS101 quoted as sent -->\n")
    assert _codes(new) == []


def test_no_comment_inside_front_matter():
    text = "---\ntitle: Talks\ndate: 2024-07-05 06:15:31\n---\n\nOfficials said so, Reuters reported.\n"
    finding = _finding(text, "TS101")
    assert suppression_edit(text, finding) is None


# --- per-file ignores ----------------------------------------------------------------------


def _edited(config, text, document, code="FS101"):
    edit = per_file_ignore_edit(str(config), text, str(document), code)
    return None if edit is None else apply_edits(text, [edit])


def test_a_per_file_ignore_is_appended_where_there_is_none(tmp_path):
    config = tmp_path / "pyproject.toml"
    text = '[project]\nname = "desk"\n\n[tool.checker]\nselect = ["FS"]\n'
    new = _edited(config, text, tmp_path / "wire" / "a b.txt")
    assert new == text + '\n[tool.checker.per-file-ignores]\n"wire/a b.txt" = ["FS101"]\n'
    settings = tomllib.loads(new)["tool"]["checker"]
    assert per_file_ignored(str(tmp_path / "wire" / "a b.txt"), settings["per-file-ignores"], str(tmp_path)) == ["FS101"]


def test_a_code_joins_the_files_list_and_other_entries_stay(tmp_path):
    config = tmp_path / "checker.toml"
    text = "[per-file-ignores]  # wire copy\n'wire/a.txt' = [\"TX101\"]  # zero-width in feeds\n\"*.md\" = [\"AT104\"]\n"
    new = _edited(config, text, tmp_path / "wire" / "a.txt")
    assert new == "[per-file-ignores]  # wire copy\n'wire/a.txt' = [\"TX101\", \"FS101\"]  # zero-width in feeds\n\"*.md\" = [\"AT104\"]\n"
    new = _edited(config, text, tmp_path / "b.txt")
    assert tomllib.loads(new)["per-file-ignores"] == {"b.txt": ["FS101"], "wire/a.txt": ["TX101"], "*.md": ["AT104"]}


def test_what_cannot_be_edited_safely_is_not_offered(tmp_path):
    config = tmp_path / ".checker.toml"
    inline = 'per-file-ignores = { "a.txt" = ["TX101"] }\n'
    assert _edited(config, inline, tmp_path / "b.txt") is None  # an inline table
    assert _edited(config, "select = [\n", tmp_path / "b.txt") is None  # not TOML
    assert _edited(config, '[per-file-ignores]\n"a.txt" = ["FS"]\n', tmp_path / "a.txt") is None  # ignored already
    assert _edited(config, "", tmp_path.parent / "elsewhere.txt") is None  # outside the configuration's folder


def test_names_with_glob_characters_match_only_themselves(tmp_path):
    name = "report [draft] *final*?.txt"
    assert glob_escape(name) == "report [[]draft] [*]final[*][?].txt"
    text = new_config_text(str(tmp_path / name), str(tmp_path), "FS101")
    ignores = tomllib.loads(text)["per-file-ignores"]
    assert per_file_ignored(str(tmp_path / name), ignores, str(tmp_path)) == ["FS101"]
    assert per_file_ignored(str(tmp_path / "report d final.txt"), ignores, str(tmp_path)) == []


def test_a_new_config_is_what_the_command_line_reads(tmp_path, checker):
    story = tmp_path / "desk" / "story.txt"
    story.parent.mkdir()
    story.write_text("The [САЩ] delegation said so, Reuters reported.\n", encoding="utf-8")
    assert checker("--no-cache", story).returncode == 1
    (tmp_path / ".checker.toml").write_text(new_config_text(str(story), str(tmp_path), "FS101"), encoding="utf-8")
    assert checker("--no-cache", story).returncode == 0

