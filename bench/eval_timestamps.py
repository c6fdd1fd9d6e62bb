"""Accuracy of the timestamp rules (TS), measured.

    python bench/eval_timestamps.py [--list]

Prints:
1. ../shared/corpus/reuters-malformed-dates: the fraction of files with a TS102 (target 100%);
2. ../shared/corpus/reuters and ../shared/corpus/bbc: every finding of the default TS rules other
   than TS101 and TS206, each matched to a verdict in bench/timestamps_judged.yaml (real defect or
   false alarm; target 0 false alarms, 0 unjudged); then the same with every file read as English,
   and on ../shared/corpus/wmt22-ru-en;
3. the JSON Schema Test Suite's RFC 3339 cases as header lines (date-time.json: every invalid case
   gets a TS finding, no valid case an error-level one; date.json likewise, for the dates that are
   not also valid date-times);
4. the planted set in tests/planted/timestamps (100% right).

Parts that read ../shared skip with a message when it is absent. The verdicts file holds only
locations, codes and our reasons, never corpus text.
"""

import argparse
import json
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PLANTED = ROOT / "tests" / "planted" / "timestamps" / "cases.yaml"
VERDICTS = ROOT / "bench" / "timestamps_judged.yaml"
SUITE = SHARED / "external" / "json-schema-test-suite"
NOT_MEASURED = {"TS101", "TS206"}  # a zone-less Reuters header and a relative date are expected, not defects

sys.path.insert(0, str(ROOT))


def _rules(select=None):
    from checker.rules import builtin_rules_dir, load_rules, select_rules

    return select_rules(load_rules([builtin_rules_dir()]), select)


def _check(text, rules, settings=None, markdown=False, path=None):
    from checker.config import Settings
    from checker.pipeline import check_bytes

    settings = settings or Settings()
    path = path or ("case.md" if markdown else "case.txt")
    return check_bytes(text.encode("utf-8"), path, rules, settings)


# --- the planted set -------------------------------------------------------------


def planted_results():
    """(case, ok, got, expected, fixed_ok) for every planted case, all TS rules selected."""
    from checker.config import Settings
    from checker.fix import apply_fixes
    from checker.yamlio import load_yaml_file

    rules = _rules(["TS"])
    results = []
    for case in load_yaml_file(PLANTED):
        values = {k.replace("-", "_"): v for k, v in (case.get("settings") or {}).items()}
        values.setdefault("language", "en")  # the planted cases are short English copy: declared, not guessed at
        settings = Settings(**values).validate()
        result = _check(case["text"], rules, settings, markdown=case.get("markdown", False))
        got = sorted([f.code, f.line, f.matched] for f in result.findings)
        expected = sorted([list(item) for item in case["expect"]])
        fixed_ok = True
        if "fixed" in case:
            fixed, _ = apply_fixes(result.source.text, [f.fix for f in result.findings if f.fix and f.fix.safe])
            fixed_ok = fixed == case["fixed"]
        results.append((case, got == expected and fixed_ok, got, expected, fixed_ok))
    return results


# --- the JSON Schema Test Suite ------------------------------------------------------


def suite_cases(name):
    """(value, valid) for each string case in one of the suite's files."""
    data = json.loads((SUITE / f"{name}.json").read_text(encoding="utf-8"))
    return [(test["data"], test["valid"]) for group in data for test in group["tests"] if isinstance(test["data"], str)]


def as_header(value):
    """The value as a document's header timestamp: its first line, or (when it holds a line break or
    another control character, or white space at an end, which a trimmed line cannot keep) a quoted
    front-matter `date:` in Markdown."""
    if value != value.strip() or any(unicodedata.category(c) == "Cc" for c in value):
        return f"---\ndate: {json.dumps(value)}\n---\nThe talks went on.\n", True
    return f"{value}\nThe talks went on.\n", False


def suite_results(name, rules=None):
    """(value, valid, ok, findings) for each case: invalid needs a TS finding, valid no error-level one."""
    from checker.kinds.timestamp import parse

    rules = rules or [r for r in _rules() if r.code.startswith("TS")]
    results = []
    for value, valid in suite_cases(name):
        if not value:
            continue  # the empty string: an empty line is no header and an empty `date:` no timestamp
        if name == "date" and not valid and parse(value).error is None and parse(value).has_time:
            continue  # a valid date-time is a valid header timestamp, though not a valid full-date
        text, markdown = as_header(value)
        findings = [f for f in _check(text, rules, markdown=markdown).findings if f.code.startswith("TS")]
        ok = any(findings) if not valid else not any(f.severity == "error" for f in findings)
        results.append((value, valid, ok, findings))
    return results


# --- corpora -------------------------------------------------------------------------


