"""`checker server`, the language server, driven headlessly over stdio with pytest-lsp
(the `lsp` extra and pytest-lsp; skipped with a message where they are absent)."""

import asyncio
import json
import shutil
import sys
import time

import pytest
from conftest import ROOT, run_checker

pytest.importorskip("pygls", reason="the language server needs the lsp extra: pip install -e '.[lsp]'")
pytest_lsp = pytest.importorskip("pytest_lsp", reason="the language server's tests need pytest-lsp (the test extra)")
from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features  # noqa: E402

SEED = ROOT / "seeds" / "000_9871a0d17aba42f5.txt"
EMOJI_LINE = "😀😀 Officials of the [САЩ] said on Monday that talks would go on.\n"


def _recording_client():
    """pytest-lsp's client, which also keeps every publishDiagnostics (not just the last)
    and every capability the server registers."""
    client = LanguageClient()
    client.published = []
    client.registrations = []

    def publish(ls, params):
        ls.diagnostics[params.uri] = params.diagnostics
        ls.published.append(params)

    def register(ls, params):
        ls.registrations.extend(params.registrations)

    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: publish, types.CLIENT_REGISTER_CAPABILITY: register})
    return client


CONFIG = ClientServerConfig(server_command=[sys.executable, "-m", "checker", "server"], client_factory=_recording_client)


def _capabilities(encodings):
    return types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=encodings),
        workspace=types.WorkspaceClientCapabilities(
            workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True, resource_operations=[types.ResourceOperationKind.Create]),
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True),
        ),
        text_document=types.TextDocumentClientCapabilities(
            hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True),
        ),
    )


@pytest_lsp.fixture(config=CONFIG, params=[["utf-32", "utf-16"], ["utf-16"]], ids=["utf-32", "utf-16"])
async def client(lsp_client: LanguageClient, request, tmp_path):
    encodings = request.param
    result = await lsp_client.initialize_session(
        types.InitializeParams(capabilities=_capabilities(encodings), workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name="desk")])
    )
    lsp_client.encoding = result.capabilities.position_encoding
    lsp_client.folder = tmp_path
    yield
    await lsp_client.shutdown_session()


