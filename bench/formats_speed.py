"""Archives against .txt: the same BBC articles checked as one JSON Lines archive and
as one .txt file each; and a large archive, for memory and time to the first finding.

    python bench/formats_speed.py [--repeat N] [--jobs 1 2] [--large-mb MB] [--keep]

Throughput: writes the BBC corpus (../shared/corpus/bbc) to a temporary folder as .txt
files (copies) and as one archive.jsonl (id, headline, body), then runs
`checker --no-cache -j J --exit-zero -o FILE` on each, alternated, N times (default 3),
and prints the median seconds, MB/s and articles/s of each and their ratio.

Large archive (--large-mb, 0 to skip; default 0): an archive.jsonl of at least that
many MB (the BBC records over and over, each with its own id), checked once with -j of
the last --jobs through a probe that prints the time to the first finding on standard
output, the whole time, the findings, and the peak resident memory of the largest
process (the checker or a worker). It writes the file under the temporary folder:
mind the disk. Skips when ../shared is absent.

The machine this was written on is shared and noisy: compare figures from one run.
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
sys.path.insert(0, str(ROOT / "bench"))

import articles  # noqa: E402

CHECKER = [sys.executable, "-m", "checker", "--no-cache", "--exit-zero"]
BASE_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
PROBE = r"""
import resource, subprocess, sys, time
start = time.perf_counter()
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
first, lines = None, 0
for line in process.stdout:
    if first is None:
        first = time.perf_counter() - start
    lines += 1
process.wait()
total = time.perf_counter() - start
print(first if first is not None else -1, total, lines, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def timed(command):
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=BASE_ENV, cwd=ROOT)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--large-mb", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (printed)")
    args = parser.parse_args()
    found = articles.corpus("bbc", 100_000)
    if found is None:
        print("skipped: ../shared/corpus/bbc is absent (research material outside the repository)")
        return 0
    folder = Path(tempfile.mkdtemp(prefix="checker-formats-speed-"))
    try:
        texts = folder / "txt"
        texts.mkdir()
        for article in found:
            shutil.copyfile(articles.SHARED / "corpus" / "bbc" / f"{article.name}.txt", texts / f"{article.name}.txt")
        archive = folder / "archive.jsonl"
        archive.write_text("".join(articles.jsonl_record(a) for a in found), encoding="utf-8")
        txt_mb = sum(p.stat().st_size for p in texts.iterdir()) / 1e6
        jsonl_mb = archive.stat().st_size / 1e6
        print(f"{len(found)} BBC articles: {txt_mb:.1f} MB as .txt files, {jsonl_mb:.1f} MB as one JSON Lines archive; {os.cpu_count()} CPUs")
        out = folder / "report.txt"
        timed([*CHECKER, "--version"])  # bytecode written, as pip install does
        for jobs in args.jobs:
            as_txt, as_jsonl = [], []
            for _ in range(args.repeat):
                as_txt.append(timed([*CHECKER, "-j", str(jobs), "-o", str(out), str(texts)]))
                as_jsonl.append(timed([*CHECKER, "-j", str(jobs), "-o", str(out), "--headline-field", "headline", str(archive)]))
            t, j = statistics.median(as_txt), statistics.median(as_jsonl)
            print(f"-j {jobs}: .txt {t:.2f} s ({txt_mb / t:.1f} MB/s, {len(found) / t:.0f} articles/s); "
                  f"JSON Lines {j:.2f} s ({jsonl_mb / j:.1f} MB/s, {len(found) / j:.0f} articles/s); JSON Lines / .txt = {j / t:.2f}")
        if args.large_mb:
            large(folder, found, args.large_mb, args.jobs[-1])
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


def large(folder, found, megabytes, jobs):
    path = folder / "large.jsonl"
    size, round_number = 0, 0
    with open(path, "w", encoding="utf-8") as handle:
        while size < megabytes * 1e6:
            chunk = "".join(articles.jsonl_record(a, round_number) for a in found)
            handle.write(chunk)
            size += len(chunk.encode("utf-8"))
            round_number += 1
    records = round_number * len(found)
    command = [*CHECKER, "-j", str(jobs), "--headline-field", "headline", str(path)]
    out = subprocess.run([sys.executable, "-c", PROBE, *command], capture_output=True, text=True, env=BASE_ENV, cwd=ROOT).stdout.split()
    first, total, lines, peak_kb = float(out[0]), float(out[1]), int(out[2]), int(out[3])
    print(f"large archive: {size / 1e6:.0f} MB, {records} records, -j {jobs}: first finding after {first:.2f} s, "
          f"all in {total:.0f} s ({size / 1e6 / total:.1f} MB/s), {lines - 1} findings, peak memory of the largest process {peak_kb / 1024:.0f} MB")
    path.unlink()


if __name__ == "__main__":
    sys.exit(main())
