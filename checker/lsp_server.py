"""The language server's LSP side (pygls): what `checker server` answers to each
message. What is checked, and how, is `checker.lsp.Documents`; the edits offered
are `checker.editor_actions`; units are converted by `checker.textunits`.
"""

import asyncio
import logging
import os
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method

from checker import __version__, editor_actions
from checker.errors import CheckerError
from checker.lsp import WATCHED, OpenDocument, folder_for_new_config, path_of
from checker.report import shown_message
from checker.textunits import UTF16, UTF32, LineIndex

DEBOUNCE_SECONDS = 0.25  # after a change, the pause before checking: typing is not checked key by key
FIX_ALL_KIND = "source.fixAll.checker"
_LOG = logging.getLogger("checker.lsp")
_SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning, "info": types.DiagnosticSeverity.Information}


class _Protocol(LanguageServerProtocol):
    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params):
        # UTF-32 where the client offers it (the checker's own code points), else
        # UTF-16, which every client understands; pygls then takes the one left.
        general = params.capabilities.general
        if general is not None and general.position_encodings:
            utf32 = types.PositionEncodingKind.Utf32
            general.position_encodings = [utf32 if utf32 in list(general.position_encodings) else types.PositionEncodingKind.Utf16]
        return (yield from super().lsp_initialize(params))


