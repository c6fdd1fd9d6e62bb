"""`checker serve`: the HTTP service (the `serve` extra: Starlette and Hypercorn).

    POST /v2/check      LanguageTool's API: form-encoded `text` or `data`, `language`
    GET  /v2/languages  LanguageTool's list of languages
    POST /api/check     JSON in (text, path or format hint, options), checker's JSON findings out;
                        the text may be any format the command line reads (ninjs, HTML...)
    GET  /api/rules     the rules loaded; /api/rules/CODE one, with its explanation
    GET  /health        up, and how busy

This module holds what runs in the checking workers (the jobs, over
`checker.api.Linter`, with no HTTP library); `checker/service_app.py` is the
HTTP side. Rules are the server's: its configuration (`--config`, else the one
nearest the folder it starts in) is read at start-up, once per worker process,
and no request can name a file to read or a rule folder to load (`path` is a
label for the findings and, by its suffix, a format hint).
"""

import argparse
import json
import os

from checker import __version__
from checker.errors import CheckerError, UsageError
from checker.formats import PLAIN

DEFAULT_PORT = 8081  # LanguageTool's own: its clients' "local server" setting points here
# What a request's `options` may set: selection and how to read the copy; never
# configuration files, rule folders or the cache.
REQUEST_OPTIONS = ("select", "ignore", "extend_select", "timezone", "date_order", "main_script", "language")
_LIST_OPTIONS = ("select", "ignore", "extend_select")
_NATIVE_FIELDS = ("text", "path", "format", "doc_id", "published", "language", "options")


def main(argv):
    """`checker serve [--host H] [--port P] ...`: serve until interrupted."""
    args = _parser().parse_args(argv)
    try:
        import hypercorn  # noqa: F401
        import starlette  # noqa: F401
    except ImportError:
        raise UsageError("`checker serve` needs the serve extra: pip install 'news-provenance-checker[serve]'") from None
    options = base_options(args)
    rules = _load_rules(options)  # before binding: a bad configuration is a one-line error, exit 2
    from checker.service_app import serve  # lazy: the extra is there

    return serve(args, options, rules)


