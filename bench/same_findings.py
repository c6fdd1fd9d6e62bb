"""Do two revisions find the same? `--format json` output, byte for byte, on every corpus.

    python bench/same_findings.py REV [--corpus NAME ...] [--keep] [--common-fields]

Checks out REV in a temporary git worktree, runs `python -m checker --no-cache
--format json --exit-zero` there and in this work tree on each corpus of
../shared (and WMT22 again with --language en), and compares the outputs with
`cmp`. Prints one line per corpus and, where they differ, how many findings
each side has and the first few that only one side has. Exit 1 on any
difference. The safety net of refactoring: a change meant to keep behaviour
must leave every line the same. --common-fields: compare, finding by finding in
order, only the fields both revisions write (for a change that adds output
fields). Skips when ../shared is absent.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

CORPORA = {
    "bbc": (["corpus/bbc"], []),
    "reuters": (["corpus/reuters"], []),
    "reuters-malformed-dates": (["corpus/reuters-malformed-dates"], []),
    "wmt22-ru-en": (["corpus/wmt22-ru-en"], []),
    "wmt22-ru-en (--language en)": (["corpus/wmt22-ru-en"], ["--language", "en"]),
    "polnear": (["corpus/polnear"], []),
    "seed": (["seeds"], []),
}


def run(tree, paths, extra):
    """The JSON report of the checker in `tree` on `paths` (relative to ../shared)."""
    command = [sys.executable, "-m", "checker", "--no-cache", "--format", "json", "--exit-zero", *extra]
    command += [str(SHARED / p) for p in paths]
    env = {**os.environ, "PYTHONPATH": str(tree)}
    result = subprocess.run(command, cwd=tree, capture_output=True, env=env)
    if result.returncode not in (0, 2):  # 2: a path with internal errors still reports
        raise SystemExit(f"{tree}: exit {result.returncode}: {result.stderr.decode(errors='replace')[-500:]}")
    return result.stdout


def describe(old, new):
    def keyed(data):
        return {json.dumps(f, sort_keys=True, ensure_ascii=False) for f in json.loads(data or b"[]")}

    before, after = keyed(old), keyed(new)
    lines = [f"    {len(before)} findings before, {len(after)} after"]
    for label, only in (("only before", before - after), ("only after", after - before)):
        for item in sorted(only)[:5]:
            finding = json.loads(item)
            lines.append(f"    {label}: {finding['path']}:{finding['line']}:{finding['column']} {finding['code']} {finding['message'][:80]}")
    return "\n".join(lines)


def common_fields(old, new):
    """Both reports with each finding cut to the fields both revisions write (JSON bytes again)."""
    before, after = json.loads(old or b"[]"), json.loads(new or b"[]")
    shared = set(before[0]) & set(after[0]) if before and after else set()
    fixes = [f["fix"] for f in before if f.get("fix")][:1] + [f["fix"] for f in after if f.get("fix")][:1]
    shared_fix = set(fixes[0]) & set(fixes[-1]) if fixes else set()

    def cut_one(finding):
        kept = {k: v for k, v in finding.items() if k in shared}
        if kept.get("fix"):
            kept["fix"] = {k: v for k, v in kept["fix"].items() if k in shared_fix}
        return kept

    def cut(findings):
        return json.dumps([cut_one(f) for f in findings], ensure_ascii=False).encode()

    return cut(before), cut(after)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("revision")
    parser.add_argument("--corpus", action="append", choices=sorted(CORPORA), help="only these (repeatable)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary worktree")
    parser.add_argument("--common-fields", action="store_true", help="compare only the fields both revisions write")
    args = parser.parse_args()
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} is absent (research material outside the repository)")
        return 0
    other = Path(tempfile.mkdtemp(prefix="same-findings-")) / "tree"
    subprocess.run(["git", "worktree", "add", "--detach", "-q", str(other), args.revision], cwd=ROOT, check=True)
    differing = 0
    try:
        for name in args.corpus or CORPORA:
            paths, extra = CORPORA[name]
            if name == "seed":
                old, new = run(other, [], extra + [str(other / "seeds")]), run(ROOT, [], extra + [str(ROOT / "seeds")])
                old = old.replace(str(other).encode(), b"")
                new = new.replace(str(ROOT).encode(), b"")
            else:
                old, new = run(other, paths, extra), run(ROOT, paths, extra)
            if args.common_fields:
                old, new = common_fields(old, new)
            same = old == new
            differing += not same
            print(f"{'same     ' if same else 'DIFFERENT'} {name}: {len(json.loads(new or b'[]'))} findings, {len(new):,} bytes")
            if not same:
                print(describe(old, new))
    finally:
        if not args.keep:
            subprocess.run(["git", "worktree", "remove", "--force", str(other)], cwd=ROOT, check=False)
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