class CheckerServer(LanguageServer):
    """The server: open documents, their last check, and what the client can do."""

    def __init__(self, documents):
        super().__init__("checker", __version__, protocol_cls=_Protocol, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.documents = documents  # checker.lsp.Documents: settings, rules, checking
        self.open = {}  # uri -> OpenDocument
        self.root = None
        self.document_changes = self.create_files = self.watch = False
        self.errors_shown = set()

    # --- units and shapes -------------------------------------------------------------
    @property
    def encoding(self):
        return UTF32 if self.workspace.position_encoding == types.PositionEncodingKind.Utf32 else UTF16

    def range_of(self, index, start, end):
        (line, character), (end_line, end_character) = index.position(start), index.position(max(end, start))
        return types.Range(types.Position(line, character), types.Position(end_line, end_character))

    def diagnostic(self, index, finding, profile):
        rule = self.documents.rule(profile, finding.code)
        return types.Diagnostic(
            range=self.range_of(index, finding.start, finding.end), message=shown_message(finding),
            severity=_SEVERITY.get(finding.severity, types.DiagnosticSeverity.Information), code=finding.code,
            code_description=types.CodeDescription(href=self.documents.docs_href(rule)) if rule is not None else None,
            source="checker", data={"name": finding.name, "fix": finding.fix is not None},
        )

    # --- checking ----------------------------------------------------------------------
    def check_now(self, doc):
        """Check the document's current text and publish its diagnostics, with its version."""
        if doc.pending is not None:
            doc.pending.cancel()
            doc.pending = None
        try:
            findings, profile = self.documents.check(doc.text, doc.path, doc.markdown)
        except CheckerError as exc:
            return self.publish_error(doc, str(exc))
        doc.findings, doc.profile, doc.checked_version = findings or [], profile, doc.version
        index = LineIndex(doc.text, self.encoding)
        diagnostics = [self.diagnostic(index, f, profile) for f in doc.findings]
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=doc.uri, diagnostics=diagnostics, version=doc.version))
        return None

    def publish_error(self, doc, message):
        """A configuration or rule error: one diagnostic at the top, and the message shown once."""
        doc.findings, doc.checked_version = [], None
        if message not in self.errors_shown:
            self.errors_shown.add(message)
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=f"checker: {message}"))
        here = types.Range(types.Position(0, 0), types.Position(0, 0))
        error = types.Diagnostic(range=here, message=f"checker cannot check this file: {message}", severity=types.DiagnosticSeverity.Error, source="checker")
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=doc.uri, diagnostics=[error], version=doc.version))

    def current(self, doc):
        """The findings of the document's current text (checked now when the last check is older)."""
        if doc.checked_version != doc.version or doc.profile is None:
            self.check_now(doc)
        return doc.findings if doc.checked_version == doc.version else None

    def schedule(self, doc):
        if doc.pending is not None:
            doc.pending.cancel()
        doc.pending = asyncio.get_running_loop().call_later(DEBOUNCE_SECONDS, self.check_now, doc)

    def reload(self):
        self.documents.reload()
        self.errors_shown.clear()
        for doc in list(self.open.values()):
            doc.profile = None
            self.check_now(doc)

    # --- hover -------------------------------------------------------------------------
    def hover(self, doc, position):
        from checker.cli import explanation  # lazy: start-up

        findings = self.current(doc)
        if not findings:
            return None
        index = LineIndex(doc.text, self.encoding)
        offset = index.offset(position.line, position.character)
        here = [f for f in findings if f.start <= offset <= max(f.end, f.start)]
        if not here:
            return None
        parts, explained = [], set()
        for finding in here:
            parts.append(f"**{finding.code}** {finding.message}")
            rule = self.documents.rule(doc.profile, finding.code)
            if rule is not None and finding.code not in explained:
                explained.add(finding.code)
                parts.append("```text\n" + explanation(rule).rstrip() + "\n```")
        first = min(here, key=lambda f: f.start)
        value = "\n\n".join(parts)
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=value), range=self.range_of(index, first.start, first.end))

    # --- code actions: plain workspace edits --------------------------------------------
    def code_actions(self, doc, params):
        findings = self.current(doc)
        if findings is None:
            return None
        index = LineIndex(doc.text, self.encoding)
        only = params.context.only
        wanted = (lambda kind: any(kind == k or kind.startswith(k + ".") for k in only)) if only else (lambda kind: True)
        start = index.offset(params.range.start.line, params.range.start.character)
        end = index.offset(params.range.end.line, params.range.end.character)
        touching = [f for f in findings if f.start <= end and start <= max(f.end, f.start)]
        actions = []
        if wanted(types.CodeActionKind.QuickFix):
            for finding in touching:
                actions += self.finding_actions(doc, index, finding)
        if wanted(FIX_ALL_KIND) and (only or touching):
            edits = editor_actions.fix_all_edits(doc.text, findings, lambda text: self.documents.check(text, doc.path, doc.markdown)[0] or [])
            if edits:
                actions.append(types.CodeAction(title="Fix all safe checker findings", kind=FIX_ALL_KIND, edit=self.document_edit(doc.uri, doc.version, index, edits)))
        return actions

    def finding_actions(self, doc, index, finding):
        found = [self.diagnostic(index, finding, doc.profile)]
        actions = []
        fix = editor_actions.fix_edit(finding)
        if fix is not None:
            old = doc.text[fix.start : fix.end]
            title = f"Fix {finding.code}: replace {old!r} with {fix.new_text!r}" if fix.new_text else f"Fix {finding.code}: remove {old!r}"
            title += "" if finding.fix.safe else " (unsafe: check it)"
            edit = self.document_edit(doc.uri, doc.version, index, [fix])
            actions.append(types.CodeAction(title=title, kind=types.CodeActionKind.QuickFix, diagnostics=found, is_preferred=finding.fix.safe, edit=edit))
        if doc.markdown:
            suppression = editor_actions.suppression_edit(doc.text, finding)
            if suppression is not None:
                edit = self.document_edit(doc.uri, doc.version, index, [suppression])
                actions.append(types.CodeAction(title=f"Disable {finding.code} for this line", kind=types.CodeActionKind.QuickFix, diagnostics=found, edit=edit))
        ignore = self.ignore_in_file(doc, finding)
        if ignore is not None:
            actions.append(types.CodeAction(title=ignore[0], kind=types.CodeActionKind.QuickFix, diagnostics=found, edit=ignore[1]))
        return actions

    def document_edit(self, uri, version, index, edits):
        text_edits = [types.TextEdit(range=self.range_of(index, e.start, e.end), new_text=e.new_text) for e in edits]
        if self.document_changes:
            identifier = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
            return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(text_document=identifier, edits=text_edits)])
        return types.WorkspaceEdit(changes={uri: text_edits})

    def ignore_in_file(self, doc, finding):
        """(title, edit) adding the code to this file's per-file ignores in the nearest
        configuration (a new .checker.toml in the workspace folder where there is none)."""
        if not doc.path:
            return None
        title = f"Ignore {finding.code} in this file (per-file-ignores)"
        config_path = doc.profile.settings.config_path if doc.profile else None
        if config_path:
            config_uri = Path(config_path).resolve().as_uri()
            buffer = self.open.get(config_uri)
            try:
                config_text = buffer.text if buffer else Path(config_path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                return None
            edit = editor_actions.per_file_ignore_edit(config_path, config_text, doc.path, finding.code)
            if edit is None:
                return None
            return title, self.document_edit(config_uri, buffer.version if buffer else None, LineIndex(config_text, self.encoding), [edit])
        if not self.create_files:
            return None
        folder = folder_for_new_config(self.root, doc.path)
        new_path = os.path.join(folder, ".checker.toml")
        new_uri = Path(new_path).as_uri()
        start = types.Range(types.Position(0, 0), types.Position(0, 0))
        content = editor_actions.new_config_text(doc.path, folder, finding.code)
        edit = types.WorkspaceEdit(document_changes=[
            types.CreateFile(uri=new_uri, options=types.CreateFileOptions(ignore_if_exists=True)),
            types.TextDocumentEdit(text_document=types.OptionalVersionedTextDocumentIdentifier(uri=new_uri, version=None), edits=[types.TextEdit(range=start, new_text=content)]),
        ])
        return f"{title}: create {new_path}", edit


def build_server(documents):
    """The language server over `documents` (a checker.lsp.Documents), its features registered."""
    server = CheckerServer(documents)

    @server.feature(types.INITIALIZE)
    def initialize(ls, params):
        folders = params.workspace_folders or []
        ls.root = path_of(folders[0].uri) if folders else (path_of(params.root_uri) or params.root_path)
        workspace = params.capabilities.workspace
        edit = workspace.workspace_edit if workspace else None
        ls.document_changes = bool(edit and edit.document_changes)
        ls.create_files = bool(ls.document_changes and edit.resource_operations and types.ResourceOperationKind.Create in edit.resource_operations)
        watched = workspace.did_change_watched_files if workspace else None
        ls.watch = bool(watched and watched.dynamic_registration)

    @server.feature(types.INITIALIZED)
    async def initialized(ls, params):
        if not ls.watch:
            return
        watchers = [types.FileSystemWatcher(glob_pattern=pattern) for pattern in WATCHED]
        options = types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers)
        registration = types.Registration(id="checker-watch-config", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options)
        try:
            await ls.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
        except Exception as exc:  # a client that refuses: the server still checks, without reloading
            _LOG.warning("could not register the file watcher: %s", exc)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls, params):
        item = params.text_document
        doc = ls.open[item.uri] = OpenDocument(item.uri, item.text, item.version, item.language_id)
        ls.check_now(doc)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls, params):
        doc = ls.open.get(params.text_document.uri)
        if doc is not None:
            doc.text = ls.workspace.get_text_document(doc.uri).source
            doc.version = params.text_document.version
            ls.schedule(doc)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls, params):
        doc = ls.open.get(params.text_document.uri)
        if doc is not None:
            ls.check_now(doc)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls, params):
        doc = ls.open.pop(params.text_document.uri, None)
        if doc is not None and doc.pending is not None:
            doc.pending.cancel()
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls, params):
        if any(ls.documents.watches(path) for path in map(path_of, (change.uri for change in params.changes)) if path):
            ls.reload()

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls, params):
        doc = ls.open.get(params.text_document.uri)
        return ls.hover(doc, params.position) if doc is not None else None

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND]))
    def code_action(ls, params):
        doc = ls.open.get(params.text_document.uri)
        return ls.code_actions(doc, params) if doc is not None else None

    return server
