"""A peer's corpus: every string of the Big List of Naughty Strings, each as its own
file and all in one, through every output format: no crash, every finding inside its file."""

import json
import re

import pytest
from conftest import run_checker, shared_path

LINE_BREAK = re.compile(r"\r\n|\r|\n")


@pytest.fixture(scope="module")
def naughty(tmp_path_factory):
    strings = json.loads(shared_path("external", "naughty-strings", "blns.json").read_text(encoding="utf-8"))
    folder = tmp_path_factory.mktemp("blns")
    texts = {}
    for index, value in enumerate(strings):
        data = value.encode("utf-8", "surrogatepass")
        name = f"n{index:04d}.txt"
        (folder / name).write_bytes(data)
        texts[str(folder / name)] = data
    everything = "\n".join(strings).encode("utf-8", "surrogatepass")
    (folder / "all.txt").write_bytes(everything)
    texts[str(folder / "all.txt")] = everything
    (folder / "all.md").write_bytes(everything)
    texts[str(folder / "all.md")] = everything
    return folder, texts


def formats():
    from checker.report import FORMATS

    return sorted(FORMATS)


def _lines(data):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return LINE_BREAK.split(text)


@pytest.mark.parametrize("fmt", formats())
def test_every_format_survives(naughty, fmt, tmp_path):
    folder, texts = naughty
    if fmt == "parquet":
        pq = pytest.importorskip("pyarrow.parquet", reason="--format parquet needs pyarrow (the parquet extra)")
        result = run_checker("--no-cache", "--select", "ALL", "--format", fmt, "-o", tmp_path / "out", folder)
        assert result.returncode in (0, 1), result.stderr[-2000:]
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
        assert pq.read_table(tmp_path / "out" / "part-00000-of-00001.parquet").num_rows > 0
        return
    result = run_checker("--no-cache", "--select", "ALL", "--format", fmt, folder)
    assert result.returncode in (0, 1), result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert result.stdout
    if fmt in ("json", "sarif", "gitlab"):
        json.loads(result.stdout)
    if fmt == "jsonl":
        for line in result.stdout.split("\n"):
            if line:
                json.loads(line)


def test_every_finding_inside_its_file(naughty):
    folder, texts = naughty
    result = run_checker("--no-cache", "--select", "ALL", "--format", "json", folder)
    findings = json.loads(result.stdout)
    assert findings
    for finding in findings:
        assert finding["path"] in texts, finding["path"]
        lines = _lines(texts[finding["path"]])
        if lines is None:
            assert finding["code"] == "CK001"
            continue
        assert 1 <= finding["line"] <= len(lines), finding
        assert 1 <= finding["column"] <= len(lines[finding["line"] - 1]) + 1, finding
        assert 1 <= finding["end_line"] <= len(lines), finding
        assert 1 <= finding["end_column"] <= len(lines[finding["end_line"] - 1]) + 1, finding
        assert (finding["end_line"], finding["end_column"]) >= (finding["line"], finding["column"]), finding
