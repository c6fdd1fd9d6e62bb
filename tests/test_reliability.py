"""Bad input never crashes the run: each class gets a finding (CK001), a one-line
notice or a one-line error naming the file, the other files are still checked,
and the exit code stays 0/1/2."""

import codecs
import json
import os
import re
import resource
import sys

import pytest
from conftest import run_checker

LINE_BREAK = re.compile(r"\r\n|\r|\n")
DEFECT = "The president of the [САЩ] spoke on Monday.\n"  # FS101 at column 23 or 24 of its line


def lines_of(text):
    """The lines as the checker counts them (CRLF, CR and LF each end one)."""
    return LINE_BREAK.split(text)


def assert_inside(finding, text):
    lines = lines_of(text)
    assert 1 <= finding["line"] <= len(lines), finding
    assert 1 <= finding["column"] <= len(lines[finding["line"] - 1]) + 1, finding
    assert 1 <= finding["end_line"] <= len(lines), finding
    assert 1 <= finding["end_column"] <= len(lines[finding["end_line"] - 1]) + 1, finding
    assert (finding["end_line"], finding["end_column"]) >= (finding["line"], finding["column"]), finding


def decoded(data):
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding)
    return data.decode("utf-8")


def every_plane():
    chars = []
    for plane in range(17):
        for low in (0x41, 0x416, 0x3042, 0xE000, 0xFFFD):
            point = plane * 0x10000 + low
            if not 0xD800 <= point <= 0xDFFF:
                chars.append(chr(point))
    return "Headline\n\nText in every plane: " + " ".join(chars) + " ends here.\n"


# name -> (bytes, what must happen: "CK001", "checked" (decoded and checked), or a finding code)
CASES = {
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "CK001"),
    "invalid-utf8.txt": ("Café au lait.\n".encode("latin-1"), "CK001"),
    "utf16-bom.txt": (("Headline\r\n\r\n" + DEFECT).encode("utf-16"), "FS101"),
    "utf16-be-bom.txt": (codecs.BOM_UTF16_BE + ("Headline\n\n" + DEFECT).encode("utf-16-be"), "FS101"),
    "utf32-bom.txt": (("Headline\n\n" + DEFECT).encode("utf-32"), "FS101"),
    "utf8-bom.txt": (codecs.BOM_UTF8 + ("Headline\n\n" + DEFECT).encode(), "FS101"),
    "stray-bom.txt": ("Headline\n\nThe minister\ufeff resigned on Monday, the ministry said.\n".encode(), "TX101"),
    "crlf.txt": (("Headline\r\n\r\n" + DEFECT.replace("\n", "\r\n")).encode(), "FS101"),
    "lone-cr.txt": (("Headline\r\r" + DEFECT.replace("\n", "\r")).encode(), "FS101"),
    "mixed-newlines.txt": (("Headline\r\n\n\rFirst line, the ministry said.\r\n" + DEFECT).encode(), "FS101"),
    "nul-early.txt": (b"Headline\n\nText\x00with a NUL byte.\n", "CK001"),
    "nul-late.txt": (b"Headline\n\n" + b"Plain text, the ministry said. " * 400 + b"\x00 and a NUL after 8 KB.\n", "checked"),
    "empty.txt": (b"", "checked"),
    "whitespace.txt": (b" \t\n\r\n  \n\t\t\n", "checked"),
    "nested-quotes.txt": (("Headline\n\n" + "\u201c\u00ab\"" * 3000 + "said" + "\"\u00bb\u201d" * 3000 + "\n").encode(), "checked"),
    "unbalanced.txt": (("Headline\n\n" + "\u201cHe said (that [the \u00abdeal \" was off.\n" * 50 + ")]\u00bb\u201d" * 40).encode(), "checked"),
    "every-plane.txt": (every_plane().encode("utf-8"), "checked"),
    "surrogates.txt": (b"Headline\n\nA lone surrogate \xed\xa0\x80 in CESU-8.\n", "CK001"),
    "bad-utf16.txt": (codecs.BOM_UTF16_LE + b"H\x00\x00\xd8", "CK001"),
    "one-long-line.txt": (("word " * 200_000).encode(), "checked"),
    "control-chars.txt": (("Headline\n\n" + "".join(chr(c) for c in range(1, 32)) + "\x7f\u0085\u2028\u2029 text.\n").encode(), "checked"),
    "good.txt": (("Headline\n\n" + DEFECT).encode(), "FS101"),
}


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad-input")
    for name, (data, _) in CASES.items():
        (folder / name).write_bytes(data)
    result = run_checker("--no-cache", "--format", "json", "--select", "ALL", folder)
    return folder, result


def test_whole_folder_run_has_no_traceback(corpus_run):
    folder, result = corpus_run
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 1), result.stderr
    findings = json.loads(result.stdout)
    assert {f["path"] for f in findings} <= {str(folder / name) for name in CASES}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_bad_input(corpus_run, name):
    folder, result = corpus_run
    data, expected = CASES[name]
    path = str(folder / name)
    mine = [f for f in json.loads(result.stdout) if f["path"] == path]
    codes = {f["code"] for f in mine}
    if expected == "CK001":
        assert codes == {"CK001"}, mine
        assert mine[0]["line"] == 1 and mine[0]["column"] == 1
        return
    assert "CK001" not in codes
    text = decoded(data)
    for finding in mine:
        assert_inside(finding, text)
    if expected != "checked":
        assert expected in codes, mine
    if expected == "FS101":
        fs = next(f for f in mine if f["code"] == "FS101")
        line = lines_of(text)[fs["line"] - 1]
        assert line[fs["column"] - 1 : fs["column"] - 1 + 3] in ("САЩ", "[СА"), (line, fs)


