"""The seed article, end to end: `checker seeds/` as a newcomer runs it."""

import re

from conftest import ROOT, run_checker

GOLDEN = ROOT / "tests" / "golden" / "seeds.txt"


def test_seed_output_matches_golden_file():
    result = run_checker("seeds/")
    assert result.returncode == 1
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")


def _findings():
    out = run_checker("seeds/").stdout
    return [m.groups() for m in re.finditer(r"^seeds/000_9871a0d17aba42f5.txt:(\d+):(\d+): (\w+) (.*)$", out, re.M)]


def test_seed_required_findings():
    found = {(int(line), int(col), code) for line, col, code, _ in _findings()}
    assert (1, 1, "TS101") in found
    assert (7, 85, "FS101") in found or (7, 86, "FS101") in found
    assert (3, 258, "AT101") in found or (3, 258, "AT104") in found
    assert any(line == 2 and code == "AT103" for line, col, code in found)


def test_seed_glossary_suggestion():
    fs = [msg for line, col, code, msg in _findings() if code == "FS101"]
    assert len(fs) == 1 and '"US"' in fs[0]


def test_seed_attributed_sentences_not_flagged():
    for line, col, code, _ in _findings():
        if code in ("AT101", "AT102", "AT104"):
            assert (int(line), int(col)) == (3, 258), f"attributed text flagged: {line}:{col} {code}"


def test_seed_timezone_fix():
    import json

    result = run_checker("--timezone", "Europe/Sofia", "--format", "json", "seeds/")
    ts = [f for f in json.loads(result.stdout) if f["code"] == "TS101"]
    assert ts[0]["fix"]["replacement"] == "+03:00"
    assert (ts[0]["fix"]["line"], ts[0]["fix"]["column"]) == (1, 20)


def test_readme_sample_output_is_the_golden_output():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sample = readme.split("$ checker seeds/\n", 1)[1].split("```", 1)[0]
    assert sample == GOLDEN.read_text(encoding="utf-8")
