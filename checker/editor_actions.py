"""What an editor offers for a finding, as plain text edits: its fix, all safe
fixes at once, a Markdown suppression comment, a per-file ignore in the nearest
configuration. Each edit is (start, end, new text) in code-point offsets of the
text it applies to; the language server turns them into LSP workspace edits.

Every edit is checked before it is offered: a suppression comment must parse as
one that covers the finding's line (checker.suppress), and a configuration
edit must leave a TOML file whose settings are the old ones plus the one ignore.
An edit that cannot be made safely is not offered (None).
"""

import json
import os
import re

from checker.fix import apply_fixes, fix_to_fixed_point, wanted_fixes
from checker.suppress import matches_selector, parse_directives, per_file_ignored
from checker.textunits import LineIndex

REASON_PLACEHOLDER = "REASON"  # not a rule code, so the parser reads it as the reason
_FRONT_MATTER = re.compile(r"---[ \t]*\r?\n.*?\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)", re.S)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class Edit:
    """Replace text[start:end] with `new_text` (offsets in code points)."""

    __slots__ = ("start", "end", "new_text")

    def __init__(self, start, end, new_text):
        self.start, self.end, self.new_text = start, end, new_text

    def __repr__(self):
        return f"Edit({self.start}, {self.end}, {self.new_text!r})"

    def __eq__(self, other):
        return isinstance(other, Edit) and (self.start, self.end, self.new_text) == (other.start, other.end, other.new_text)


def apply_edits(text, edits):
    """`text` with non-overlapping `edits` applied."""
    pieces, cursor = [], 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        pieces += [text[cursor : edit.start], edit.new_text]
        cursor = edit.end
    return "".join(pieces) + text[cursor:]


# --- fixes ------------------------------------------------------------------------


def fix_edit(finding):
    """The edit of a finding's fix, or None."""
    fix = finding.fix
    return None if fix is None else Edit(fix.start, fix.end, fix.replacement)


