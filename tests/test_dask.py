"""checker.dask on a real two-worker LocalCluster: the same findings as the command line."""

import gzip
import json
import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor

import pytest
from conftest import run_checker

pytest.importorskip("dask.bag", reason="the Dask tests need the dask extra: pip install -e '.[dask]'")
pytest.importorskip("dask.dataframe", reason="the Dask tests need the dask extra: pip install -e '.[dask]'")
pytest.importorskip("distributed", reason="the Dask tests need the dask extra: pip install -e '.[dask]'")

import dask.bag as db  # noqa: E402  (after the skips)
import dask.dataframe as dd  # noqa: E402
import pandas as pd  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

import checker.api  # noqa: E402
from checker.api import Linter  # noqa: E402
from checker.dask import empty_findings_frame, lint_bag, lint_dataframe  # noqa: E402
from checker.table import COLUMN_NAMES, row  # noqa: E402

pytestmark = pytest.mark.slow

# Pieces of copy with a defect of each family (and clean ones); an article is a few of them.
HEADERS = ["", "2024-07-05 06:15:31\n", "2024-02-30T10:00:00Z\n", "2024-07-05T09:00:00+03:00\n"]
SENTENCES = [
    "The president of the [САЩ] spoke on Monday.",
    "Unemployment rose to 12% in March.",
    "The deal is off, sources said.",
    "The minister resigned yesterday, the ministry said in a statement.",
    "Talks in Bаnk Street went on until late.",
    "The report, dated 05/07/2024, was published on Friday, July 6, 2024, the agency said.",
    "Officials met in Geneva\u200b to discuss the plan, Reuters reported.",
    "“We will not give up,” she told reporters after the vote in parliament.",
    "Prices rose sharply last month after the central bank raised interest rates again.",
    "He said the talks with the delegation would go on for the rest of the week.",
]


def article(index):
    pick = [SENTENCES[(index * 7 + k * 3) % len(SENTENCES)] for k in range(2 + index % 5)]
    paragraphs = [" ".join(pick[i : i + 2]) for i in range(0, len(pick), 2)]
    newline = "\r\n" if index % 11 == 0 else "\n"
    return (HEADERS[index % 4] + f"Story {index} 😀\n\n" + "\n\n".join(paragraphs) + "\n").replace("\n", newline)


RECORDS = 400


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """The records as JSON Lines (two plain files, two gzip files) and as .txt files."""
    root = tmp_path_factory.mktemp("dask")
    files, parts = root / "files", root / "jsonl"
    files.mkdir()
    parts.mkdir()
    records = [{"id": f"doc{i:04d}", "body": article(i)} for i in range(RECORDS)]
    for record in records:
        (files / f"{record['id']}.txt").write_bytes(record["body"].encode("utf-8"))
    for part in range(4):
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[part::4])
        if part < 2:
            (parts / f"part{part}.jsonl").write_text(lines, encoding="utf-8")
        else:
            with gzip.open(parts / f"part{part}.jsonl.gz", "wt", encoding="utf-8") as out:
                out.write(lines)
    return root, records


@pytest.fixture(scope="module")
def cluster_results(archive, tmp_path_factory):
    """What the two-worker cluster made of the archive (_on_a_cluster), worked out in a
    fresh process: a Dask client leaves a thread behind in its process for good, and
    with it the other tests' signals to this process (test_fix's Ctrl-C) could land
    on the wrong thread."""
    root, records = archive
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as fresh:
        return fresh.submit(_on_a_cluster, root, records, tmp_path_factory.mktemp("dask-scratch")).result()


