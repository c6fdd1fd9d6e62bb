"""`checker server`: the language server (LSP over standard input and output;
the `lsp` extra: pygls and lsprotocol).

Each open document is checked as `checker PATH` would check the file it is
(the configuration nearest it, its per-file ignores, its exclude patterns as
with --force-exclude, Markdown by suffix or language id), through the same
pipeline (`pipeline.check_record`), with the buffer's text: on open and on
save at once, on change after a pause (`lsp_server.DEBOUNCE_SECONDS`). Diagnostics carry the
document version they were made from and are cleared on close. A configuration
or rule file that changes (workspace/didChangeWatchedFiles, a watcher the server
registers) reloads the settings and rules and re-checks every open document.

Checks run in the event loop's thread, the process's main thread, so the rule
clock (SIGALRM) bounds every rule as on the command line. Positions are sent in
the encoding negotiated: UTF-32 (the checker's code points) when the client
offers it, else UTF-16 (checker.textunits converts).

This module holds what needs no LSP library (the command, the documents and
how they are checked); `checker/lsp_server.py` speaks the protocol (pygls).
"""

import argparse
import logging
import os
import sys
from pathlib import Path

from checker.errors import UsageError

_CONFIG_NAMES = (".checker.toml", "checker.toml", "pyproject.toml")
_RULE_SUFFIXES = (".yaml", ".yml")
WATCHED = [f"**/{name}" for name in _CONFIG_NAMES] + [f"**/*{suffix}" for suffix in _RULE_SUFFIXES]
_MARKDOWN_IDS = ("markdown", "mdx")


def main(argv):
    """`checker server [--docs-url TEMPLATE] [--no-cache]`: serve LSP on stdio until the client exits."""
    parser = argparse.ArgumentParser(prog="checker server", description="The checker's language server (LSP on standard input and output).")
    parser.add_argument("--docs-url", metavar="TEMPLATE", help="link of each rule's documentation, with {code} and {name} (default: the rule's YAML file, as a file: URI)")
    parser.add_argument("--no-cache", action="store_true", help="do not use the compiled-rule cache (.checker_cache in the current folder)")
    parser.add_argument("--log-file", metavar="FILE", help="write the server's log here (standard output carries the protocol)")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code or 0
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        raise UsageError("`checker server` needs the lsp extra: pip install 'news-provenance-checker[lsp]'") from None
    if args.docs_url:
        try:
            args.docs_url.format(code="FS101", name="foreign-script-fragment")
        except (KeyError, IndexError, ValueError) as exc:
            raise UsageError(f"--docs-url {args.docs_url!r}: use {{code}} and {{name}} only ({exc})") from None
    if args.log_file:
        logging.basicConfig(filename=args.log_file, level=logging.INFO)
    from checker.lsp_server import build_server  # lazy: the extra is there

    server = build_server(Documents(cache_dir=None if args.no_cache else ".checker_cache", docs_url=args.docs_url))
    # The protocol gets its own copy of standard output, and file descriptor 1 then
    # points at standard error: nothing else written to standard output (a notice, a
    # library's print) can corrupt the protocol's stream.
    protocol_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    server.start_io(sys.stdin.buffer, protocol_out)
    return 0


class Documents:
    """What the server knows of the open documents and how to check them: no LSP types here."""

    def __init__(self, cache_dir=".checker_cache", docs_url=None):
        self.cache_dir = cache_dir
        self.docs_url = docs_url
        self.profiles = None
        self.reload()

    def reload(self):
        """Forget every configuration and rule set read: the next check reads them again."""
        from checker.profiles import Profiles  # lazy: start-up

        self.profiles = Profiles({}, None, self.cache_dir)

    def profile_for(self, path):
        return self.profiles.for_file(path) if path else self.profiles.for_text()

    def check(self, text, path, markdown):
        """(findings, profile) of `text` as the file at `path` (None: an unsaved buffer,
        checked with the defaults); findings None when the configuration excludes it.
        Raises CheckerError for a bad configuration or rule file."""
        from checker.discover import is_excluded  # lazy: start-up
        from checker.pipeline import check_record  # lazy: start-up
        from checker.suppress import without_per_file_ignores  # lazy: start-up

        profile = self.profile_for(path)
        settings = profile.settings
        if path and settings.root and is_excluded(path, settings.all_excludes, settings.root):
            return None, profile
        source_format = _stored_format(text, path, settings)
        if source_format is None:
            findings = check_record(text, path or "<buffer>", profile.rules, settings, markdown).findings
        else:  # ninjs, NewsML-G2, HTML, an archive: read as the command line reads the file
            from checker.pipeline import check_bytes  # lazy: start-up

            findings = check_bytes(text.encode("utf-8", "surrogatepass"), path, profile.rules, settings, source_format).findings
        if path:
            findings = without_per_file_ignores(path, findings, settings)
        return findings, profile

    def rule(self, profile, code):
        for rule in profile.all_rules:
            if rule.code == code:
                return rule
        return None

    def docs_href(self, rule):
        if self.docs_url:
            return self.docs_url.format(code=rule.code, name=rule.name)
        return Path(rule.path).resolve().as_uri()

    def watches(self, path):
        """Does a change to `path` change what a check finds (a configuration, a rule or data file)?"""
        name = os.path.basename(path)
        if name in _CONFIG_NAMES:
            return True
        if not name.endswith(_RULE_SUFFIXES):
            return False
        folders = {os.path.abspath(d) for profile in self.profiles.every() for d in profile.settings.rule_dirs}
        path = os.path.abspath(path)
        return any(path.startswith(folder + os.sep) for folder in folders)


class OpenDocument:
    """One open document: its text and version, and the last check of it."""

    def __init__(self, uri, text, version, language_id):
        self.uri, self.path, self.text, self.version = uri, path_of(uri), text, version
        self.markdown = language_id in _MARKDOWN_IDS or (self.path or "").lower().endswith((".md", ".markdown"))
        self.checked_version = None  # the version the findings below belong to
        self.findings = []
        self.profile = None
        self.pending = None  # the debounce timer of a change


def _stored_format(text, path, settings):
    """The agency format a saved buffer is in (checker.formats.format_of, as for its file), or
    None for plain text and Markdown, which are checked as the buffer's text."""
    if not path:
        return None
    from checker.formats import PLAIN, format_of  # lazy: start-up

    source_format = format_of(path, text, settings.input_format)
    return None if source_format in PLAIN else source_format


def path_of(uri):
    """The file-system path of a file: URI, or None (untitled buffers and other schemes)."""
    if not uri or not uri.startswith("file:"):
        return None
    from urllib.parse import unquote, urlparse  # lazy: start-up
    from urllib.request import url2pathname  # lazy: start-up

    parsed = urlparse(uri)
    return os.path.normpath(url2pathname(unquote(parsed.path)))


def folder_for_new_config(root, path):
    """Where a new configuration goes: the workspace folder when it holds the file, else the file's folder."""
    folder = os.path.dirname(os.path.abspath(path))
    if root:
        root = os.path.abspath(root)
        if folder == root or folder.startswith(root + os.sep):
            return root
    return folder
