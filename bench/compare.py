"""checker against proselint on the same files, and the one-file (pre-commit) case.

    python bench/compare.py [--corpus DIR] [--single FILE] [--repeat N]

Prints, measured in this run: checker cold (`--no-cache`: no compiled rules and
no findings read or written; default -j; median of --corpus-repeat runs),
checker warm (cache filled by a run before), proselint on the same folder (from
the optional `bench` extra: `pip install -e '.[bench]'`; skipped with a message
when absent), the ratio, files/s and MB/s, the peak resident memory of the
largest checker process, and one file against `python3 -c pass` (median of N
runs each). Skips with a message when ../shared is absent.

The machine this was written on is shared and noisy (the same run varies by a
quarter from one minute to the next): compare numbers from one run of this
script, not across runs. Modules run from their bytecode, as after `pip
install` (PYTHONDONTWRITEBYTECODE is dropped, and a first run writes it).
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "bbc"
SINGLE = ROOT / "seeds" / "000_9871a0d17aba42f5.txt"
CHECKER = [sys.executable, "-m", "checker"]


# An installed package runs from bytecode compiled at install time; without it
# every run would compile the checker's modules again.
BASE_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(command, env=None, **kwargs):
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env or BASE_ENV, **kwargs)
    return time.perf_counter() - start


def peak_rss_mb(command, **kwargs):
    """Peak resident memory (MB) of the largest process the command runs (itself or a worker)."""
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True, env=BASE_ENV, **kwargs).stdout
    return int(out.strip()) / 1024


def corpus_files(folder):
    return sorted(p for p in folder.rglob("*") if p.suffix in (".txt", ".md", ".markdown") and p.is_file())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--single", type=Path, default=SINGLE)
    parser.add_argument("--repeat", type=int, default=15, help="runs of the one-file case (median)")
    parser.add_argument("--corpus-repeat", type=int, default=3, help="runs of each checker corpus case (median)")
    parser.add_argument("--prose-repeat", type=int, default=1, help="proselint runs (median), each between two cold checker runs")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"skipped: {args.corpus} is absent (../shared is research material outside the repository)")
        return 0
    files = corpus_files(args.corpus)
    size_mb = sum(p.stat().st_size for p in files) / 1e6
    print(f"corpus {args.corpus}: {len(files)} files, {size_mb:.1f} MB; {os.cpu_count()} CPUs")

    cache_dir = Path(tempfile.mkdtemp(prefix="checker-bench-cache-"))
    env = {**BASE_ENV, "XDG_CACHE_HOME": str(cache_dir / "home")}
    try:
        timed([*CHECKER, "--version"], cwd=ROOT)  # writes the bytecode, as pip install does
        base = [*CHECKER, "--exit-zero", "--statistics"]

        def median_of(command, **kwargs):
            return statistics.median(timed(command, **kwargs) for _ in range(args.corpus_repeat))

        # proselint and the cold checker take turns: the speed of a shared
        # machine drifts from minute to minute, and the ratio should not
        proselint = shutil.which("proselint", path=str(Path(sys.executable).parent)) or shutil.which("proselint")
        colds, proses = [], []
        for turn in range(max(args.corpus_repeat, args.prose_repeat if proselint else 0)):
            if turn < args.corpus_repeat:
                colds.append(timed([*base, "--no-cache", str(args.corpus)], cwd=ROOT))
            if proselint and turn < args.prose_repeat:
                proses.append(timed([proselint, "check", str(args.corpus)]))
        cold = statistics.median(colds)
        timed([*base, "--cache-dir", str(cache_dir), str(args.corpus)], cwd=ROOT, env=env)  # fills the cache
        warm = median_of([*base, "--cache-dir", str(cache_dir), str(args.corpus)], cwd=ROOT, env=env)
        serial = median_of([*base, "--no-cache", "-j", "1", str(args.corpus)], cwd=ROOT)
        memory = peak_rss_mb([*base, "--no-cache", str(args.corpus)], cwd=ROOT)
        print(f"checker cold (nothing cached, default -j): {cold:.2f} s, {len(files) / cold:.0f} files/s, {size_mb / cold:.2f} MB/s")
        print(f"checker cold serial (-j 1):             {serial:.2f} s, {len(files) / serial:.0f} files/s, {size_mb / serial:.2f} MB/s")
        print(f"checker warm (cache):                   {warm:.2f} s, {len(files) / warm:.0f} files/s")
        print(f"peak resident memory, largest checker process: {memory:.0f} MB")

        if proselint:
            prose = statistics.median(proses)
            print(f"turns: checker cold {', '.join(f'{t:.2f}' for t in colds)} s; proselint {', '.join(f'{t:.2f}' for t in proses)} s")
            print(f"proselint: {prose:.2f} s; checker cold is {prose / cold:.1f}x faster ({prose / serial:.1f}x serial), warm {prose / warm:.1f}x")
        else:
            print("proselint: skipped (not installed; pip install -e '.[bench]')")

        if args.single.is_file():
            one_cold, one_warm, bare, bare_here = [], [], [], []
            for _ in range(args.repeat):
                bare.append(timed(["python3", "-c", "pass"]))
                bare_here.append(timed([sys.executable, "-c", "pass"]))  # python3 may be a slow shim (pyenv)
                one_cold.append(timed([*CHECKER, "--no-cache", str(args.single)], cwd=ROOT))
                one_warm.append(timed([*CHECKER, "--cache-dir", str(cache_dir), str(args.single)], cwd=ROOT, env=env))
            b, c, w, h = (statistics.median(x) for x in (bare, one_cold, one_warm, bare_here))
            print(f"bare interpreter: {sys.executable} -c pass {h * 1000:.0f} ms; checker warm {w / h:.1f}x, --no-cache {c / h:.1f}x of it")
            print(
                f"one file {args.single.name} (median of {args.repeat}): python3 -c pass {b * 1000:.0f} ms; "
                f"checker warm {w * 1000:.0f} ms ({w / b:.1f}x); checker --no-cache {c * 1000:.0f} ms ({c / b:.1f}x)"
            )
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
