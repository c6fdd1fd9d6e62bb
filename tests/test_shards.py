"""--shard i/N over files and archive records, the completion marker, and JSON Lines archives."""

import gzip
import json
import random

import pytest
from conftest import run_checker

from checker import archive

STORIES = [
    "Talks resume\n\nThe president of the [САЩ] spoke on Monday, 05/07/2024.\n",
    "2024-07-05 06:15:31\nTalks resume\n\nThe deal is off, sources said.\n",
    "Talks resume\n\nNothing to report here, the spokesman said.\n",
    "Talks resume\r\n\r\nThe minister\u200b resigned 😀 yesterday, Reuters reported.\r\n",
]


def story(index):
    return STORIES[index % len(STORIES)].replace("Talks", f"Talks {index}")


@pytest.fixture
def inputs(tmp_path):
    """Files in two folders, an uncompressed archive, a gzip archive and an empty file."""
    for index in range(40):
        folder = tmp_path / "files" / f"d{index % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"s{index:02d}.txt").write_text(story(index), encoding="utf-8")
    (tmp_path / "files" / "d0" / "empty.txt").write_text("", encoding="utf-8")
    with open(tmp_path / "a.jsonl", "w", encoding="utf-8") as out:
        for index in range(120):
            out.write(json.dumps({"id": f"a{index}", "body": story(index)}, ensure_ascii=index % 2 == 0) + "\n")
    with gzip.open(tmp_path / "b.jsonl.gz", "wt", encoding="utf-8") as out:
        for index in range(30):
            out.write(json.dumps({"id": f"b{index}", "text": story(index)}) + "\n")
    return tmp_path


def jsonl_rows(text):
    return sorted(text.splitlines())


ARGS = ["--no-cache", "--exit-zero", "--format", "jsonl"]


@pytest.mark.parametrize("count", [2, 3, 7])
def test_the_union_of_the_shards_is_the_full_run(inputs, count):
    paths = [inputs / "files", inputs / "a.jsonl", inputs / "b.jsonl.gz"]
    full = run_checker(*ARGS, *paths)
    assert full.returncode == 0 and full.stdout.count("\n") > 100
    union, sizes = [], []
    for index in range(count):
        out = inputs / f"shard{index}.jsonl"
        shard = run_checker(*ARGS, "--shard", f"{index}/{count}", "-o", out, *paths)
        assert shard.returncode == 0, shard.stderr
        rows = out.read_text(encoding="utf-8").splitlines()
        union += rows
        sizes.append(len(rows))
        marker = json.loads((inputs / f"shard{index}.jsonl.done").read_text(encoding="utf-8"))
        assert marker["shard"] == f"{index}/{count}" and marker["findings"] == len(rows)
    assert sorted(union) == jsonl_rows(full.stdout)  # nothing lost, nothing twice
    assert all(sizes), sizes  # and every shard had work
    assert run_checker(*ARGS, "--shard", f"1/{count}", "-o", inputs / "again.jsonl", *paths).stdout == ""  # deterministic:
    assert (inputs / "again.jsonl").read_text(encoding="utf-8") == (inputs / "shard1.jsonl").read_text(encoding="utf-8")


def test_a_finished_shard_is_skipped_and_a_changed_command_runs_again(inputs):
    out = inputs / "part.jsonl"
    paths = [inputs / "a.jsonl"]
    first = run_checker("--no-cache", "--format", "jsonl", "--shard", "0/2", "-o", out, *paths)
    assert first.returncode == 1  # findings
    out.write_text("kept\n", encoding="utf-8")  # to see whether the shard runs again
    again = run_checker("--no-cache", "--format", "jsonl", "--shard", "0/2", "-o", out, *paths)
    assert again.returncode == 1 and "shard 0/2 is done already" in again.stderr
    assert out.read_text(encoding="utf-8") == "kept\n"
    changed = run_checker("--no-cache", "--format", "jsonl", "--select", "FS", "--shard", "0/2", "-o", out, *paths)
    assert "done already" not in changed.stderr and out.read_text(encoding="utf-8") != "kept\n"
    assert all(json.loads(line)["code"] == "FS101" for line in out.read_text(encoding="utf-8").splitlines())


