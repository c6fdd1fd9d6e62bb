"""checker.records: the value classes' equality, repr, copies, dicts and (for frozen ones) immutability."""

import pickle

import pytest

from checker.config import DEFAULT_INCLUDE, Settings
from checker.document import Header, Paragraph, Sentence, Span
from checker.findings import Finding, Fix
from checker.kinds.dates import Mention


def test_equality_is_by_field_and_by_class():
    assert Sentence(0, 3, "Hi.", 0, 0) == Sentence(0, 3, "Hi.", 0, 0)
    assert Sentence(0, 3, "Hi.", 0, 0) != Sentence(0, 3, "Hi.", 0, 1)
    assert Span(0, 3, "Hi.") != (0, 3, "Hi.") and Fix(0, 1, "x") == Fix(0, 1, "x", True)
    assert Finding("AT101", "n", "warning", "m", 0, 3) != Finding("AT101", "n", "warning", "m", 0, 4)


def test_defaults_are_fresh_per_instance():
    first, second = Header(), Header()
    first.metadata_timestamps.append(("date", Span(0, 1, "x")))
    assert second.metadata_timestamps == [] and Paragraph(0, 1).sentences is not Paragraph(0, 1).sentences
    assert Settings().ignore is not Settings().ignore and Settings().include is not Settings().include
    assert Settings().include == DEFAULT_INCLUDE and "*.txt" in DEFAULT_INCLUDE and "*.jsonl" in DEFAULT_INCLUDE


def test_repr_names_every_field_in_order():
    assert repr(Span(1, 2, "a")) == "Span(start=1, end=2, text='a')"
    assert repr(Mention(0, 6, "July 6", "month-day", 7, 6)).startswith("Mention(start=0, end=6, text='July 6', style='month-day', month=7, day=6, year=None")


def test_replace_makes_a_changed_copy_and_refuses_unknown_fields():
    finding = Finding("AT101", "n", "warning", "m", 0, 3, fix=Fix(0, 3, "x"))
    changed = finding.replace(line=7, fix=finding.fix.replace(safe=False))
    assert (changed.line, changed.fix.safe, finding.line, finding.fix.safe) == (7, False, 1, True)
    assert changed.replace(line=1, fix=finding.fix) == finding
    with pytest.raises(TypeError, match="no field 'colour'"):
        finding.replace(colour="red")


def test_as_dict_lists_the_fields_in_order():
    assert Fix(1, 2, "x").as_dict() == {"start": 1, "end": 2, "replacement": "x", "safe": True}
    assert list(Settings().as_dict())[:3] == ["select", "ignore", "extend_select"]


def test_frozen_records_refuse_changes_and_hash_by_value():
    span = Span(1, 2, "a")
    with pytest.raises(AttributeError):
        span.start = 5
    with pytest.raises(AttributeError):
        del span.text
    assert {span, Span(1, 2, "a")} == {span} and hash(Fix(0, 1, "x")) == hash(Fix(0, 1, "x"))
    with pytest.raises(TypeError):
        hash(Sentence(0, 1, "a", 0, 0))  # mutable records are unhashable


def test_records_survive_pickling():
    values = [Span(1, 2, "a"), Fix(0, 1, "x", False), Finding("AT101", "n", "warning", "m", 0, 3, fix=Fix(0, 3, "y")), Settings(language="en")]
    assert pickle.loads(pickle.dumps(values)) == values


def test_slotted_records_have_no_dict():
    with pytest.raises(AttributeError):
        Sentence(0, 1, "a", 0, 0).colour = "red"
    with pytest.raises(AttributeError):
        _ = Finding("AT101", "n", "warning", "m", 0, 3).__dict__
