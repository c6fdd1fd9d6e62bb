"""-j/--jobs: the same output, in the same order, whatever the number of workers."""

import json

import pytest
from conftest import run_checker, shared_path

STORIES = [
    "Headline\n\nThe president of the [САЩ] spoke on Monday.\n",
    "Headline\n\nThe deal is off, sources said.\n",
    "2024-07-05 06:15:31\nHeadline\n\nThe minister resigned, the ministry said.\n",
    "Headline\n\nNothing to report here, officials said on Monday, 05/07/2024.\n",
]


@pytest.fixture
def tree(tmp_path):
    for index in range(90):  # above the automatic threshold, so the default run uses workers too
        folder = tmp_path / f"d{index % 7}"
        folder.mkdir(exist_ok=True)
        (folder / f"story{index:03d}.txt").write_text(STORIES[index % len(STORIES)], encoding="utf-8")
    (tmp_path / "d0" / "binary.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "d1" / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    return tmp_path


@pytest.mark.parametrize("fmt", ["concise", "json"])
def test_output_is_identical_for_any_number_of_jobs(tree, fmt):
    serial = run_checker("--no-cache", "-j", "1", "--format", fmt, tree)
    assert "FS101" in serial.stdout and "CK001" in serial.stdout
    for jobs in ("2", "3", "0"):
        parallel = run_checker("--no-cache", "-j", jobs, "--format", fmt, tree)
        assert parallel.stdout == serial.stdout, jobs
        assert parallel.stderr == serial.stderr, jobs  # notices too, in file order
        assert parallel.returncode == serial.returncode == 2  # the dangling symlink cannot be read


def test_default_run_equals_serial(tree):
    assert run_checker("--no-cache", tree).stdout == run_checker("--no-cache", "-j", "1", tree).stdout


def test_parallel_with_cache_equals_serial(tree, tmp_path):
    serial = run_checker("--no-cache", "-j", "1", tree)
    cache = ["--cache-dir", tmp_path / "cache"]
    env = {"XDG_CACHE_HOME": str(tmp_path / "home-cache")}
    cold = run_checker(*cache, "-j", "2", tree, env=env)
    warm = run_checker(*cache, "-j", "2", tree, env=env)
    assert cold.stdout == warm.stdout == serial.stdout


@pytest.mark.parametrize("value", ["-1", "two", "1.5"])
def test_bad_jobs_value_is_a_usage_error(value, tmp_path):
    result = run_checker("-j", value, tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_no_progress_bar_in_a_pipe(tree):
    result = run_checker("--no-cache", "--language", "en", tree)
    assert "\r" not in result.stderr and "files" not in result.stderr.replace("dangling.txt", "")


@pytest.mark.slow
def test_bbc_corpus_same_serial_and_parallel():
    corpus = shared_path("corpus", "bbc")
    serial = run_checker("--no-cache", "-j", "1", "--exit-zero", corpus)
    parallel = run_checker("--no-cache", "-j", "2", "--exit-zero", corpus)
    assert serial.returncode == parallel.returncode == 0
    assert serial.stdout == parallel.stdout and serial.stdout.count("\n") > 2000


# A story with what positions can go wrong on: CRLF, an emoji, defects of every family.
_LARGE_STORY = (
    "Headline 😀\r\n\r\nThe president of the [САЩ] spoke\u200b on Monday, 05/07/2024.\r\n\r\n"
    "The deal is off, sources said. Prices rose 5% on the news.\r\n\r\n"
)


@pytest.mark.slow
def test_a_large_file_shared_among_workers_gives_the_serial_output(tmp_path):
    big = tmp_path / "big.txt"
    repeat = 1_300_000 // len(_LARGE_STORY.encode("utf-8")) + 1  # over SPLIT_BYTES: checked chunk by chunk
    big.write_bytes(("2024-07-05 06:15:31\r\n" + _LARGE_STORY * repeat).encode("utf-8"))
    serial = run_checker("--no-cache", "-j", "1", "--format", "json", big)
    findings = json.loads(serial.stdout)
    assert {f["code"] for f in findings} >= {"TS101", "FS101", "TX101", "AT103"}
    assert max(f["line"] for f in findings) > 4 * repeat - 10  # findings up to the end of the file
    for options in (["-j", "2"], []):  # explicit, and the default (a large file turns workers on)
        parallel = run_checker("--no-cache", *options, "--format", "json", big)
        assert parallel.stdout == serial.stdout, options
        assert parallel.returncode == serial.returncode == 1


def test_a_large_unreadable_file_in_workers(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"\x00\x01" * 700_000)
    result = run_checker("--no-cache", "-j", "2", big)
    assert "CK001" in result.stdout and result.returncode == 1 and "Traceback" not in result.stderr


@pytest.mark.slow
def test_fix_on_a_large_file_is_the_same_with_workers(tmp_path):
    story = "Headline\n\nThe talks\u200b went on, officials said.\n\nThe president of the [САЩ] spoke.\n\n"
    text = story * (1_200_000 // len(story.encode("utf-8")) + 1)
    fixed = {}
    for jobs in ("1", "2"):
        path = tmp_path / f"big{jobs}.txt"
        path.write_text(text, encoding="utf-8")
        run_checker("--no-cache", "-j", jobs, "--fix", path)
        fixed[jobs] = path.read_bytes()
    assert fixed["1"] == fixed["2"] != text.encode("utf-8")
    assert "\u200b" not in fixed["2"].decode("utf-8")


@pytest.mark.slow
def test_a_large_markdown_file_with_code_fences_and_suppressions(tmp_path):
    block = (
        "# Title\n\nThe deal\u200b is off, sources said.\n\n```\n[САЩ] in code\n\nstill code\n```\n\n"
        "<!-- checker-disable FS101 -->\nThe [САЩ] here is allowed.\n<!-- checker-enable FS101 -->\n\n"
    )
    path = tmp_path / "big.md"
    path.write_text(block * (1_200_000 // len(block.encode("utf-8")) + 1), encoding="utf-8")
    serial = run_checker("--no-cache", "-j", "1", "--format", "json", path)
    parallel = run_checker("--no-cache", "-j", "2", "--format", "json", path)
    assert parallel.stdout == serial.stdout
    assert "TX101" in serial.stdout and "FS101" not in serial.stdout  # fences and suppressions held across chunks


def test_a_finding_crosses_to_the_parent_whole():
    """Findings come back from workers pickled by their values alone: every field survives."""
    import pickle

    from checker.findings import Finding, Fix

    finding = Finding("AT101", "unattributed-statement", "warning", "msg", 3, 9, Fix(3, 9, "x", False), "a.txt", 2, 4, 2, 10, (2, 4, 2, 10), "matched")
    assert pickle.loads(pickle.dumps(finding)) == finding
    assert pickle.loads(pickle.dumps(Finding("TX101", "n", "error", "m", 0, 1))) == Finding("TX101", "n", "error", "m", 0, 1)


# --- the processes that share the work (checker.runner._shared_map) ----------------

needs_fork = pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="the processes are forked")


def _share(function, items, jobs):
    from checker.runner import _shared_map

    delivered = []
    _shared_map(function, items, jobs, lambda index, value: delivered.append((index, value)))
    return delivered


@needs_fork
def test_every_item_is_delivered_once_and_the_children_share_the_work():
    import os
    import time

    def pid_and_square(item):
        time.sleep(0.001)  # long enough for the children to start before this process is done
        return os.getpid(), item * item

    delivered = _share(pid_and_square, list(range(600)), 3)
    assert sorted(index for index, _value in delivered) == list(range(600))
    assert all(value[1] == index * index for index, value in delivered)
    workers = {value[0] for _index, value in delivered}
    assert os.getpid() in workers and len(workers) == 3


@needs_fork
def test_values_larger_than_a_pipe_and_a_read_arrive_whole():
    """A chunk of a big file comes back as a large value: frames span many reads."""

    def big(item):
        return bytes([item % 256]) * 1_500_000

    delivered = _share(big, list(range(12)), 2)
    assert sorted(index for index, _value in delivered) == list(range(12))
    assert all(value == bytes([index % 256]) * 1_500_000 for index, value in delivered)


@needs_fork
def test_items_of_children_that_die_are_worked_out_here():
    import os
    import signal

    parent = os.getpid()

    def die_in_a_child(item):
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)  # killed, as by the system when memory runs out
        return item + 1

    delivered = _share(die_in_a_child, list(range(200)), 3)
    assert sorted(delivered) == [(i, i + 1) for i in range(200)]


@needs_fork
def test_an_error_here_stops_the_children_and_leaves_no_process_behind(monkeypatch):
    import os
    import time

    from checker.runner import _shared_map

    def slow(item):
        time.sleep(0.001)
        return item

    def deliver(index, _value):
        if index >= 0:
            raise ValueError("stop")

    forked = []
    fork = os.fork

    def recording_fork():
        pid = fork()
        if pid:
            forked.append(pid)
        return pid

    # the children of this map, not others of the test process (a Dask test's resource tracker)
    monkeypatch.setattr(os, "fork", recording_fork)
    with pytest.raises(ValueError):
        _shared_map(slow, list(range(500)), 3, deliver)
    assert len(forked) == 2
    for pid in forked:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # every child was waited for


def _findings(tree, jobs):
    """What check_paths gives for the tree (default settings, no cache), in a form that compares."""
    from checker import runner
    from checker.profiles import Profiles

    run = runner.check_paths([str(tree)], Profiles(), jobs=jobs)
    return [(r.path, r.findings, r.notices) for r in run.results], run.files_checked, run.missing


def test_without_fork_a_pool_gives_the_same_results(tree, monkeypatch):
    """Where processes cannot be forked (Windows), a pool of spawned workers checks the files."""
    from checker import runner

    serial = _findings(tree, 1)
    monkeypatch.setattr(runner, "_CAN_FORK", False)
    assert _findings(tree, 2) == serial and serial[1] > 60


def test_the_command_leaves_at_once_with_its_whole_output_and_code(tree, tmp_path):
    """`checker` skips freeing its objects at exit (checker.cli.entry): nothing written may be lost."""
    result = run_checker("--no-cache", "--language", "en", "--format", "json", tree)
    assert len(json.loads(result.stdout)) > 90 and result.returncode == 2  # the dangling symlink: exit 2
    assert "dangling.txt: cannot read" in result.stderr  # a notice, on standard error
    report = tmp_path / "report.json"
    assert run_checker("--no-cache", "--language", "en", "--format", "json", "-o", report, tree).returncode == 2
    assert json.loads(report.read_text(encoding="utf-8")) == json.loads(result.stdout)


@pytest.mark.slow
@pytest.mark.parametrize("can_fork", [True, False])
def test_a_large_file_among_many_is_shared_by_the_workers(tree, monkeypatch, can_fork):
    """A large file among many is checked chunk by chunk in the workers (forked or a
    pool), and gives the serial result."""
    from checker import runner

    big = tree / "d3" / "big.txt"
    big.write_bytes(("2024-07-05 06:15:31\r\n" + _LARGE_STORY * (1_300_000 // len(_LARGE_STORY) + 1)).encode("utf-8"))
    serial = _findings(tree, 1)
    split = []
    original_split = runner._check_split
    monkeypatch.setattr(runner, "_check_split", lambda task, *rest: split.append(task[0]) or original_split(task, *rest))
    monkeypatch.setattr(runner, "_CAN_FORK", can_fork)
    assert _findings(tree, 2) == serial
    assert split == [str(big)] and len(serial[0]) > 90