def test_crlf_columns_match_lf_columns(corpus_run):
    folder, result = corpus_run
    findings = json.loads(result.stdout)
    by_file = {name: [(f["code"], f["line"], f["column"]) for f in findings if f["path"] == str(folder / name)] for name in ("crlf.txt", "good.txt")}
    assert by_file["crlf.txt"] == by_file["good.txt"]


# --- paths --------------------------------------------------------------------------


def one_line_about(stderr, path):
    lines = [line for line in stderr.splitlines() if str(path) in line]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


@pytest.fixture
def folder_with_good_file(tmp_path):
    (tmp_path / "good.txt").write_text("Headline\n\n" + DEFECT, encoding="utf-8")
    return tmp_path


def test_symlink_loop(folder_with_good_file):
    loop = folder_with_good_file / "loop.txt"
    loop.symlink_to(loop)
    result = run_checker("--no-cache", folder_with_good_file)
    assert "cannot read" in one_line_about(result.stderr, loop)
    assert "good.txt:3:" in result.stdout
    assert result.returncode == 2


def test_symlink_to_missing_file(folder_with_good_file):
    dangling = folder_with_good_file / "dangling.txt"
    dangling.symlink_to(folder_with_good_file / "gone.txt")
    result = run_checker("--no-cache", dangling, folder_with_good_file / "good.txt")
    assert "cannot read" in one_line_about(result.stderr, dangling)
    assert "good.txt:3:" in result.stdout
    assert result.returncode == 2


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads every file: the test needs an ordinary user")
def test_unreadable_file(folder_with_good_file):
    secret = folder_with_good_file / "secret.txt"
    secret.write_text("text\n", encoding="utf-8")
    secret.chmod(0)
    try:
        result = run_checker("--no-cache", folder_with_good_file)
    finally:
        secret.chmod(0o600)
    assert "cannot read" in one_line_about(result.stderr, secret)
    assert "good.txt:3:" in result.stdout
    assert result.returncode == 2


def test_nonexistent_path(folder_with_good_file):
    missing = folder_with_good_file / "no-such-file.txt"
    result = run_checker("--no-cache", missing, folder_with_good_file / "good.txt")
    assert "no such file" in one_line_about(result.stderr, missing)
    assert "good.txt:3:" in result.stdout
    assert result.returncode == 2


def test_a_folder_named_as_a_file_is_walked(folder_with_good_file):
    (folder_with_good_file / "sub.txt").mkdir()
    result = run_checker("--no-cache", folder_with_good_file)
    assert "Traceback" not in result.stderr and "good.txt:3:" in result.stdout


def test_file_vanishing_during_the_run(folder_with_good_file, monkeypatch, capsys):
    """Discovered, then deleted before it is read: a notice, and the next file is still checked."""
    from checker import runner
    from checker.profiles import Profiles

    doomed = folder_with_good_file / "doomed.txt"
    doomed.write_text("Headline\n\nText.\n", encoding="utf-8")
    real_discover = runner.discover

    def discover_then_delete(given, profiles):
        for item in real_discover(given, profiles):
            if item[1] == str(doomed):
                yield item
                doomed.unlink()
            else:
                yield item

    monkeypatch.setattr(runner, "discover", discover_then_delete)
    run = runner.check_paths([str(folder_with_good_file)], Profiles(), jobs=1)
    results, missing = run.results, run.missing
    stderr = capsys.readouterr().err
    assert "cannot read" in one_line_about(stderr, doomed)
    good = [r for r in results if r.path.endswith("good.txt")]
    assert good and any(f.code == "FS101" for f in good[0].findings)
    assert not missing


def test_stdin_binary():
    import subprocess

    completed = subprocess.run(
        [sys.executable, "-m", "checker", "--no-cache", "-"], input=b"\x00\x01\x02binary", capture_output=True, timeout=120
    )
    assert completed.returncode == 1  # CK001 is an error
    assert b"CK001" in completed.stdout and b"Traceback" not in completed.stderr


@pytest.mark.slow
def test_fifty_megabyte_file(tmp_path):
    """Checked in chunks: the run ends, memory stays bounded, and a defect at the end is placed exactly."""
    paragraph = "The minister said on Monday that the talks would go on, officials said.\n\n"
    big = tmp_path / "big.txt"
    count = 50_000_000 // len(paragraph)
    with open(big, "w", encoding="utf-8") as handle:
        handle.write("Headline\n\n")
        for _ in range(count // 1000):
            handle.write(paragraph * 1000)
        handle.write("He spoke of the \u200b[САЩ] at the end.\n")
    lines = 3 + 2 * (count // 1000) * 1000
    import subprocess

    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    completed = subprocess.run(
        [sys.executable, "-m", "checker", "--no-cache", "--select", "TX101,FS101", "--format", "json", big],
        capture_output=True, text=True, timeout=1800,
    )
    assert "Traceback" not in completed.stderr
    findings = json.loads(completed.stdout)
    assert [(f["code"], f["line"]) for f in findings] == [("TX101", lines), ("FS101", lines)]
    assert findings[0]["column"] == 17 and findings[1]["column"] in (18, 19)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if peak_kb > before:  # this child set the high-water mark: it is the one measured
        assert peak_kb < 1_000_000, f"peak resident memory {peak_kb} KB for a 50 MB file"
