"""Do the stored formats find what the .txt finds? Corpus articles converted to ninjs,
NewsML-G2, HTML, JSON Lines and CSV, checked, and compared article by article.

    python bench/formats_same.py [--count N] [--show K]

Takes the first N (default 300) BBC and N Reuters articles of ../shared/corpus, writes each
in every format (bench/articles.py), checks the converted file with the default rules,
and compares its findings with those of the original .txt, apart from positions: the
multiset of (code, matched text, message) per article. Prints, per corpus and format,
the articles, the findings on each side and how many articles agree, and the first K
differences. Exit 1 on any difference. Skips with a message when ../shared is absent.
"""

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import articles  # noqa: E402

# format -> (file name, writer); the writers of bench/articles.py
BBC_FORMATS = {
    "ninjs 1.x body_text": ("item.json", articles.ninjs_1),
    "ninjs 2.x HTML body": ("item.json", articles.ninjs_2),
    "ninjs 3.x text body": ("item.json", articles.ninjs_3),
    "NewsML-G2 XHTML": ("item.xml", articles.newsml),
    "NewsML-G2 inlineData": ("item.xml", lambda a: articles.newsml(a, plain=True)),
    "HTML page": ("story.html", articles.html_page),
}
REUTERS_FORMATS = {name: entry for name, entry in BBC_FORMATS.items() if "HTML" not in name and "XHTML" not in name}


def key(finding):
    return (finding.code, finding.matched, finding.message)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--show", type=int, default=5)
    args = parser.parse_args()
    from checker.config import Settings
    from checker.pipeline import check_bytes
    from checker.rules import builtin_rules_dir, load_rules

    rules = [r for r in load_rules([builtin_rules_dir()]) if r.enabled]
    plain = Settings().validate()
    archive = Settings(headline_field="headline", date_field="published").validate()
    differences = 0
    for corpus, formats in (("bbc", BBC_FORMATS), ("reuters", REUTERS_FORMATS)):
        found = articles.corpus(corpus, args.count)
        if found is None:
            print(f"skipped: ../shared/corpus/{corpus} is absent (research material outside the repository)")
            continue
        originals = {}
        for article in found:
            path = articles.SHARED / "corpus" / corpus / f"{article.name}.txt"
            originals[article.name] = Counter(map(key, check_bytes(path.read_bytes(), str(path), rules, plain).findings))
        total = sum(sum(c.values()) for c in originals.values())
        print(f"{corpus}: {len(found)} articles, {total} findings as .txt")
        for name, (file_name, writer) in formats.items():
            converted = {a.name: Counter(map(key, check_bytes(writer(a).encode("utf-8"), file_name, rules, plain).findings)) for a in found}
            differences += report(f"  {name}", originals, converted, args.show)
        for name, (file_name, data) in (
            ("JSON Lines archive", ("archive.jsonl", "".join(articles.jsonl_record(a) for a in found))),
            ("CSV archive", ("archive.csv", articles.csv_archive(found))),
        ):
            by_record = {a.name: Counter() for a in found}
            for finding in check_bytes(data.encode("utf-8"), file_name, rules, archive).findings:
                by_record.setdefault(finding.record, Counter())[key(finding)] += 1
            differences += report(f"  {name}", originals, by_record, args.show)
    return 1 if differences else 0


def report(label, originals, converted, show):
    differing = [name for name in originals if originals[name] != converted.get(name, Counter())]
    differing += [name for name in converted if name not in originals]
    total = sum(sum(c.values()) for c in converted.values())
    print(f"{label:24s} {total:6d} findings, {len(originals) - len(differing)}/{len(originals)} articles the same")
    for name in differing[:show]:
        before, after = originals.get(name, Counter()), converted.get(name, Counter())
        for (code, matched, message), n in sorted((before - after).items()):
            print(f"      {name}: only as .txt ({n}): {code} {matched[:40]!r} {message[:60]}")
        for (code, matched, message), n in sorted((after - before).items()):
            print(f"      {name}: only converted ({n}): {code} {matched[:40]!r} {message[:60]}")
    return len(differing)


if __name__ == "__main__":
    sys.exit(main())
