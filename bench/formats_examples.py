"""IPTC's own material read by the checker: every ninjs and NewsML-G2 example, and the
ninjs validation suite.

    python bench/formats_examples.py [--verbose]

For each example under ../shared/external/iptc-ninjs/examples (*.json) and
../shared/external/iptc-newsml-g2/examples (*.xml): the format it is read as, the items
found, and per item its text pieces (header and body) and timestamps; a file read with an
error is listed. Then every case of ../shared/external/iptc-ninjs/validation/test_suite
checked with the default rules: should-pass cases must read without CK001, and no case may
crash (an internal error). Exit 1 on a read error or a crash. Skips when ../shared is absent.
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "external"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--verbose", action="store_true", help="one line per example")
    args = parser.parse_args()
    if not SHARED.is_dir():
        print("skipped: ../shared/external is absent (research material outside the repository)")
        return 0
    sys.path.insert(0, str(ROOT))
    from checker.config import Settings
    from checker.document import line_starts
    from checker.formats import Malformed, NotNews, format_of, read_items
    from checker.pipeline import check_bytes
    from checker.rules import builtin_rules_dir, load_rules

    failures = 0
    for label, folder, pattern in (("ninjs", SHARED / "iptc-ninjs" / "examples", "*.json"), ("NewsML-G2", SHARED / "iptc-newsml-g2" / "examples", "*.xml")):
        files = sorted(folder.rglob(pattern))
        totals = {"files": 0, "items": 0, "headlines": 0, "texts": 0, "timestamps": 0, "no text": [], "no timestamp": [], "not news": []}
        for path in files:
            text = path.read_text(encoding="utf-8")
            fmt = format_of(path, text)
            try:
                items = list(read_items(fmt, text, line_starts=line_starts(text)))
            except NotNews as exc:
                totals["not news"].append(f"{path.relative_to(folder)} ({exc})")
                continue
            except Malformed as exc:
                print(f"  READ ERROR {path.relative_to(folder)}: {exc.message}")
                failures += 1
                continue
            totals["files"] += 1
            totals["items"] += len(items)
            for item in items:
                headlines = sum(1 for role, _ in item.header if role == "headline")
                texts = len(item.header) + len(item.body)
                totals["headlines"] += headlines
                totals["texts"] += texts
                totals["timestamps"] += len(item.timestamps)
                where = f"{path.relative_to(folder)}" + (f" [{item.record}]" if item.record else "")
                if not texts:
                    totals["no text"].append(where)
                if not item.timestamps:
                    totals["no timestamp"].append(where)
                if args.verbose:
                    print(f"  {where}: {texts} texts ({headlines} headline), {len(item.timestamps)} timestamps: {', '.join(k for k, _ in item.timestamps)}")
        print(
            f"{label}: {len(files)} files, {totals['files']} read as items, {totals['items']} items; "
            f"{totals['texts']} pieces of text ({totals['headlines']} headlines), {totals['timestamps']} timestamps"
        )
        for key in ("not news", "no text", "no timestamp"):
            if totals[key]:
                print(f"  {key} ({len(totals[key])}): {'; '.join(totals[key])}")

    rules = [r for r in load_rules([builtin_rules_dir()]) if r.enabled]
    suite = SHARED / "iptc-ninjs" / "validation" / "test_suite"
    counts = {"should_pass": [0, 0, 0], "should_fail": [0, 0, 0]}  # cases, CK001, crashes
    for path in sorted(suite.glob("*/should_*/*.json")):
        kind = path.parent.name
        result = check_bytes(path.read_bytes(), str(path), rules, Settings(input_format="ninjs").validate())
        counts[kind][0] += 1
        unreadable = any(f.code == "CK001" for f in result.findings)
        counts[kind][1] += unreadable
        crashed = bool(result.internal_errors or result.notices)
        counts[kind][2] += crashed
        if crashed or (unreadable and kind == "should_pass"):
            print(f"  {'CRASH' if crashed else 'CK001'} {path.relative_to(suite)}: {result.notices or [f.message for f in result.findings if f.code == 'CK001']}")
            failures += 1
    for kind, (cases, unreadable, crashed) in counts.items():
        print(f"ninjs validation suite, {kind}: {cases} cases, {unreadable} with CK001 (not valid JSON), {crashed} crashes")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
