"""Throughput on an archive: the CLI on files, Dask (1 and 2 workers), Spark local[2].

    python bench/archive_throughput.py [--corpus DIR] [--repeat 3] [--spark] [--memory]

Converts the corpus (default ../shared/corpus/bbc) to JSON Lines, one record a
file ({"id": path, "body": text}), and times, alternating in rounds, with no
cache anywhere:
- `checker --no-cache --format jsonl` on the files (its own choice of workers:
  both CPUs), and with -j 1; and on the JSON Lines archive itself;
- `lint_bag` on a distributed.LocalCluster of 1 and of 2 worker processes (one
  thread each), from `dask.bag.read_text` of the archive to JSON Lines files of
  findings; the cluster is started before the clock (a cluster is long-lived),
  the workers' first rule load is inside it;
- with --spark, `mapInArrow` on Spark local[2], from `spark.read.json` to JSON
  files of findings (the session started and stopped outside the clock, each round).
Prints documents/s and findings/s (wall clock), the CPU time each layer spent
per 1,000 documents (what a cost estimate needs, and what others' work on the
machine disturbs least), the median of --repeat rounds, and each layer's
findings count (all must agree). Spark's CPU is not counted (the JVM's). --memory: each Dask worker's peak
resident memory after 1x and after 4x the records (the corpus repeated, new
ids) on fresh clusters. Needs the dask extra (and spark for --spark).
"""

import argparse
import json
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--spark", action="store_true", help="time Spark local[2] too (needs the spark extra and Java)")
    parser.add_argument("--memory", action="store_true", help="Dask workers' peak memory at 1x and 4x the records, instead of timings")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"skipped: {args.corpus} is absent (../shared is research material outside the repository)")
        return 0
    work = Path(tempfile.mkdtemp(prefix="checker-archive-"))
    try:
        files = []  # the .txt files alone (a corpus folder may hold a README), in a folder of their own
        for source in sorted(args.corpus.rglob("*.txt")):
            files.append(work / "files" / source.relative_to(args.corpus))
            files[-1].parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, files[-1])
        args.corpus = work / "files"
        archive = work / "archive.jsonl"
        write_archive(files, args.corpus, archive, copies=1)
        print(f"corpus: {len(files)} documents, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB; CPUs: {os.cpu_count()}; Python {sys.version.split()[0]}")
        if args.memory:
            return memory(files, args.corpus, work)
        return timings(args, files, archive, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def write_archive(files, corpus, archive, copies):
    """The files as JSON Lines records, each text as the checker decodes the file (line endings kept, a BOM dropped)."""
    from checker.pipeline import decode

    with open(archive, "w", encoding="utf-8") as out:
        for copy in range(copies):
            for path in files:
                record = {"id": f"{copy}/{path.relative_to(corpus)}", "body": decode(path.read_bytes()).text}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")


def timings(args, files, archive, work):
    from distributed import Client, LocalCluster

    layers = {
        "CLI on the files (-j auto)": lambda: cli([args.corpus]),
        "CLI on the files (-j 1)": lambda: cli(["-j", "1", args.corpus]),
        "CLI on the JSONL archive (-j auto)": lambda: cli([archive]),
    }
    clusters, client_of = [], {}
    for workers in (1, 2):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster, set_as_default=False)
        clusters.append((cluster, client))
        name = f"Dask lint_bag, {workers} worker{'s' if workers > 1 else ''}"
        client_of[name] = client
        layers[name] = lambda c=client, w=workers: dask_run(c, archive, work / f"dask{w}")
    if args.spark:
        layers["Spark local[2] mapInArrow"] = lambda: spark_run(archive, work / "spark")
    times = {name: [] for name in layers}
    cpu = {name: [] for name in layers}
    counts = {}
    try:
        for _round in range(args.repeat):
            for name, run in layers.items():
                if name in client_of:
                    client_of[name].restart()  # fresh worker processes: their rules are loaded inside the clock
                cpu_before = own_cpu() + (worker_cpu(client_of[name]) if name in client_of else 0)
                SPARK_PAUSE.paused = 0.0
                start = time.perf_counter()
                counts[name] = run()
                times[name].append(time.perf_counter() - start - SPARK_PAUSE.paused)
                cpu[name].append(own_cpu() + (worker_cpu(client_of[name]) if name in client_of else 0) - cpu_before)
    finally:
        for cluster, client in clusters:
            client.close()
            cluster.close()
    documents = len(files)
    base = statistics.median(times["CLI on the files (-j auto)"])
    print(f"\n{'layer':38s} {'median s':>9s} {'docs/s':>8s} {'findings/s':>11s} {'vs CLI':>7s} {'CPU s/1k docs':>14s}  wall s of each round")
    for name, values in times.items():
        median = statistics.median(values)
        cpu_per_k = statistics.median(cpu[name]) / documents * 1000 if not name.startswith("Spark") else float("nan")
        print(
            f"{name:38s} {median:9.2f} {documents / median:8.0f} {counts[name] / median:11.0f} {base / median:7.0%} {cpu_per_k:14.2f}  "
            + " ".join(f"{v:.2f}" for v in values)
        )
    print(f"\nfindings per layer: {counts}")
    return 0 if len(set(counts.values())) == 1 else 1


