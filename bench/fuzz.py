"""The pipeline property test (tests/test_fuzz_pipeline.py) for many examples.

    python bench/fuzz.py [--examples 100000] [--seed N]

Runs hypothesis with the same strategies and invariants as the CI test, in
batches so that progress shows, and prints the count of examples run and every
failure (the failing text, minimised by hypothesis). Exit 1 on any failure.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    import test_fuzz_pipeline as fuzz
    from hypothesis import HealthCheck, given, seed, settings

    counted = {"examples": 0}
    failures = []

    def one(text, path):
        counted["examples"] += 1
        fuzz.check_pipeline(text, path)

    start = time.perf_counter()
    done, batch_number = 0, 0
    while done < args.examples:
        size = min(args.batch, args.examples - done)
        test = seed(args.seed + batch_number)(
            settings(
                max_examples=size,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )(given(text=fuzz.texts, path=fuzz.paths)(one))
        )
        try:
            test()
        except Exception as exc:  # hypothesis re-raises the minimised failure
            failures.append(f"{type(exc).__name__}: {str(exc)[:2000]}")
            print(f"FAILURE in batch {batch_number}: {failures[-1]}", flush=True)
        done += size
        batch_number += 1
        elapsed = time.perf_counter() - start
        print(f"{done} examples requested, {counted['examples']} run, {len(failures)} failures, {elapsed:.0f} s", flush=True)
    print(f"fuzz: {counted['examples']} examples run (includes hypothesis shrinking), {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
