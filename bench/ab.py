"""An earlier revision against the working tree, in alternated runs: is a change faster?

    python bench/ab.py REV [--pairs N] [-- CHECKER ARGUMENTS]

Checks out REV (a commit, a tag) into a temporary git worktree, then runs
`python -m checker ARGUMENTS` with REV's code (A) and with the working tree's
(B) in turns, N pairs, and prints the medians of wall time and CPU time (user +
system, the workers included). Default arguments: `--no-cache --exit-zero
--statistics ../shared/corpus/bbc` (skipped with a message when ../shared is
absent).

Turns, because a shared machine's speed drifts from minute to minute: two runs
minutes apart differ more than most changes do. The runs start in a temporary
folder: `python -m checker` started inside the repository would import the
repository's `checker` for both sides. (A module that REV lacks comes from the
working tree's editable install; REV's own code never imports one.)
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "bbc"


def run(code, arguments, folder):
    """(wall seconds, CPU seconds) of one checker run with the `checker` package found in `code`."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # bytecode, as installed
    env["PYTHONPATH"] = str(code)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "checker", *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=folder)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("rev", help="the revision to compare the working tree with")
    parser.add_argument("--pairs", type=int, default=5)
    # the checker's arguments are everything after `--` (argparse would take
    # them for its own when --pairs comes after the revision)
    given = sys.argv[1:]
    split = given.index("--") if "--" in given else len(given)
    args = parser.parse_args(given[:split])
    args.arguments = given[split + 1 :]
    arguments = args.arguments or ["--no-cache", "--exit-zero", "--statistics", str(DEFAULT_CORPUS)]
    if not args.arguments and not DEFAULT_CORPUS.is_dir():
        print(f"skipped: {DEFAULT_CORPUS} is absent (../shared is research material outside the repository)")
        return 0
    arguments = [str(Path(a).resolve()) if Path(a).exists() else a for a in arguments]  # the runs start elsewhere
    folder = Path(tempfile.mkdtemp(prefix="checker-ab-"))
    worktree = folder / "a"
    try:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(worktree), args.rev], check=True)
        sides = {"A": worktree, "B": ROOT}
        for side in sides.values():
            run(side, ["--version"], folder)  # writes each side's bytecode before timing
        times = {"A": [], "B": []}
        for _ in range(args.pairs):
            for name, code in sides.items():
                times[name].append(run(code, arguments, folder))
        for name, label in (("A", args.rev), ("B", "working tree")):
            walls, cpus = zip(*times[name])
            print(f"{name} {label}: wall median {statistics.median(walls):.2f} s, CPU median {statistics.median(cpus):.2f} s "
                  f"(walls {', '.join(f'{w:.2f}' for w in walls)})")
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(worktree)], check=False)
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
