"""checker.beside: start-up work done in a forked helper gives the same result
as work done in place, and falls back to it whenever the helper fails."""

import os
import threading
import time

import pytest

from checker import beside, phrases
from checker.kinds import attribution
from checker.rules import builtin_rules_dir, load_rules

needs_helpers = pytest.mark.skipif(not beside._can_fork(), reason="no fork, or one CPU: the work is always done in place")


def _collect(function, *args, allowed=True):
    """The results delivered for each call, and how many were delivered before `finish`."""
    delivered = []
    with beside.helpers(allowed):
        for arguments in args:
            beside.call(function, arguments, delivered.append)
        early = len(delivered)
    return delivered, early


@needs_helpers
def test_the_work_is_done_in_another_process_and_delivered_in_order():
    delivered, early = _collect(lambda tag: (tag, os.getpid()), ("a",), ("b",))
    assert early == 0  # nothing before finish: the helpers had the work
    assert [tag for tag, _pid in delivered] == ["a", "b"]
    assert all(pid != os.getpid() for _tag, pid in delivered)


def test_not_allowed_the_work_is_done_here_at_once():
    delivered, early = _collect(lambda tag: (tag, os.getpid()), ("a",), allowed=False)
    assert early == 1 and delivered == [("a", os.getpid())]


@needs_helpers
def test_a_failing_helper_leaves_the_work_to_this_process():
    parent = os.getpid()

    def fails_in_the_helper():
        if os.getpid() != parent:
            raise RuntimeError("helper failed")
        return "done here"

    def killed_in_the_helper():
        if os.getpid() != parent:
            os.kill(os.getpid(), 9)
        return "done here too"

    def not_plain_data():
        return object() if os.getpid() != parent else "plain here"

    delivered, early = _collect(lambda f: f(), (fails_in_the_helper,), (killed_in_the_helper,), (not_plain_data,))
    assert early == 0
    assert delivered == ["done here", "done here too", "plain here"]


@needs_helpers
def test_the_helper_makes_its_result_plain_data_first():
    """marshal takes no subclass of its types (the regex engine's opcodes are int subclasses)."""

    class Named(int):
        pass

    delivered = []
    with beside.helpers():
        beside.call(lambda: [Named(3), 4], (), delivered.append, lambda value: [int(v) for v in value])
        beside.call(lambda: [Named(3), 4], (), delivered.append)  # not plain: done in place again
    assert delivered == [[3, 4], [3, 4]]
    assert [type(v) for v in delivered[0]] == [int, int] and type(delivered[1][0]) is Named


@needs_helpers
def test_no_helper_while_other_threads_run():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        delivered, early = _collect(lambda: os.getpid(), ())
    finally:
        stop.set()
        thread.join()
    assert early == 1 and delivered == [os.getpid()]


@needs_helpers
def test_an_error_while_loading_stops_and_reaps_the_helpers():
    pids = []

    def spy_fork(function, args, to_plain=None):
        started = real_fork(function, args, to_plain)
        pids.append(started[0])
        return started

    real_fork = beside._fork
    beside._fork = spy_fork
    start = time.monotonic()
    try:
        with pytest.raises(ValueError):
            with beside.helpers():
                beside.call(time.sleep, (60,), print)
                raise ValueError("a bad rule")
    finally:
        beside._fork = real_fork
    assert time.monotonic() - start < 30
    assert beside._pending == []
    with pytest.raises(ChildProcessError):  # reaped: no such child any more
        os.waitpid(pids[0], os.WNOHANG)


def _index_of_fresh_lexicon(monkeypatch, helper):
    monkeypatch.setattr(attribution, "_LEXICONS", {})  # a Lexicon is built once per process
    rule = next(r for r in load_rules([builtin_rules_dir()], helper=helper) if r.code == "AT101")
    return rule.prepared.index.regex


@needs_helpers
def test_the_phrase_index_from_the_helper_equals_the_one_built_here(monkeypatch):
    built_here = []
    real = phrases._index_code

    def spy(phrase_sets):
        built_here.append(os.getpid())
        return real(phrase_sets)

    monkeypatch.setattr(phrases, "_index_code", spy)
    in_place = _index_of_fresh_lexicon(monkeypatch, helper=False)
    assert built_here == [os.getpid()]
    from_helper = _index_of_fresh_lexicon(monkeypatch, helper=True)
    assert built_here == [os.getpid()]  # the second index was built elsewhere
    assert (from_helper.pattern, from_helper.flags, from_helper.groups) == (in_place.pattern, in_place.flags, in_place.groups)
    text = " According to officials, the minister said, sources close to the talks reportedly agreed; ÉTÉ said\n"
    assert [m.start() for m in from_helper.finditer(text)] == [m.start() for m in in_place.finditer(text)] != []


def test_one_job_means_one_process_while_the_rules_load(monkeypatch, tmp_path):
    from checker import cli, rules

    asked = []
    real = rules.load_rules

    def spy(folders, overrides=None, helper=False):
        asked.append(helper)
        return real(folders, overrides, helper)

    monkeypatch.setattr(rules, "load_rules", spy)
    story = tmp_path / "story.txt"
    story.write_text("Headline\n\nThe minister resigned, the ministry said.\n", encoding="utf-8")
    assert cli.main(["--no-cache", "-j", "1", str(story)]) == 0
    assert cli.main(["--no-cache", str(story)]) == 0
    assert asked == [False, True]
