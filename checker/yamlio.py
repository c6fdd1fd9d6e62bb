"""YAML reading for rule, data and front-matter files.

Safe loading only (no Python tags), dates kept as strings (PyYAML would turn
`2024-07-05 06:15:31` into a datetime and crash on `2024-02-30`), duplicate keys
rejected, and every mapping and list remembers where its items stand so that a
validation error can say `path:line:col`.

PyYAML is imported only when something is parsed: a run whose compiled rule
set comes from the cache never pays for it.
"""

from checker.errors import RuleError


class YamlMap(dict):
    """A mapping that knows the 1-based (line, column) of itself and of each key."""

    mark = (1, 1)
    marks: dict

    def where(self, key=None):
        return self.marks.get(key, self.mark) if key is not None else self.mark


class YamlList(list):
    mark = (1, 1)
    marks: list

    def where(self, index=None):
        if index is None or index >= len(self.marks):
            return self.mark
        return self.marks[index]


def _pos(node):
    return (node.start_mark.line + 1, node.start_mark.column + 1)


_LOADER = None


def _loader():
    """The safe loader class, built on first use (the C loader when present)."""
    global _LOADER
    if _LOADER is not None:
        return _LOADER
    import yaml  # lazy: start-up

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):
        pass

    # Drop the timestamp resolver: dates stay strings.
    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
    Loader.add_constructor("tag:yaml.org,2002:seq", _construct_list)
    Loader.add_multi_constructor("", _reject_unknown_tag)
    _LOADER = Loader
    return Loader


_STRING = "tag:yaml.org,2002:str"


def _construct(loader, node):
    """loader.construct_object(node, deep=True), and at once for a plain string,
    which is what PyYAML makes of it: most of the items of a lexicon are, and the
    general way takes a few calls each (a tenth of the start of a run)."""
    if node.tag == _STRING and node.id == "scalar":
        return node.value
    return loader.construct_object(node, deep=True)


def _construct_map(loader, node):
    import yaml  # lazy: start-up

    result = YamlMap()
    result.mark = _pos(node)
    result.marks = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = _construct(loader, key_node)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            ) from None
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = _construct(loader, value_node)
        result.marks[key] = _pos(key_node)
    return result


def _construct_list(loader, node):
    result = YamlList(_construct(loader, child) for child in node.value)
    result.mark = _pos(node)
    result.marks = [_pos(child) for child in node.value]
    return result


def _reject_unknown_tag(loader, suffix, node):
    import yaml  # lazy: start-up

    raise yaml.constructor.ConstructorError(
        None, None, f"tag {node.tag!r} is not allowed in checker files (data only)", node.start_mark
    )


def load_yaml(text, path):
    """Parse one YAML document; raise RuleError(path, line, col) on any problem."""
    import yaml  # lazy: start-up

    try:
        return yaml.load(text, Loader=_loader())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise RuleError(path, problem, line, column) from None
    except yaml.YAMLError as exc:
        raise RuleError(path, f"invalid YAML: {exc}".splitlines()[0]) from None
    except RecursionError:
        raise RuleError(path, "nested too deeply") from None


# When a list, every file load_yaml_file reads is appended as (path, bytes):
# the rule-set cache keys on the data files the rules actually used.
files_read = None


def load_yaml_file(path):
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise RuleError(path, f"cannot read: {exc.strerror or exc}") from None
    if files_read is not None:
        files_read.append((str(path), raw))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RuleError(path, f"not UTF-8 (byte {exc.start})") from None
    return load_yaml(text, path)
