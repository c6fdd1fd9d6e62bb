"""--format parquet -o DIR: the JSON output's findings in the fixed schema, one file per shard."""

import json
import os
import stat

import pytest
from conftest import run_checker

pa = pytest.importorskip("pyarrow", reason="--format parquet needs pyarrow: pip install -e '.[parquet]'")
pq = pytest.importorskip("pyarrow.parquet", reason="--format parquet needs pyarrow: pip install -e '.[parquet]'")

from checker.table import COLUMN_NAMES, arrow_schema, row  # noqa: E402  (after the skip)

STORIES = [
    "2024-07-05 06:15:31\nTalks resume\n\nThe president of the [САЩ] spoke on Monday, 05/07/2024.\n",
    "Talks resume\r\n\r\nThe minister\u200b resigned 😀 on Friday, sources said.\r\n",
]


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "copy"
    folder.mkdir()
    for index in range(30):
        (folder / f"s{index:02d}.txt").write_text(STORIES[index % 2].replace("Talks", f"Talks {index}"), encoding="utf-8")
    with open(tmp_path / "a.jsonl", "w", encoding="utf-8") as out:
        for index in range(30):
            out.write(json.dumps({"id": index, "body": STORIES[index % 2]}) + "\n")
    return tmp_path


def test_parquet_holds_the_json_outputs_findings(corpus):
    paths = [corpus / "copy", corpus / "a.jsonl"]
    expected = json.loads(run_checker("--no-cache", "--format", "json", *paths).stdout)
    result = run_checker("--no-cache", "--format", "parquet", "-o", corpus / "out", *paths)
    assert result.returncode == 1 and result.stdout == "", result.stderr
    table = pq.read_table(corpus / "out" / "part-00000-of-00001.parquet")
    assert table.schema.names == list(COLUMN_NAMES)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((corpus / "out" / "part-00000-of-00001.parquet").stat().st_mode) == 0o666 & ~umask  # as any new file
    assert table.to_pylist() == [row(finding) for finding in expected]
    assert len(expected) > 60 and {r["record"] for r in table.to_pylist()} >= {None, "0", "29"}


def test_code_name_and_severity_are_dictionary_encoded(corpus):
    run_checker("--no-cache", "--format", "parquet", "-o", corpus / "out", corpus / "copy")
    path = corpus / "out" / "part-00000-of-00001.parquet"
    schema = pq.read_schema(path)
    assert schema.equals(arrow_schema())
    for column in ("code", "name", "severity"):
        assert pa.types.is_dictionary(schema.field(column).type)
    metadata = pq.ParquetFile(path).metadata.row_group(0)
    encodings = {metadata.column(i).path_in_schema: metadata.column(i).encodings for i in range(metadata.num_columns)}
    assert any("DICTIONARY" in e for e in encodings["severity"])


def test_each_shard_writes_its_own_part_and_marker(corpus):
    paths = [corpus / "copy", corpus / "a.jsonl"]
    full = pq.read_table(run_and_path(corpus, paths, None)).to_pylist()
    parts = []
    for index in range(3):
        part = run_and_path(corpus, paths, f"{index}/3")
        assert part.name == f"part-{index:05d}-of-00003.parquet"
        assert json.loads(part.with_name(part.name + ".done").read_text(encoding="utf-8"))["shard"] == f"{index}/3"
        parts += pq.read_table(part).to_pylist()
    key = lambda r: json.dumps(r, sort_keys=True)  # noqa: E731
    assert sorted(map(key, parts)) == sorted(map(key, full))


def run_and_path(corpus, paths, shard):
    out = corpus / ("sharded" if shard else "whole")
    result = run_checker("--no-cache", "--exit-zero", "--format", "parquet", "-o", out, *(["--shard", shard] if shard else []), *paths)
    assert result.returncode == 0, result.stderr
    index, count = map(int, (shard or "0/1").split("/"))
    return out / f"part-{index:05d}-of-{count:05d}.parquet"


def test_parquet_needs_a_folder(corpus):
    (corpus / "file").write_text("", encoding="utf-8")
    for args in ([], ["-o", corpus / "file"], ["-o", corpus / "no" / "such" / "dir"]):
        result = run_checker("--format", "parquet", *args, corpus / "copy")
        assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
