"""--shard i/N over files and archive records, the completion marker, and JSON Lines archives."""

import gzip
import json
import random

import pytest
from conftest import run_checker

from checker.formats.archive import items_in, iter_ranges, read_range

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
    with open(inputs / "dated.jsonl", "w", encoding="utf-8") as out:  # a header timestamp is a record's date field
        for index in range(120):
            first, rest = story(index).split("\n", 1)
            dated = first[:4].isdigit()
            out.write(json.dumps({"id": f"a{index}", "body": rest if dated else story(index), **({"date": first} if dated else {})}) + "\n")
    from_records = json.loads(run_checker("--no-cache", "--format", "json", "--date-field", "date", inputs / "dated.jsonl").stdout)

    def key(row, doc):  # an archive's positions are in the file as stored (tests/test_input_formats.py)
        return (doc, row["code"], row["message"], row["matched"], row["fix"] and row["fix"]["replacement"])

    assert sorted(key(r, int(r["path"][-7:-4])) for r in from_files) == sorted(key(r, int(r["record"][1:])) for r in from_records)
    assert all(r["path"].endswith("dated.jsonl") for r in from_records)


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
    # a line that is no record is CK001 at its line; a record with no body has nothing to check
    assert [(r["record"], r["line"], r["code"]) for r in rows] == [("1", 1, "FS101"), (None, 2, "CK001"), (None, 3, "CK001"), ("line 6", 6, "FS101")]
    (tmp_path / "broken.jsonl.gz").write_bytes(b"not gzip at all")
    result = run_checker("--no-cache", tmp_path / "broken.jsonl.gz", path)
    assert result.returncode == 2 and "broken.jsonl.gz: cannot read" in result.stderr and "FS101" in result.stdout


def test_fix_writes_into_an_archive_and_leaves_a_compressed_one_alone(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": 1, "body": "Talks\n\nThe president of the [САЩ] spoke."}) + "\n", encoding="utf-8")
    run_checker("--no-cache", "--fix", path)
    assert json.loads(path.read_text(encoding="utf-8"))["body"] == "Talks\n\nThe president of the [US] spoke."
    packed = tmp_path / "b.jsonl.gz"
    original = gzip.compress((json.dumps({"id": 1, "body": "Talks\n\nThe president of the [САЩ] spoke."}) + "\n").encode("utf-8"))
    packed.write_bytes(original)
    result = run_checker("--no-cache", "--fix", packed)
    assert "FS101" in result.stdout and "not fixed" in result.stderr and packed.read_bytes() == original


def test_byte_ranges_cover_every_record_once(tmp_path):
    path = tmp_path / "r.jsonl"
    # every other record has no id: its fallback id ("line N") checks the lines counted before a range
    lines = [json.dumps({"id": i, "body": "x" * random.Random(i).randrange(0, 300)} if i % 2 else {"body": "é" * i}) for i in range(200)]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(data)

    def records(within):
        found = []
        for piece in iter_ranges(path, "jsonl", size=700, within=within):
            text = read_range(path, piece).decode("utf-8")
            found += [item.record for item in items_in(text, "jsonl", first_line=piece.lines_before + 1)]
        return found

    whole = records(None)
    assert whole == [str(i) if i % 2 else f"line {i + 1}" for i in range(200)]
    generator = random.Random(7)
    for _ in range(30):
        cuts = sorted({0, len(data), *(generator.randrange(len(data)) for _ in range(generator.randrange(1, 12)))})
        assert [record for start, end in zip(cuts, cuts[1:]) for record in records((start, end))] == whole, cuts