def fix_all_edits(text, findings, recheck):
    """Edits that apply every safe fix, as `checker --fix` would (until no safe fix
    is left, at most checker.fix.MAX_PASSES passes; recheck(text) -> findings).
    One edit per fix when one pass reaches the end, else one edit spanning what
    changed. [] when there is nothing to fix."""

    class Checked:
        def __init__(self, findings):
            self.findings = findings

    fixed, applied, _ = fix_to_fixed_point(text, Checked(findings), lambda new: Checked(recheck(new)))
    if fixed == text:
        return []
    first_pass, used = apply_fixes(text, wanted_fixes(findings))
    if first_pass == fixed:
        return [Edit(f.start, f.end, f.replacement) for f in used]
    prefix = 0
    limit = min(len(text), len(fixed))
    while prefix < limit and text[prefix] == fixed[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and text[len(text) - 1 - suffix] == fixed[len(fixed) - 1 - suffix]:
        suffix += 1
    return [Edit(prefix, len(text) - suffix, fixed[prefix : len(fixed) - suffix])]


# --- Markdown suppression comments --------------------------------------------------


def suppression_edit(text, finding, reason=REASON_PLACEHOLDER):
    """The edit that suppresses `finding` on its line in Markdown `text`: a
    `<!-- checker-disable-next-line CODE REASON -->` line above it where the line
    starts a block (so the rendered copy keeps its paragraphs), else a
    `<!-- checker-disable-line CODE REASON -->` at the end of the line; the code is
    added to such a comment when one is there. None where no comment can be put
    (inside front matter)."""
    index = LineIndex(text)
    line = index.line_of(finding.start)
    front = _FRONT_MATTER.match(text)
    front_end_line = index.line_of(front.end()) if front and front.end() <= len(text) else None
    if front is not None and finding.start < front.end():
        return None
    existing = _existing_directive(text, index, line, finding.code)
    if existing is not None:
        edit = existing
    else:
        newline = _newline_of(text)
        line_start, line_end = index.starts[line], index.line_end(line)
        starts_block = (line == 0 or line == front_end_line or not text[index.starts[line - 1] : index.line_end(line - 1)].strip())
        if starts_block and not text[line_start : line_start + 1].isspace():
            edit = Edit(line_start, line_start, f"<!-- checker-disable-next-line {finding.code} {reason} -->{newline}")
        else:
            edit = Edit(line_end, line_end, f" <!-- checker-disable-line {finding.code} {reason} -->")
    return edit if _suppresses(apply_edits(text, [edit]), edit, finding) else None


def _existing_directive(text, index, line, code):
    """An edit adding `code` to a directive that already covers `line`, or None."""
    for directive in parse_directives(text, lambda offset: (index.line_of(offset) + 1, 0)):
        covers = (directive.action == "disable-next-line" and directive.end_line == line) or (
            directive.action == "disable-line" and directive.line == line + 1
        )
        if covers and directive.codes and code not in directive.codes:
            comment = text[directive.start : directive.end]
            last = comment.index(directive.codes[-1], comment.index("checker-")) + len(directive.codes[-1])
            return Edit(directive.start + last, directive.start + last, f" {code}")
    return None


def _suppresses(new_text, edit, finding):
    """Does a directive in `new_text` cover the finding's line (moved by the edit) for its code?"""
    start = finding.start + (len(edit.new_text) - (edit.end - edit.start) if edit.start <= finding.start else 0)
    index = LineIndex(new_text)
    line = index.line_of(start) + 1
    for directive in parse_directives(new_text, lambda offset: (index.line_of(offset) + 1, 0)):
        if finding.code not in directive.codes:
            continue
        if (directive.action == "disable-next-line" and directive.end_line + 1 == line) or (directive.action == "disable-line" and directive.line == line):
            return True
    return False


def _newline_of(text):
    found = _LINE_BREAK.search(text)
    return found.group() if found else "\n"


# --- per-file ignores in the nearest configuration -------------------------------------


def glob_escape(path):
    """A relative path as a glob that matches only itself (fnmatch's `[`, `*`, `?` escaped)."""
    return re.sub(r"([*?[])", r"[\1]", path)


def per_file_ignore_edit(config_path, config_text, document_path, code):
    """The edit that adds `code` to the per-file ignores of `document_path` in the
    configuration file at `config_path` (holding `config_text`), or None when it
    cannot be made safely (the TOML written in a shape this does not edit: an
    inline table, a multi-line key) or is there already. The pattern is the
    document's path relative to the configuration's folder."""
    import tomllib  # lazy: start-up

    try:
        before = tomllib.loads(config_text)
    except tomllib.TOMLDecodeError:
        return None
    prefix, table = _checker_table(config_path, before)
    root = os.path.dirname(os.path.abspath(config_path))
    relative = os.path.relpath(os.path.abspath(document_path), root).replace(os.sep, "/")
    if relative.startswith("../"):
        return None  # a file outside the configuration's folder is not its to ignore
    pattern = glob_escape(relative)
    ignores = table.get("per-file-ignores")
    if ignores is not None and not isinstance(ignores, dict):
        return None
    if ignores is not None and any(matches_selector(_Code(code), token) for token in per_file_ignored(document_path, ignores, root)):
        return None  # ignored already
    edit = _ignore_edit(config_text, prefix, ignores, pattern, code)
    if edit is None:
        return None
    try:
        after = tomllib.loads(apply_edits(config_text, [edit]))
    except tomllib.TOMLDecodeError:
        return None
    expected = {**(ignores or {}), pattern: [*((ignores or {}).get(pattern, [])), code]}
    _, new_table = _checker_table(config_path, after)
    if new_table.get("per-file-ignores") != expected or _without_ignores(after, prefix) != _without_ignores(before, prefix):
        return None
    return edit


def new_config_text(document_path, folder, code):
    """The text of a new `.checker.toml` in `folder` that ignores `code` for the document."""
    relative = os.path.relpath(os.path.abspath(document_path), os.path.abspath(folder)).replace(os.sep, "/")
    return f"[per-file-ignores]\n{_toml_string(glob_escape(relative))} = [{_toml_string(code)}]\n"


class _Code:
    """Enough of a finding for matches_selector."""

    def __init__(self, code):
        self.code, self.name = code, None


def _checker_table(config_path, data):
    """('tool.checker.' or '', the checker table) as checker.config.read_config reads the file."""
    tool = data.get("tool")
    if os.path.basename(config_path) == "pyproject.toml" or (isinstance(tool, dict) and "checker" in tool):
        table = tool.get("checker", {}) if isinstance(tool, dict) else {}
        return "tool.checker.", table if isinstance(table, dict) else {}
    return "", data


def _without_ignores(data, prefix):
    copy = json.loads(json.dumps(data, default=str))
    table = copy.get("tool", {}).get("checker", {}) if prefix else copy
    table.pop("per-file-ignores", None)
    return copy


def _toml_string(value):
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def _ignore_edit(text, prefix, ignores, pattern, code):
    entry_value = _toml_string(code)
    newline = _newline_of(text)
    if ignores is None:  # no table yet: one at the end of the file
        lead = "" if not text or text.endswith(("\n", "\r")) else newline
        block = f"{lead}{newline if text.strip() else ''}[{prefix}per-file-ignores]{newline}{_toml_string(pattern)} = [{entry_value}]{newline}"
        return Edit(len(text), len(text), block)
    header = re.search(r"(?m)^[ \t]*\[[ \t]*" + r"[ \t]*\.[ \t]*".join(_key_part(p) for p in (*prefix.split(".")[:-1], "per-file-ignores")) + r"[ \t]*\][ \t]*(?:#.*)?$", text)
    if header is None:
        return None
    section_end = re.compile(r"(?m)^[ \t]*\[").search(text, header.end())
    section = (header.end(), section_end.start() if section_end else len(text))
    if pattern not in ignores:
        line_end = header.end()
        return Edit(line_end, line_end, f"{newline}{_toml_string(pattern)} = [{entry_value}]")
    key = re.compile(r"(?m)^[ \t]*(?:" + "|".join(re.escape(q) for q in _quotings(pattern)) + r")[ \t]*=[ \t]*\[([^\]\n]*)\]")
    found = key.search(text, *section)
    if found is None:
        return None
    inside = found.group(1)
    insert_at = found.end(1)
    separator = ", " if inside.strip() and not inside.rstrip().endswith(",") else ("" if not inside.strip() else " ")
    return Edit(insert_at, insert_at, f"{separator}{entry_value}" if inside.strip() else entry_value)


def _key_part(part):
    return rf"(?:{re.escape(part)}|\"{re.escape(part)}\"|'{re.escape(part)}')"


def _quotings(key):
    """How a TOML key may be written: bare (when it can be), basic or literal string."""
    forms = [_toml_string(key), f"'{key}'"]
    if re.fullmatch(r"[A-Za-z0-9_-]+", key):
        forms.append(key)
    return forms