async def _diagnostics_for(client, uri, version, timeout=20):
    """The diagnostics published for `uri` at `version` (waiting for them)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for params in reversed(client.published):
            if params.uri == uri and params.version == version:
                return params.diagnostics
        await asyncio.sleep(0.02)
    raise AssertionError(f"no diagnostics for {uri} version {version}; got {[(p.uri, p.version) for p in client.published]}")


def _open(client, path, text, language="plaintext", version=1):
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(uri=path.as_uri(), language_id=language, version=version, text=text)))
    return path.as_uri()


def _change(client, uri, text, version):
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version), content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)])
    )


def _units(text, encoding):
    return len(text) if encoding == "utf-32" else len(text.encode("utf-16-le")) // 2


def _lsp_position(text, offset, encoding):
    """(line, character) of a code-point offset, counted independently of the server."""
    before = text[:offset].replace("\r\n", "\n").replace("\r", "\n")
    line = before.count("\n")
    return line, _units(before[before.rfind("\n") + 1 :], encoding)


def _apply(text, edits, encoding):
    """Apply LSP TextEdits to `text`, as a client would."""
    lines = text.splitlines(keepends=True) or [""]

    def offset(position):
        start = sum(len(line) for line in lines[: position.line])
        line = lines[position.line] if position.line < len(lines) else ""
        count = 0
        for i, char in enumerate(line):
            if count >= position.character:
                return start + i
            count += _units(char, encoding)
        return start + len(line)

    spans = sorted(((offset(e.range.start), offset(e.range.end), e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def _edits_for(edit, uri):
    edits = []
    for change in edit.document_changes or []:
        if isinstance(change, types.TextDocumentEdit) and change.text_document.uri == uri:
            edits += change.edits
    return edits + list((edit.changes or {}).get(uri, []))


async def _actions(client, uri, diagnostic, only=None):
    return await client.text_document_code_action_async(
        types.CodeActionParams(text_document=types.TextDocumentIdentifier(uri=uri), range=diagnostic.range, context=types.CodeActionContext(diagnostics=[diagnostic], only=only))
    )


# --- tests ------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_the_seed_gets_its_five_findings_at_the_command_lines_positions(client: LanguageClient):
    path = client.folder / SEED.name
    shutil.copy(SEED, path)
    text = SEED.read_text(encoding="utf-8")
    uri = _open(client, path, text)
    diagnostics = await _diagnostics_for(client, uri, 1)
    assert [d.code for d in diagnostics] == ["TS101", "AT103", "AT104", "FS101", "TS206"]
    assert [(d.range.start.line + 1, d.range.start.character + 1) for d in diagnostics] == [(1, 1), (2, 106), (3, 258), (7, 86), (11, 12)]
    # every range is where `checker --format json` puts the finding
    cli = json.loads(run_checker("--format", "json", "--no-cache", path).stdout)
    for diagnostic, finding in zip(diagnostics, cli, strict=True):
        assert (diagnostic.range.start.line, diagnostic.range.start.character) == _lsp_position(text, finding["start"], client.encoding)
        assert (diagnostic.range.end.line, diagnostic.range.end.character) == _lsp_position(text, finding["end"], client.encoding)
        assert diagnostic.message == finding["message"]
    fs101 = diagnostics[3]
    assert fs101.severity == types.DiagnosticSeverity.Warning and diagnostics[4].severity == types.DiagnosticSeverity.Information
    assert fs101.source == "checker"
    assert fs101.code_description.href.startswith("file://") and fs101.code_description.href.endswith("FS101-foreign-script-fragment.yaml")


@pytest.mark.asyncio
async def test_the_fs101_quick_fix_applies_and_the_finding_goes(client: LanguageClient):
    path = client.folder / "seed.txt"
    text = SEED.read_text(encoding="utf-8")
    uri = _open(client, path, text)
    fs101 = next(d for d in await _diagnostics_for(client, uri, 1) if d.code == "FS101")
    actions = await _actions(client, uri, fs101, only=[types.CodeActionKind.QuickFix])
    fix = next(a for a in actions if a.title.startswith("Fix FS101"))
    assert fix.is_preferred and fix.command is None  # a plain workspace edit, no client command
    fixed = _apply(text, _edits_for(fix.edit, uri), client.encoding)
    assert "president of the [US] declares" in fixed and fixed.replace("[US]", "[САЩ]", 1) == text
    _change(client, uri, fixed, 2)
    after = await _diagnostics_for(client, uri, 2)
    assert [d.code for d in after] == ["TS101", "AT103", "AT104", "TS206"]


@pytest.mark.asyncio
async def test_an_archive_buffer_is_read_as_the_command_line_reads_the_file(client: LanguageClient):
    path = client.folder / "wire.jsonl"
    text = json.dumps({"id": "a1", "body": "The president 😀 of the [САЩ] spoke."}, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")
    uri = _open(client, path, text, language="json")
    (fs101,) = [d for d in await _diagnostics_for(client, uri, 1) if d.code == "FS101"]
    assert fs101.message.startswith("[record a1] ")  # the record named, as in the concise report
    start = text.index("САЩ")
    assert (fs101.range.start.line, fs101.range.start.character) == _lsp_position(text, start, client.encoding)  # inside the JSON string
    actions = await _actions(client, uri, fs101, only=[types.CodeActionKind.QuickFix])
    fixed = _apply(text, _edits_for(next(a for a in actions if a.title.startswith("Fix FS101")).edit, uri), client.encoding)
    assert json.loads(fixed)["body"] == "The president 😀 of the [US] spoke."


@pytest.mark.asyncio
async def test_hover_on_a_finding_shows_its_rule_explained(client: LanguageClient):
    path = client.folder / "seed.txt"
    uri = _open(client, path, SEED.read_text(encoding="utf-8"))
    fs101 = next(d for d in await _diagnostics_for(client, uri, 1) if d.code == "FS101")
    hover = await client.text_document_hover_async(types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=fs101.range.start))
    explained = run_checker("--explain", "FS101").stdout
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert explained.strip() in hover.contents.value and fs101.message in hover.contents.value
    nothing = await client.text_document_hover_async(types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=6, character=0)))
    assert nothing is None


@pytest.mark.asyncio
async def test_a_line_with_emoji_before_the_finding_in_the_negotiated_encoding(client: LanguageClient):
    assert client.encoding == ("utf-32" if client.capabilities.general.position_encodings[0] == "utf-32" else "utf-16")
    text = "👩‍👩‍👧 A family 𝒳 note.\n" + EMOJI_LINE
    uri = _open(client, client.folder / "emoji.txt", text)
    (diagnostic,) = [d for d in await _diagnostics_for(client, uri, 1) if d.code == "FS101"]
    column = EMOJI_LINE.index("САЩ")
    expected = _units(EMOJI_LINE[:column], client.encoding)
    assert expected == (column if client.encoding == "utf-32" else column + 2)
    assert (diagnostic.range.start.line, diagnostic.range.start.character) == (1, expected)
    assert diagnostic.range.end.character == expected + 3
    # and the fix lands on the same characters, whichever the units
    (action,) = [a for a in await _actions(client, uri, diagnostic) if a.title.startswith("Fix FS101")]
    assert _apply(text, _edits_for(action.edit, uri), client.encoding) == text.replace("[САЩ]", "[US]")


@pytest.mark.asyncio
async def test_a_storm_of_100_edits_in_a_second_ends_in_one_correct_set(client: LanguageClient):
    base = SEED.read_text(encoding="utf-8")
    uri = _open(client, client.folder / "storm.txt", base)
    await _diagnostics_for(client, uri, 1)
    published_before = len(client.published)
    started = time.monotonic()
    for version in range(2, 102):
        # typing at the end of the text, and at the last edit the Cyrillic goes
        text = base + "\nIt rose" + " again" * (version % 7) + f" {version}."
        if version == 101:
            text = text.replace("[САЩ]", "[US]")
        _change(client, uri, text, version)
        await asyncio.sleep(0.01)
    storm_seconds = time.monotonic() - started
    final = await _diagnostics_for(client, uri, 101)
    await asyncio.sleep(0.6)  # nothing else arrives afterwards
    during = [p for p in client.published[published_before:] if p.uri == uri]
    assert during[-1].version == 101, [p.version for p in during]
    if storm_seconds < 1.5:  # a machine that stalled would show more; a debounced server shows one
        assert len(during) == 1, [p.version for p in during]
    cli_path = client.folder / "final.txt"
    cli_path.write_text(text, encoding="utf-8")
    cli = json.loads(run_checker("--format", "json", "--no-cache", cli_path).stdout)
    assert [(d.code, d.range.start.line, d.range.start.character) for d in final] == [(f["code"], *_lsp_position(text, f["start"], client.encoding)) for f in cli]
    assert "FS101" not in [d.code for d in final]


@pytest.mark.asyncio
async def test_disable_for_this_line_inserts_the_markdown_comment(client: LanguageClient):
    text = "# Talks\n\nOfficials of the [САЩ] said on Monday that talks would go on, reported Reuters.\n"
    uri = _open(client, client.folder / "story.md", text, language="markdown")
    fs101 = next(d for d in await _diagnostics_for(client, uri, 1) if d.code == "FS101")
    action = next(a for a in await _actions(client, uri, fs101) if a.title == "Disable FS101 for this line")
    new_text = _apply(text, _edits_for(action.edit, uri), client.encoding)
    assert new_text == text.replace("Officials", "<!-- checker-disable-next-line FS101 REASON -->\nOfficials")
    _change(client, uri, new_text, 2)
    assert [d.code for d in await _diagnostics_for(client, uri, 2)] == []  # suppressed, and the comment is used (no CK002)


@pytest.mark.asyncio
async def test_fix_all_applies_every_safe_fix(client: LanguageClient):
    text = "A zero\u200bwidth space and the [САЩ] delegation said.\n"
    uri = _open(client, client.folder / "two.txt", text)
    diagnostics = await _diagnostics_for(client, uri, 1)
    assert {d.code for d in diagnostics} == {"TX101", "FS101"}
    actions = await _actions(client, uri, diagnostics[0], only=["source.fixAll.checker"])
    (fix_all,) = actions
    assert fix_all.kind == "source.fixAll.checker"
    fixed = _apply(text, _edits_for(fix_all.edit, uri), client.encoding)
    assert fixed == "A zerowidth space and the [US] delegation said.\n"
    _change(client, uri, fixed, 2)
    assert list(await _diagnostics_for(client, uri, 2)) == []


@pytest.mark.asyncio
async def test_ignore_in_this_file_edits_the_nearest_config_and_a_change_rechecks(client: LanguageClient):
    folder = client.folder / "desk"
    folder.mkdir()
    config = folder / "checker.toml"
    config.write_text('select = ["FS", "TX"]\n\n[per-file-ignores]\n"other.txt" = ["TX101"]\n', encoding="utf-8")
    path = folder / "copy.txt"
    text = "A zero\u200bwidth space and the [САЩ] delegation said.\n"
    path.write_text(text, encoding="utf-8")
    uri = _open(client, path, text)
    tx101 = next(d for d in await _diagnostics_for(client, uri, 1) if d.code == "TX101")
    action = next(a for a in await _actions(client, uri, tx101) if a.title.startswith("Ignore TX101 in this file"))
    config_edits = _edits_for(action.edit, config.as_uri())
    new_config = _apply(config.read_text(encoding="utf-8"), config_edits, client.encoding)
    assert new_config == 'select = ["FS", "TX"]\n\n[per-file-ignores]\n"copy.txt" = ["TX101"]\n"other.txt" = ["TX101"]\n'
    config.write_text(new_config, encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(d.code == "TX101" for d in client.diagnostics[uri]):
        await asyncio.sleep(0.05)
    assert [d.code for d in client.diagnostics[uri]] == ["FS101"]
    # the server asked to be told of configuration and rule files
    (registration,) = [r for r in client.registrations if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    options = registration.register_options
    watchers = options["watchers"] if isinstance(options, dict) else options.watchers
    patterns = [w["globPattern"] if isinstance(w, dict) else w.glob_pattern for w in watchers]
    assert "**/checker.toml" in patterns and "**/pyproject.toml" in patterns and "**/*.yaml" in patterns


@pytest.mark.asyncio
async def test_ignore_in_this_file_without_a_config_creates_one(client: LanguageClient):
    path = client.folder / "copy.txt"
    text = "The [САЩ] delegation said so.\n"
    path.write_text(text, encoding="utf-8")
    uri = _open(client, path, text)
    fs101 = next(d for d in await _diagnostics_for(client, uri, 1) if d.code == "FS101")
    action = next(a for a in await _actions(client, uri, fs101) if a.title.startswith("Ignore FS101 in this file"))
    create, edit = action.edit.document_changes
    new_config = client.folder / ".checker.toml"
    assert create.kind == "create" and create.uri == new_config.as_uri()
    new_config.write_text(_apply("", edit.edits, client.encoding), encoding="utf-8")
    assert run_checker("--no-cache", path).returncode == 0  # the command line agrees: ignored


@pytest.mark.asyncio
async def test_a_config_change_rechecks_open_documents_and_close_clears(client: LanguageClient):
    path = client.folder / "seed.txt"
    uri = _open(client, path, SEED.read_text(encoding="utf-8"))
    assert "AT104" in [d.code for d in await _diagnostics_for(client, uri, 1)]
    config = client.folder / ".checker.toml"
    config.write_text('ignore = ["AT104"]\n', encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Created)]))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and "AT104" in [d.code for d in client.diagnostics[uri]]:
        await asyncio.sleep(0.05)
    assert [d.code for d in client.diagnostics[uri]] == ["TS101", "AT103", "FS101", "TS206"]
    config.write_text('ignore = ["XY9"]\n', encoding="utf-8")  # a bad selector: the error is shown, not a crash
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and "TS101" in [d.code for d in client.diagnostics[uri]]:
        await asyncio.sleep(0.05)
    (error,) = client.diagnostics[uri]
    assert "XY9" in error.message and error.severity == types.DiagnosticSeverity.Error
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and client.diagnostics[uri]:
        await asyncio.sleep(0.05)
    assert list(client.diagnostics[uri]) == []


def test_checker_server_without_the_extra_says_how_to_install_it(tmp_path):
    # a Python whose path hides pygls: the command names the extra, exit 2, no traceback
    hide = tmp_path / "hide"
    hide.mkdir()
    (hide / "pygls.py").write_text("raise ImportError('hidden for the test')\n", encoding="utf-8")
    result = run_checker("server", env={"PYTHONPATH": str(hide)})
    assert result.returncode == 2
    assert "pip install 'news-provenance-checker[lsp]'" in result.stderr and "Traceback" not in result.stderr

