"""Accuracy and cost of the foreign-script (FS) and text-integrity (TX) rules.

    python bench/eval_integrity.py [--repeat N]

Prints:
1. FS/TX findings on clean copy: ../shared/corpus/bbc and ../shared/corpus/reuters (target 0);
2. FS/TX findings on ../shared/corpus/wmt22-ru-en/mt_en (machine translations: the real
   leftovers), and whether the legitimate Cyrillic URL and hashtag stayed unflagged;
   also on source_ru (Russian copy: Latin names there are normal) and on PolNeAR (US news
   whose source text carries real mojibake and invisible characters);
3. recall on the planted-defect set tests/planted/integrity/cases.yaml (target 100%)
   and findings on its clean non-ASCII Latin cases (target 0);
4. speed: BBC with all default rules, and with the FS and TX rules left out (same run).

The corpora parts skip with a message when ../shared is absent; the planted set is
in the repository and always runs.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PLANTED = ROOT / "tests" / "planted" / "integrity" / "cases.yaml"
FAMILIES = ("FS", "TX")

sys.path.insert(0, str(ROOT))


def load_rule_sets():
    from checker.rules import builtin_rules_dir, load_rules, select_rules

    rules = load_rules([builtin_rules_dir()])
    default = select_rules(rules, None)
    integrity = [r for r in rules if r.code.startswith(FAMILIES) and r.enabled]
    without = [r for r in default if not r.code.startswith(FAMILIES)]
    return default, integrity, without


def check_file(path, rules, settings):
    from checker.pipeline import check_bytes

    return check_bytes(path.read_bytes(), str(path), rules, settings).findings


def corpus_findings(folder, rules, settings):
    files = sorted(folder.rglob("*.txt"))
    found = []
    for path in files:
        found.extend(check_file(path, rules, settings))
    return files, found


def show(findings, limit=60):
    for f in findings[:limit]:
        print(f"    {f.path}:{f.line}:{f.column}: {f.code} {f.message}")
    if len(findings) > limit:
        print(f"    ... and {len(findings) - limit} more")


def planted(rules, settings):
    """(found, total, extra, clean findings, misses) on the planted set."""
    from checker.pipeline import check_bytes
    from checker.yamlio import load_yaml_file

    cases = load_yaml_file(PLANTED)
    misses, extras = [], []
    for case in cases["defects"]:
        text = case["text"]
        start = text.index(case["span"])
        end = start + len(case["span"])
        findings = check_bytes(text.encode("utf-8"), "planted.txt", rules, settings).findings
        hit = [f for f in findings if f.code == case["code"] and f.start < end and start < max(f.end, f.start + 1)]
        if not hit:
            misses.append((case, findings))
        others = [f for f in findings if f not in hit[:1]]
        if others:
            extras.append((case, others))
    clean = []
    for text in cases["clean"]:
        clean.extend((text, f) for f in check_bytes(text.encode("utf-8"), "clean.txt", rules, settings).findings)
    return len(cases["defects"]), misses, extras, clean, len(cases["clean"])


def timed(files, rules, settings):
    start = time.perf_counter()
    for path in files:
        check_file(path, rules, settings)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3, help="timing rounds (best of N)")
    args = parser.parse_args()
    from checker.config import Settings

    settings = Settings()
    default, integrity, without = load_rule_sets()
    codes = ", ".join(r.code for r in integrity)
    print(f"rules: {codes}")

    total, misses, extras, clean, clean_total = planted(integrity, settings)
    print(f"\nplanted set ({PLANTED.relative_to(ROOT)}): recall {total - len(misses)}/{total} = {100 * (total - len(misses)) / total:.0f}%")
    for case, findings in misses:
        print(f"    MISSED {case['code']} {case['span']!r} in {case['text'][:70]!r}: got {[f.code for f in findings]}")
    print(f"  extra FS/TX findings beside the planted defect: {sum(len(o) for _, o in extras)}")
    for case, others in extras:
        print(f"    {case['code']} case {case['text'][:50]!r}: also {[(f.code, f.matched) for f in others]}")
    print(f"  clean non-ASCII cases: {clean_total}, FS/TX findings on them: {len(clean)}")
    for text, f in clean:
        print(f"    {f.code} {f.message} in {text[:60]!r}")

    corpus = SHARED / "corpus"
    if not corpus.is_dir():
        print(f"\nskipped the corpora: {corpus} is absent (../shared is research material outside the repository)")
        return 0
    for name in ("bbc", "reuters"):
        files, found = corpus_findings(corpus / name, integrity, settings)
        print(f"\nclean copy ../shared/corpus/{name}: {len(files)} files, {len(found)} FS/TX findings (target 0)")
        show(found)

    wmt = corpus / "wmt22-ru-en"
    files, found = corpus_findings(wmt / "mt_en", integrity, settings)
    print(f"\nmachine translations ../shared/corpus/wmt22-ru-en/mt_en: {len(files)} files, {len(found)} FS/TX findings")
    show(found)
    legit = [f for f in found if any(key in f.matched for key in ("премияарсеньева", "поэтвроссии"))]
    print(f"  findings on the legitimate .рф URL and Cyrillic hashtag: {len(legit)} (target 0)")
    files, found = corpus_findings(wmt / "reference_en", integrity, settings)
    print(f"\nhuman references ../shared/corpus/wmt22-ru-en/reference_en: {len(files)} files, {len(found)} FS/TX findings")
    show(found)
    files, found = corpus_findings(wmt / "source_ru", integrity, settings)
    print(f"\nRussian copy ../shared/corpus/wmt22-ru-en/source_ru (main script Cyrillic): {len(files)} files, {len(found)} FS/TX findings")
    show(found)

    files, found = corpus_findings(corpus / "polnear", integrity, settings)
    by_code = {}
    for f in found:
        by_code[f.code] = by_code.get(f.code, 0) + 1
    print(f"\nUS news ../shared/corpus/polnear: {len(files)} files, {len(found)} FS/TX findings {by_code} (real damage in the source text: check the list)")
    show(found, limit=15)

    blns = SHARED / "external" / "naughty-strings" / "blns.json"
    if blns.is_file():
        import json

        from checker.pipeline import check_bytes

        strings = json.loads(blns.read_text(encoding="utf-8"))
        errors = sum(check_bytes(t.encode("utf-8", "surrogatepass"), "blns.txt", integrity, settings).internal_errors for t in strings)
        print(f"\nBig List of Naughty Strings: {len(strings)} strings, {errors} internal errors (target 0)")

    bbc = sorted((corpus / "bbc").rglob("*.txt"))
    best_all = best_without = None
    for _ in range(args.repeat):  # interleaved so that both see the same machine load
        t = timed(bbc, without, settings)
        best_without = t if best_without is None else min(best_without, t)
        t = timed(bbc, default, settings)
        best_all = t if best_all is None else min(best_all, t)
    added = 100 * (best_all - best_without) / best_without
    print(f"\nspeed on ../shared/corpus/bbc ({len(bbc)} files, best of {args.repeat}, in-process):")
    print(f"  all default rules: {best_all:.2f} s; without FS/TX: {best_without:.2f} s; FS+TX add {added:+.1f}% (target <= 20%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