def own_cpu():
    """CPU seconds of this process and its waited-for children (the CLI and its workers)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def worker_cpu(client):
    """CPU seconds the Dask worker processes have used so far."""
    return sum(client.run(_process_cpu).values())


def _process_cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def cli(arguments):
    result = subprocess.run(
        [sys.executable, "-m", "checker", "--no-cache", "--exit-zero", "--format", "jsonl", *map(str, arguments)],
        capture_output=True, text=True, check=True,
    )
    return result.stdout.count("\n")


def dask_run(client, archive, out):
    import dask.bag as db

    from checker.api import Linter
    from checker.dask import lint_bag

    shutil.rmtree(out, ignore_errors=True)
    records = db.read_text(str(archive), blocksize="256KiB").map(json.loads)
    findings = lint_bag(records, Linter(cache_dir=None), text_field="body", id_field="id")
    findings.map(json.dumps, ensure_ascii=False).to_textfiles(str(out / "*.jsonl"), last_endline=True, compute=True, scheduler=client.get)
    return sum(path.read_text(encoding="utf-8").count("\n") for path in out.glob("*.jsonl"))


class _Clock:
    """Spark's session starts and stops outside the clock: an idle JVM would take CPU from the other layers."""

    def __init__(self):
        self.paused = 0.0


def spark_run(archive, out):
    os.environ["PYSPARK_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    from checker.api import Linter
    from checker.spark import SCHEMA, lint_arrow_batches

    started = time.perf_counter()
    spark = SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false").getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    SPARK_PAUSE.paused += time.perf_counter() - started
    try:
        frame = spark.read.json(str(archive)).repartition(8)
        findings = frame.mapInArrow(lint_arrow_batches(Linter(cache_dir=None), text_field="body", id_field="id"), SCHEMA)
        findings.write.mode("overwrite").json(str(out))
    finally:
        stopping = time.perf_counter()
        spark.stop()
        SPARK_PAUSE.paused += time.perf_counter() - stopping
    return sum(path.read_text(encoding="utf-8").count("\n") for path in out.glob("part-*.json"))


SPARK_PAUSE = _Clock()


def memory(files, corpus, work):
    from distributed import Client, LocalCluster

    print(f"\n{'records':>8s}  {'findings':>9s}  peak resident memory of each worker (MB)")
    for copies in (1, 4):
        archive = work / f"x{copies}.jsonl"
        write_archive(files, corpus, archive, copies)
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
            found = dask_run(client, archive, work / f"mem{copies}")
            peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        print(f"{len(files) * copies:8d}  {found:9d}  {', '.join(f'{v:.0f}' for v in sorted(peaks.values()))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