def _parser():
    from checker.cli import whole_number  # lazy: the workers import this module, not the command line
    from checker.workers import default_size  # lazy: start-up

    parser = argparse.ArgumentParser(prog="checker serve", description="The checker as an HTTP service (LanguageTool's API and its own).")
    add = parser.add_argument
    add("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    add("--port", type=int, default=DEFAULT_PORT, help=f"port (default: {DEFAULT_PORT}, LanguageTool's; 0: any free one)")
    add("--config", metavar="FILE", help="configuration file (default: the one nearest the current folder)")
    add("--workers", type=whole_number, default=default_size(), help="checking processes (default: one per CPU)")
    add("--queue", type=whole_number, default=64, help="requests that may wait for a worker; past it: 503 (default: 64)")
    add("--max-request-bytes", type=whole_number, default=1 << 20, help="largest request body; past it: 413 (default: 1 MiB)")
    add("--max-findings", type=whole_number, default=1000, help="findings returned per request, the first ones (default: 1000)")
    add("--rule-timeout", type=float, default=2.0, help="seconds a rule may spend on a request's text (CK004 past it; default: 2)")
    add("--request-timeout", type=float, default=10.0, help="seconds a check may take in all; past it the worker is replaced and the answer is 504 (default: 10)")
    add("--header-timeout", type=float, default=10.0, help="seconds a client has to send a request's headers, and an idle connection stays open (default: 10)")
    add("--body-timeout", type=float, default=10.0, help="seconds a client has to send a request's body; past it: 408 (default: 10)")
    add("--worker-memory", type=whole_number, default=2048, metavar="MIB", help="address space a worker may use, in MiB (default: 2048)")
    add("--allow-origin", metavar="ORIGIN", help="answer browsers' cross-origin requests from this origin ('*': any), as LanguageTool's --allow-origin")
    add("--no-cache", action="store_true", help="do not use the compiled-rule cache (.checker_cache in the current folder)")
    return parser


def base_options(args):
    """The Linter options every request starts from (the server's configuration)."""
    from checker.config import find_config  # lazy: start-up

    config = args.config or find_config(os.getcwd())
    if args.config and not os.path.isfile(args.config):
        raise UsageError(f"--config {args.config}: no such file")
    return {"config": str(config) if config else None, "rule_timeout": args.rule_timeout, "cache_dir": None if args.no_cache else ".checker_cache"}


def _load_rules(options):
    from checker.api import Linter  # lazy: start-up

    return Linter(**options)._profile_for_text().all_rules


# --- what runs in a worker process ------------------------------------------------------


class WorkerState:
    """A worker's checker: the server's Linter, its rules loaded once."""

    def __init__(self, options):
        from checker.api import Linter  # lazy: start-up

        self.options = options
        self.linter = Linter(**options)
        self.linter.lint("The rules are loaded once, here.")  # load and compile now, not on the first request
        self.rules = self.linter._profile_for_text().all_rules

    def linter_with(self, selection):
        """The server's Linter with a request's options on top (the API keeps the most recent few loaded)."""
        from checker.api import Linter  # lazy: start-up

        return Linter(**{**self.options, **selection}) if selection else self.linter


def worker_setup(options):
    return WorkerState(options)


def _check(linter, text, *, path="<text>", markdown=False, language=None, published=None, doc_id=None):
    """The pipeline's result for one text with a Linter's rules and settings: what
    `Linter.lint` returns (findings), with the language the document was read in."""
    from checker.api import publication_date  # lazy: start-up
    from checker.pipeline import About, check_record  # lazy: start-up

    profile = linter._profile_for_text()
    about = About(publication_date(published), language) if published is not None or language else None
    return check_record(text, path, profile.rules, profile.settings, markdown, doc_id, about)


def _answer(status, body):
    return status, json.dumps(body, ensure_ascii=False).encode("utf-8")


def error_body(status, message):
    return {"error": {"status": status, "message": message}}


def languagetool_job(state, form, rule_url, max_matches):
    """`POST /v2/check` in a worker: (status, JSON bytes)."""
    from checker import languagetool  # lazy: start-up

    try:
        annotated, language, selection = languagetool.parameters(form)
        selection = languagetool.known_selection(selection, state.rules)
        linter = state.linter_with(selection)
        if selection.get("select") == []:  # enabledOnly, and none of the rules is the checker's
            findings, detected = [], None
        else:
            result = _check(linter, annotated.plain, language=language)
            findings, detected = result.findings, result.language
        rules_by_code = {rule.code: rule for rule in state.rules}
        incomplete = "a rule ran past the time bound (CK004)" if any(f.code == "CK004" for f in findings) else None
        body = languagetool.response(
            annotated, findings, rules_by_code, language=language, detected=detected, version=__version__,
            rule_url=rule_url, max_matches=max_matches, incomplete=incomplete,
        )
        return _answer(200, body)
    except (CheckerError, ValueError) as exc:
        return _answer(400, error_body(400, str(exc)))


def native_job(state, request, max_findings):
    """`POST /api/check` in a worker: (status, JSON bytes)."""
    try:
        text, path, requested_format, selection, extra = native_parameters(request)
        linter = state.linter_with(selection)
        profile = linter._profile_for_text()
        source_format = resolved_format(requested_format, path, text, profile.settings, extra)
        if source_format in PLAIN:
            result = _check(linter, text, path=path, markdown=source_format == "markdown", **extra)
        else:  # an agency format: findings at the lines and columns of the text as sent
            from checker.pipeline import check_bytes  # lazy: start-up

            result = check_bytes(text.encode("utf-8", "surrogatepass"), path, profile.rules, profile.settings, source_format)
            if result.skipped:
                raise ValueError(f"not read as {source_format}: {result.skipped}")
        findings = result.findings
        body = {"findings": [f.as_dict() for f in findings[:max_findings]], "language": result.language, "truncated": len(findings) > max_findings}
        if body["truncated"]:
            body["total"] = len(findings)
        return _answer(200, body)
    except (CheckerError, ValueError) as exc:
        return _answer(400, error_body(400, str(exc)))


def native_parameters(request):
    """(text, path, the `format` field or None, Linter options, lint keywords) from a
    `POST /api/check` body (a dict); ValueError naming what is wrong."""
    if not isinstance(request, dict):
        raise ValueError("the body is a JSON object: {\"text\": \"...\", \"path\": \"story.md\", \"options\": {...}}")
    unknown = sorted(set(request) - set(_NATIVE_FIELDS))
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r} (known: {', '.join(_NATIVE_FIELDS)})")
    text = request.get("text")
    if not isinstance(text, str):
        raise ValueError("'text' (a string) is required: the copy to check; the server reads no file")
    path = request.get("path", "<text>")
    if not isinstance(path, str) or not path or len(path) > 1000:
        raise ValueError("'path' is a label of up to 1000 characters (its suffix says the format)")
    from checker.formats import FORMATS  # lazy: start-up

    fmt = request.get("format")
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"'format' is one of {', '.join(FORMATS)}, not {fmt!r}")
    extra = {}
    for name in ("language", "published"):
        if request.get(name) is not None:
            if not isinstance(request[name], str):
                raise ValueError(f"'{name}' is a string")
            extra[name] = request[name]
    doc_id = request.get("doc_id")
    if doc_id is not None and not isinstance(doc_id, (str, int)):
        raise ValueError("'doc_id' is a string or a number")
    extra["doc_id"] = doc_id
    return text, path, fmt, request_options(request.get("options") or {}), extra


def resolved_format(requested, path, text, settings, extra):
    """The format to read a request's text in: its `format` field, else the server's
    `input-format` (as the command line and the language server take it), else the
    path's suffix confirmed by the text (checker.formats.format_of)."""
    from checker.formats import format_of  # lazy: start-up

    source_format = requested or format_of(path, text, settings.input_format)
    if source_format not in PLAIN and any(value is not None for value in extra.values()):
        raise ValueError(f"'published', 'language' and 'doc_id' go with text or Markdown; {source_format} carries its own")
    return source_format


def request_options(options):
    """A request's `options` as Linter options; ValueError for anything else."""
    if not isinstance(options, dict):
        raise ValueError("'options' is an object")
    selection = {}
    for name, value in options.items():
        key = name.replace("-", "_")
        if key not in REQUEST_OPTIONS:
            raise ValueError(f"option {name!r} is not one a request may set (allowed: {', '.join(REQUEST_OPTIONS)}); rules and configuration are the server's")
        if key in _LIST_OPTIONS:
            value = [t.strip() for t in value.split(",") if t.strip()] if isinstance(value, str) else value
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or len(value) > 200:
                raise ValueError(f"option {name!r} is a list of rule codes, prefixes or names")
        elif not isinstance(value, str):
            raise ValueError(f"option {name!r} is a string")
        selection[key] = value
    return selection
