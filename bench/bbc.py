"""Throughput on the BBC corpus: all default rules over ../shared/corpus/bbc.

    python bench/bbc.py [--corpus DIR] [--repeat N]

Prints files, MB, seconds, files/s and MB/s for the in-process run (best of N),
and the time of the `checker` command on the same folder. Skips with a message
when ../shared is absent.
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "bbc"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"skipped: {args.corpus} is absent (../shared is research material outside the repository)")
        return 0
    sys.path.insert(0, str(ROOT))
    from checker.profiles import Profiles
    from checker.runner import check_paths

    files = sorted(p for p in args.corpus.rglob("*.txt"))
    size = sum(p.stat().st_size for p in files) / 1e6
    profiles = Profiles()
    best = None
    for _ in range(args.repeat):
        start = time.perf_counter()
        run = check_paths([str(args.corpus)], profiles)
        results, checked = run.results, run.files_checked
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    findings = sum(len(r.findings) for r in results)
    print(f"corpus {args.corpus}: {checked} files, {size:.1f} MB, {findings} findings")
    print(f"in-process (best of {args.repeat}): {best:.2f} s, {checked / best:.0f} files/s, {size / best:.2f} MB/s")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "checker", "--exit-zero", "--statistics", str(args.corpus)], cwd=ROOT, stdout=subprocess.DEVNULL, check=False)
    whole = time.perf_counter() - start
    print(f"command `checker {args.corpus}`: {whole:.2f} s, {checked / whole:.0f} files/s, {size / whole:.2f} MB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