def malformed_results():
    """(path, has TS102, findings) for each file of reuters-malformed-dates."""
    folder = SHARED / "corpus" / "reuters-malformed-dates"
    rules = [r for r in _rules() if r.code.startswith("TS")]
    results = []
    for path in sorted(folder.glob("*.txt")):
        findings = _check(path.read_text(encoding="utf-8"), rules, path=str(path)).findings
        results.append((path, any(f.code == "TS102" for f in findings), findings))
    return results


def corpus_findings(corpora=("reuters", "bbc"), language=None):
    """Every default TS finding other than TS101 and TS206 on the given corpora (paths relative to corpus/)."""
    from checker.config import Settings

    rules = [r for r in _rules() if r.code.startswith("TS") and r.code not in NOT_MEASURED]
    settings = Settings(language=language)
    found = []
    for corpus in corpora:
        folder = SHARED / "corpus" / corpus
        for path in sorted(folder.rglob("*.txt")):
            name = f"{corpus}/{path.relative_to(folder).as_posix()}"
            found.extend(_check(path.read_text(encoding="utf-8"), rules, settings, path=name).findings)
    return found


# (label, corpora, language): the measurement first, then two stricter ones of our own:
# every file read as English (the body-date rules skip files whose language is not detected as
# English), and machine-translated news like the seed's.
CORPUS_PASSES = [
    ("reuters + bbc", ("reuters", "bbc"), None),
    ("reuters + bbc, every file read as English (--language en)", ("reuters", "bbc"), "en"),
    ("wmt22-ru-en (human and machine translations)", ("wmt22-ru-en",), None),
]


def load_verdicts():
    from checker.yamlio import load_yaml_file

    return load_yaml_file(VERDICTS) if VERDICTS.exists() else {}


def finding_key(finding):
    return f"{finding.path}:{finding.line}:{finding.column} {finding.code}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="list every planted and suite case, not only the failures")
    args = parser.parse_args()

    planted = planted_results()
    right = sum(ok for _, ok, *_ in planted)
    print(f"planted set ({PLANTED.relative_to(ROOT)}): {right}/{len(planted)} right ({right / len(planted):.0%})")
    for case, ok, got, expected, fixed_ok in planted:
        if not ok or args.list:
            print(f"  {'ok ' if ok else 'BAD'} {case['name']}: got {got}, expected {expected}{'' if fixed_ok else ' (fix differs)'}")

    if not SHARED.is_dir():
        print("skipped the corpus and suite measurements: ../shared is absent (research material outside the repository)")
        return 0 if right == len(planted) else 1

    failures = right != len(planted)
    for name in ("date-time", "date"):
        if not (SUITE / f"{name}.json").exists():
            print(f"skipped JSON Schema Test Suite {name}.json: absent")
            continue
        results = suite_results(name)
        good = sum(ok for _, _, ok, _ in results)
        invalid = sum(1 for _, valid, _, _ in results if not valid)
        print(f"JSON Schema Test Suite {name}.json as header lines: {good}/{len(results)} right ({invalid} invalid cases, {len(results) - invalid} valid)")
        for value, valid, ok, findings in results:
            if not ok or args.list:
                codes = ", ".join(f"{f.code} {f.message}" for f in findings) or "no finding"
                print(f"  {'ok ' if ok else 'BAD'} {value!r} ({'valid' if valid else 'invalid'}): {codes}")
        failures |= good != len(results)

    malformed = malformed_results()
    if malformed:
        hit = sum(has for _, has, _ in malformed)
        print(f"reuters-malformed-dates: {hit}/{len(malformed)} files with a TS102 ({hit / len(malformed):.1%})")
        for path, has, findings in malformed:
            if not has:
                print(f"  MISSED {path.name}: {[f.code for f in findings]}")
        failures |= hit != len(malformed)

    verdicts = load_verdicts()
    for label, corpora, language in CORPUS_PASSES:
        found = corpus_findings(corpora, language)
        counts = {"real": 0, "false": 0, "unjudged": 0}
        print(f"{label}, default TS rules other than {', '.join(sorted(NOT_MEASURED))}: {len(found)} findings")
        for finding in found:
            verdict = verdicts.get(finding_key(finding))
            judged = verdict["verdict"] if verdict else "unjudged"
            counts[judged] = counts.get(judged, 0) + 1
            why = verdict["why"] if verdict else "NO VERDICT: judge it in bench/timestamps_judged.yaml"
            print(f"  [{judged}] {finding_key(finding)} {finding.message}\n      {why}")
        print(f"  real defects: {counts['real']}, false alarms: {counts['false']}, unjudged: {counts['unjudged']}")
        failures |= counts["false"] > 0 or counts["unjudged"] > 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
