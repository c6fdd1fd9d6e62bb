"""Linear scaling: the checker over 1x, 2x and 4x the BBC corpus (the same files copied), cache off.

    python bench/scale.py [--corpus DIR] [--jobs N]

Prints the time for each size and its ratio to 1x (linear: about 2 and 4),
and the peak resident memory of the largest process. Skips with a message
when ../shared is absent.
"""

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "bbc"
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--jobs", default=None, help="passed as -j (default: the checker's own choice)")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"skipped: {args.corpus} is absent (../shared is research material outside the repository)")
        return 0
    from compare import peak_rss_mb

    work = Path(tempfile.mkdtemp(prefix="checker-scale-"))
    try:
        base_time = None
        for factor in (1, 2, 4):
            folder = work / f"x{factor}"
            for copy in range(factor):
                shutil.copytree(args.corpus, folder / f"copy{copy}")
            files = [p for p in folder.rglob("*.txt")]
            megabytes = sum(p.stat().st_size for p in files) / 1e6
            command = [sys.executable, "-m", "checker", "--no-cache", "--exit-zero", "--statistics", str(folder)]
            if args.jobs:
                command[3:3] = ["-j", str(args.jobs)]
            start = time.perf_counter()
            memory = peak_rss_mb(command, cwd=ROOT)  # one run gives both: the wrapper adds only a Python start
            elapsed = time.perf_counter() - start
            base_time = base_time or elapsed
            print(f"{factor}x: {len(files)} files, {megabytes:.1f} MB, {elapsed:.2f} s (ratio {elapsed / base_time:.2f}), {megabytes / elapsed:.2f} MB/s, peak {memory:.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