def _on_a_cluster(root, records, scratch):
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        found = {}
        plain = db.read_text(str(root / "jsonl" / "*.jsonl"), blocksize="8KiB")
        compressed = db.read_text(str(root / "jsonl" / "*.jsonl.gz"))
        bag = db.concat([plain, compressed]).map(json.loads)
        found["partitions"] = bag.npartitions
        found["bag"] = lint_bag(bag, Linter(cache_dir=None), text_field="body", id_field="id").compute()
        found["loads"] = client.run(checker.api._rule_sets_loaded)
        found["profiles"] = client.run(lambda: len(checker.api._PROCESS_PROFILES))

        frame = dd.read_json(str(root / "jsonl" / "*.jsonl"), lines=True, blocksize=8_000)
        frame = dd.concat([frame, dd.read_json(str(root / "jsonl" / "*.jsonl.gz"), lines=True, compression="gzip")])
        findings = lint_dataframe(frame, Linter(cache_dir=None))
        found["columns"] = tuple(findings.columns)
        found["lazy_dtypes"] = {name: str(dtype) for name, dtype in findings.dtypes.items()}  # known before computing
        computed = findings.compute()
        found["dtypes"] = {name: str(dtype) for name, dtype in computed.dtypes.items()}
        found["frame"] = _rows(computed)

        pd.DataFrame(records).to_parquet(scratch / "records.parquet", row_group_size=50)
        from_parquet = lint_dataframe(dd.read_parquet(scratch / "records.parquet", split_row_groups=True), Linter(cache_dir=None))
        found["parquet"] = _rows(from_parquet.compute())
        from_parquet.to_parquet(scratch / "findings")  # and written out as Parquet, with the same columns
        found["written_columns"] = list(dd.read_parquet(scratch / "findings").columns)
    return found


def cli_rows(root):
    """`checker --format jsonl` over the texts as files, each row's id taken from its file name."""
    result = run_checker("--no-cache", "--exit-zero", "--format", "jsonl", root / "files")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    for found in rows:
        found["record"] = found["path"].rsplit("/", 1)[-1][: -len(".txt")]
        found["path"] = "<record>"
    return rows


def canonical(rows):
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows)


def test_lint_bag_on_two_workers_equals_the_command_line(archive, cluster_results):
    root, _records = archive
    assert cluster_results["partitions"] >= 6  # more partitions than workers: each worker checks several
    assert len(pickle.dumps(Linter(cache_dir=None))) < 1024
    expected = cli_rows(root)
    assert len(expected) > 1000 and {r["code"][:2] for r in expected} >= {"AT", "FS", "TS", "TX"}
    assert canonical(cluster_results["bag"]) == canonical(expected)
    loads = cluster_results["loads"]
    assert len(loads) == 2 and set(loads.values()) == {1}, loads  # once per worker, not per partition or record
    assert set(cluster_results["profiles"].values()) == {1}, cluster_results["profiles"]


def test_lint_dataframe_from_json_lines_and_parquet(archive, cluster_results):
    root, _records = archive
    expected = canonical(row(r) for r in cli_rows(root))
    assert cluster_results["columns"] == COLUMN_NAMES
    expected_dtypes = {name: str(dtype) for name, dtype in empty_findings_frame().dtypes.items()}
    assert cluster_results["lazy_dtypes"] == cluster_results["dtypes"] == expected_dtypes  # the fixed schema
    assert canonical(cluster_results["frame"]) == expected
    assert canonical(cluster_results["parquet"]) == expected
    assert cluster_results["written_columns"] == list(COLUMN_NAMES)


def _rows(frame):
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    for found in rows:
        for column in ("line", "column", "end_line", "end_column", "start", "end", "fix_start", "fix_end", "fix_line", "fix_column", "fix_end_line", "fix_end_column"):
            found[column] = None if found[column] is None else int(found[column])
        found["fix_safe"] = None if found["fix_safe"] is None else bool(found["fix_safe"])
    return rows


def test_the_shards_of_the_archive_make_the_full_run(archive, tmp_path):
    root, _records = archive
    parts = sorted((root / "jsonl").iterdir())
    full = run_checker("--no-cache", "--exit-zero", "--format", "jsonl", *parts).stdout
    union = []
    for index in range(2):
        out = tmp_path / f"shard{index}.jsonl"
        result = run_checker("--no-cache", "--exit-zero", "--format", "jsonl", "--shard", f"{index}/2", "-o", out, *parts)
        assert result.returncode == 0, result.stderr
        union += out.read_text(encoding="utf-8").splitlines()
    assert sorted(union) == sorted(full.splitlines()) and len(union) > 1000
