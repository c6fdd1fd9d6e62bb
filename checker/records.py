"""The base of the checker's small value classes (findings, spans, settings, rules...).

They were dataclasses. Importing `dataclasses` (which imports `inspect`, and with
it `ast`, `dis` and `tokenize`) and building the classes was a large part of a
warm pre-commit run on one file (docs/performance.md). Here each class lists
its fields in FIELDS and writes its own `__init__` (no code is generated at
import); equality, repr, copies and dicts come from FIELDS.
"""


class Record:
    """Equality, repr, `replace` and `as_dict` by the fields in FIELDS, in order."""

    __slots__ = ()
    FIELDS = ()

    def _values(self):
        return tuple(getattr(self, name) for name in self.FIELDS)

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    __hash__ = None  # mutable, so unhashable (as a dataclass with eq=True)

    def __repr__(self):
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.FIELDS)
        return f"{type(self).__qualname__}({fields})"

    def as_dict(self):
        """{field: value}, one level deep (a record inside stays a record)."""
        return self.fields()

    def fields(self):
        """{field: value} of every field in FIELDS (what `as_dict` gives unless a class
        gives its own public form)."""
        return {name: getattr(self, name) for name in self.FIELDS}

    def replace(self, **changes):
        """A copy with `changes` (field: new value), made through __init__ as dataclasses.replace does."""
        unknown = set(changes) - set(self.FIELDS)
        if unknown:
            raise TypeError(f"{type(self).__qualname__} has no field {sorted(unknown)[0]!r}")
        return type(self)(**{**self.fields(), **changes})


class FrozenRecord(Record):
    """A record whose fields cannot change once made: hashable, usable as a key."""

    __slots__ = ()

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r} of a frozen {type(self).__qualname__}")

    def __delattr__(self, name):
        raise AttributeError(f"cannot delete field {name!r} of a frozen {type(self).__qualname__}")

    def __hash__(self):
        return hash(self._values())

    def __reduce__(self):
        return (type(self), self._values())

    def _set(self, **values):
        """Set the fields in __init__ (assignment is refused afterwards)."""
        for name, value in values.items():
            object.__setattr__(self, name, value)