def test_shard_errors_are_one_line(inputs):
    for args in (["--shard", "0/2"], ["--shard", "2/2", "-o", inputs / "x"], ["--shard", "a/b", "-o", inputs / "x"]):
        result = run_checker(*args, inputs / "a.jsonl")
        assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert "needs -o" in run_checker("--shard", "0/2", inputs / "a.jsonl").stderr
    assert "standard input" in run_checker("--shard", "0/2", "-o", inputs / "x", "-", input="text").stderr


def test_records_of_an_archive_have_the_findings_of_the_same_texts_as_files(inputs):
    folder = inputs / "as-files"
    folder.mkdir()
    for index in range(120):
        (folder / f"a{index:03d}.txt").write_text(story(index), encoding="utf-8")
    from_files = json.loads(run_checker("--no-cache", "--format", "json", folder).stdout)
    from_records = json.loads(run_checker("--no-cache", "--format", "json", inputs / "a.jsonl").stdout)

    def key(row, doc):
        return (doc, *(row[k] for k in ("line", "column", "end_line", "end_column", "start", "end", "code", "message", "matched")), json.dumps(row["fix"]))

    assert sorted(key(r, int(r["path"][-7:-4])) for r in from_files) == sorted(key(r, int(r["doc_id"][1:])) for r in from_records)
    assert all(r["path"].endswith("a.jsonl") for r in from_records)


def test_a_bad_record_is_ck001_and_the_others_go_on(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        "\n".join([
            json.dumps({"id": 1, "body": "Talks\n\nThe president of the [САЩ] spoke."}),
            "{not json",
            json.dumps(["a list"]),
            json.dumps({"id": 4, "headline": "no body"}),
            "",
            json.dumps({"body": "Talks\n\nThe president of the [САЩ] spoke."}),
        ]) + "\n",
        encoding="utf-8",
    )
    rows = json.loads(run_checker("--no-cache", "--format", "json", path).stdout)
    assert [(r["doc_id"], r["code"]) for r in rows] == [("1", "FS101"), ("line 2", "CK001"), ("line 3", "CK001"), ("4", "CK001"), ("line 6", "FS101")]
    (tmp_path / "broken.jsonl.gz").write_bytes(b"not gzip at all")
    result = run_checker("--no-cache", tmp_path / "broken.jsonl.gz", path)
    assert result.returncode == 2 and "broken.jsonl.gz: cannot read" in result.stderr and "FS101" in result.stdout


def test_fix_leaves_an_archive_alone(tmp_path):
    path = tmp_path / "a.jsonl"
    original = json.dumps({"id": 1, "body": "Talks\n\nThe president of the [САЩ] spoke."}) + "\n"
    path.write_text(original, encoding="utf-8")
    result = run_checker("--no-cache", "--fix", path)
    assert "not fixed" in result.stderr and path.read_text(encoding="utf-8") == original


def test_byte_ranges_cover_every_record_once(tmp_path):
    path = tmp_path / "r.jsonl"
    lines = [json.dumps({"id": i, "body": "x" * random.Random(i).randrange(0, 300)}) for i in range(200)]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(data)
    whole = [(line, record["id"]) for line, record, _ in archive.records(path)]
    assert whole == [(i + 1, i) for i in range(200)]
    generator = random.Random(7)
    for _ in range(30):
        cuts = sorted({0, len(data), *(generator.randrange(len(data)) for _ in range(generator.randrange(1, 12)))})
        pieces = [(line, record["id"]) for start, end in zip(cuts, cuts[1:]) for line, record, _ in archive.records(path, start, end)]
        assert pieces == whole, cuts
