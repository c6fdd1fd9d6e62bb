"""`checker serve`, the HTTP service, run as a user runs it and spoken to over the
loopback by real clients: LanguageTool's own Python client (language_tool_python),
urllib, and raw sockets for what well-behaved clients never send. Skipped with a
message where the serve extra is absent."""

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from conftest import ROOT

pytest.importorskip("starlette", reason="the HTTP service needs the serve extra: pip install -e '.[serve]'")
pytest.importorskip("hypercorn", reason="the HTTP service needs the serve extra: pip install -e '.[serve]'")

SEED = (ROOT / "seeds" / "000_9871a0d17aba42f5.txt").read_text(encoding="utf-8")
EMOJI_TEXT = "👩‍👩‍👧 A note 𝒳.\n😀😀 Officials of the [САЩ] said on Monday that talks would go on.\n"
SLOW_RULE = (
    "code: HS900\nname: slow-pattern\nseverity: warning\nkind: pattern\nscope: text\npatterns: ['a*a*a*a*a*c']\n"
    "message: 'slow'\ndescription: A pattern that takes forever on a long run of a.\n"
    "examples: {bad: ['ac'], good: ['b']}\n"
)


class Server:
    """`checker serve` in a subprocess on a free port of 127.0.0.1."""

    def __init__(self, *args, cwd=None):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "checker", "serve", "--port", "0", "--workers", "2", *map(str, args)],
            cwd=cwd or ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        deadline = time.monotonic() + 60
        self.url = None
        self.log = []
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if not line:
                break
            self.log.append(line)
            found = re.search(r"checker serve: (http://127\.0\.0\.1:\d+)/", line)
            if found:
                self.url = found.group(1)
                break
        if self.url is None:
            self.stop()
            raise AssertionError("the service did not start: " + "".join(self.log) + self.process.stderr.read())
        self.port = int(self.url.rsplit(":", 1)[1])
        threading.Thread(target=self._drain, daemon=True).start()  # a full pipe would stall the server

    def _drain(self):
        for line in self.process.stderr:
            self.log.append(line)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process.stdout.close()

    def request(self, path, data=None, *, method=None, headers=None, timeout=30):
        """(status, headers, parsed JSON) of a request; errors are answers too."""
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.headers, json.loads(response.read())
        except urllib.error.HTTPError as error:
            body = error.read()
            return error.code, error.headers, json.loads(body)

    def form(self, path="/v2/check", **fields):
        return self.request(path, urllib.parse.urlencode(fields).encode("utf-8"), headers={"Content-Type": "application/x-www-form-urlencoded"})

    def native(self, body):
        return self.request("/api/check", json.dumps(body).encode("utf-8"), headers={"Content-Type": "application/json"})


@pytest.fixture(scope="module")
def server():
    running = Server("--no-cache")
    yield running
    running.stop()


def _utf16(text):
    return len(text.encode("utf-16-le")) // 2


# --- LanguageTool's API --------------------------------------------------------------


def test_languagetools_own_client_parses_the_answer_and_lands_on_the_cyrillic(server):
    language_tool_python = pytest.importorskip("language_tool_python", reason="a real LanguageTool client (the test extra)")
    tool = language_tool_python.LanguageTool("en-US", remote_server=server.url)
    try:
        matches = tool.check(EMOJI_TEXT)
    finally:
        tool.close()
    (match,) = [m for m in matches if m.rule_id == "FS101"]
    # the client turns LanguageTool's UTF-16 offsets back into code points: it lands exactly
    assert EMOJI_TEXT[match.offset : match.offset + match.error_length] == "САЩ"
    assert match.replacements == ["US"] and match.category == "FOREIGN_SCRIPT" and match.rule_issue_type == "untranslated"
    assert match.message.startswith("Cyrillic text")
    fixed = language_tool_python.utils.correct(EMOJI_TEXT, [match])
    assert fixed == EMOJI_TEXT.replace("[САЩ]", "[US]")


def test_offsets_are_utf16_code_units(server):
    status, _, body = server.form(text=EMOJI_TEXT, language="auto")
    assert status == 200
    (match,) = [m for m in body["matches"] if m["rule"]["id"] == "FS101"]
    start = EMOJI_TEXT.index("САЩ")
    assert match["offset"] == _utf16(EMOJI_TEXT[:start]) == start + 6  # six astral characters before it
    assert match["length"] == 3
    units = EMOJI_TEXT.encode("utf-16-le")
    assert units[2 * match["offset"] : 2 * (match["offset"] + match["length"])].decode("utf-16-le") == "САЩ"
    context = match["context"]
    context_units = context["text"].encode("utf-16-le")
    assert context_units[2 * context["offset"] : 2 * (context["offset"] + context["length"])].decode("utf-16-le") == "САЩ"
    assert body["software"]["name"] == "checker" and body["software"]["apiVersion"] == 1
    assert body["warnings"] == {"incompleteResults": False}
    assert set(match) >= {"message", "shortMessage", "offset", "length", "replacements", "context", "rule", "type"}
    assert set(match["rule"]) >= {"id", "description", "issueType", "category"} and set(match["rule"]["category"]) == {"id", "name"}


def test_the_seed_over_the_languagetool_api_matches_the_command_line(server, checker):
    status, _, body = server.form(text=SEED, language="en-US")
    assert status == 200
    cli = json.loads(checker("--format", "json", "--no-cache", "seeds/").stdout)
    assert [(m["rule"]["id"], m["offset"], m["length"]) for m in body["matches"]] == [(f["code"], _utf16(SEED[: f["start"]]), f["end"] - f["start"]) for f in cli]
    assert body["language"]["code"] == "en-US" and body["language"]["name"] == "English (US)"


def test_annotated_data_offsets_point_into_the_text_with_its_markup(server):
    annotation = [{"markup": "<p>"}, {"text": "😀 Officials of the "}, {"markup": "<b>"}, {"text": "[САЩ]"}, {"markup": "</b>"}, {"text": " said so."}, {"markup": "</p>", "interpretAs": "\n\n"}]
    original = "".join(item.get("text", item.get("markup")) for item in annotation)
    status, _, body = server.form(data=json.dumps({"annotation": annotation}), language="en")
    assert status == 200
    (match,) = [m for m in body["matches"] if m["rule"]["id"] == "FS101"]
    assert original.encode("utf-16-le")[2 * match["offset"] : 2 * (match["offset"] + match["length"])].decode("utf-16-le") == "САЩ"


def test_rule_selection_as_languagetool_clients_send_it(server):
    _, _, body = server.form(text=EMOJI_TEXT, language="auto", disabledRules="FS101,MORFOLOGIK_RULE_EN_US")
    assert "FS101" not in [m["rule"]["id"] for m in body["matches"]]
    _, _, body = server.form(text="A zero\u200bwidth space and the [САЩ] delegation said.", language="auto", enabledRules="TX101", enabledOnly="true")
    assert [m["rule"]["id"] for m in body["matches"]] == ["TX101"]
    _, _, body = server.form(text=EMOJI_TEXT, language="auto", enabledRules="UPPERCASE_SENTENCE_START", enabledOnly="true")
    assert body["matches"] == []  # only LanguageTool's own rules asked for: none of ours


def test_languages_list_as_languagetool_serves_it(server):
    status, _, languages = server.request("/v2/languages")
    assert status == 200
    assert {"name": "English (US)", "code": "en", "longCode": "en-US"} in languages
    assert all(set(item) == {"name", "code", "longCode"} for item in languages)


def test_languagetool_errors_are_json(server):
    status, _, body = server.form(language="en")
    assert status == 400 and "text" in body["error"]["message"]
    status, _, body = server.form(text="Hello")
    assert status == 400 and "language" in body["error"]["message"]
    status, _, body = server.form(data="{not json", language="en")
    assert status == 400 and "'data' is not JSON" in body["error"]["message"]
    status, _, body = server.request("/v2/check", b'{"text": "x"}', headers={"Content-Type": "multipart/form-data; boundary=x"})
    assert status == 415
    status, _, body = server.request("/v2/check", b"text=%FF%FE&language=en", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400 and "UTF-8" in body["error"]["message"]


# --- the native API --------------------------------------------------------------------


def test_native_check_returns_the_json_findings_of_the_command_line(server, checker):
    status, _, body = server.native({"text": SEED, "path": "seeds/000_9871a0d17aba42f5.txt"})
    assert status == 200
    cli = json.loads(checker("--format", "json", "--no-cache", "seeds/").stdout)
    assert body["findings"] == cli and body["truncated"] is False and body["language"] == "en"


def test_native_options_and_format_hint(server):
    markdown = "<!-- checker-disable-next-line FS101 the outlet's name -->\nThe [САЩ] delegation said so.\n"
    _, _, body = server.native({"text": markdown, "path": "story.md"})
    assert body["findings"] == []  # read as Markdown: the comment suppresses
    _, _, body = server.native({"text": markdown, "path": "story.md", "format": "text"})
    assert [f["code"] for f in body["findings"]] == ["FS101"]
    _, _, body = server.native({"text": SEED, "options": {"select": ["TS"], "timezone": "Europe/Sofia"}, "doc_id": "a17"})
    ts101 = body["findings"][0]
    assert [f["code"] for f in body["findings"]] == ["TS101", "TS206"] and ts101["fix"]["replacement"].endswith("+03:00")
    assert ts101["record"] == "a17"


def test_native_check_reads_an_agency_format_as_the_command_line_does(server, checker, tmp_path):
    item = json.dumps({"uri": "urn:a17", "headline": "Talks", "body_text": "The president of the [\u0421\u0410\u0429] spoke."}, indent=1)
    (tmp_path / "item.json").write_text(item, encoding="utf-8")
    cli = json.loads(checker("--format", "json", "--no-cache", str(tmp_path / "item.json")).stdout)
    status, _, body = server.native({"text": item, "path": str(tmp_path / "item.json")})
    assert status == 200 and [f["code"] for f in body["findings"]] == ["FS101"]
    assert body["findings"] == cli  # the line and column of the escapes as sent, the record named
    _, _, by_hint = server.native({"text": item, "format": "ninjs", "path": str(tmp_path / "item.json")})
    assert by_hint["findings"] == cli
    status, _, refused = server.native({"text": item, "path": "item.json", "published": "2024-07-05"})
    assert status == 400 and "carries its own" in refused["error"]["message"]
    status, _, refused = server.native({"text": '{"name": "a package"}', "path": "package.json"})
    assert status == 400 and "not read as ninjs" in refused["error"]["message"]
    bomb = '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY l "lol"><!ENTITY m "&l;&l;&l;&l;">]><newsItem><contentSet><inlineData>&m;</inlineData></contentSet></newsItem>'
    status, _, body = server.native({"text": bomb, "path": "a.xml"})  # the command line's defences hold here too
    assert status == 200 and [f["code"] for f in body["findings"]] == ["CK001"] and "entity declarations" in body["findings"][0]["message"]


def test_no_request_reads_the_servers_files_or_loads_rules(server, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("The [САЩ] secret\n", encoding="utf-8")
    status, _, body = server.native({"text": "Plain words.", "path": str(secret)})
    assert status == 200 and body["findings"] == []  # the path is a label: the file is not read
    (tmp_path / "HS001.yaml").write_text("code: HS001\n", encoding="utf-8")
    for options in ({"rules": [str(tmp_path)]}, {"config": str(secret)}, {"cache_dir": str(tmp_path)}):
        status, _, body = server.native({"text": "x", "options": options})
        assert status == 400 and "not one a request may set" in body["error"]["message"]
    status, _, body = server.native({"text": "x", "rules": str(tmp_path)})
    assert status == 400 and "unknown field 'rules'" in body["error"]["message"]


def test_native_errors_are_json(server):
    for body, words in (
        (b"{", "not JSON"), (b"[1]", "JSON object"), (b'{"path": "a.txt"}', "'text'"),
        (b'{"text": "x", "format": "docx"}', "'format'"), (b'{"text": "x", "options": {"select": ["XX9"]}}', "unknown rule selector"),
        (b'{"text": "x", "published": "yesterday"}', "not a date"), (b'{"text": "x", "options": {"timezone": "Mars/Base"}}', "time zone"),
    ):
        status, headers, answer = server.request("/api/check", body, headers={"Content-Type": "application/json"})
        assert status == 400 and words in answer["error"]["message"], (body, answer)
        assert headers["Content-Type"] == "application/json"


def test_rules_health_and_unknown_routes(server, checker):
    status, _, rules = server.request("/api/rules")
    listed = checker("--list-rules").stdout.split()
    assert status == 200 and [r["code"] for r in rules] == [word for word in listed if re.fullmatch(r"[A-Z]{2}\d{3}", word)]
    status, _, rule = server.request("/api/rules/FS101")
    assert status == 200 and rule["explanation"] == checker("--explain", "FS101").stdout
    assert server.request("/api/rules/XX999")[0] == 404
    status, _, health = server.request("/health")
    assert status == 200 and health["status"] == "ok" and health["workers"] == 2
    status, _, body = server.request("/nowhere")
    assert status == 404 and body["error"]["status"] == 404
    status, _, body = server.request("/health", b"", method="POST")
    assert status == 405 and body["error"]["status"] == 405


# --- what a desk's server must withstand -------------------------------------------------


def _raw(port, data, *, read_timeout=10):
    """Send bytes over a fresh connection; (status, JSON body or None) of the reply."""
    with socket.create_connection(("127.0.0.1", port), timeout=read_timeout) as sock:
        try:
            sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused before all was sent (an oversize body): the answer is still there to read
        return _read_reply(sock)


def _read_reply(sock):
    received = b""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
            head, _, body = received.partition(b"\r\n\r\n")
            length = re.search(rb"(?i)content-length: *(\d+)", head)
            if length and len(body) >= int(length.group(1)):
                break
    except ConnectionResetError:
        pass
    if not received:
        return None, None
    head, _, body = received.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, (json.loads(body) if body.strip() else None)


def test_an_oversize_body_is_refused_with_413(server):
    # refused on its Content-Length, before the body (a client still sending may see the
    # connection reset: so the body is not sent here, and the answer must come anyway)
    head = b"POST /v2/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n"
    status, body = _raw(server.port, head % ((1 << 20) + 100))
    assert status == 413 and "limit" in body["error"]["message"]
    # chunked, with no Content-Length to refuse it up front: counted as it arrives
    head = b"POST /api/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    chunk = b"a" * 65536
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(20))
    status, body = _raw(server.port, head + chunks + b"0\r\n\r\n")
    assert status == 413 and body["error"]["status"] == 413


def test_malformed_http_is_refused_and_the_server_goes_on(server):
    status, _ = _raw(server.port, b"THIS IS NOT HTTP\r\n\r\n")
    assert status == 400
    status, body = _raw(server.port, b"POST /api/check HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n")
    assert status == 400
    assert server.request("/health")[0] == 200


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory):
    """A server with short bounds and a house rule that never finishes on a long run of `a`."""
    folder = tmp_path_factory.mktemp("desk")
    (folder / "house").mkdir()
    (folder / "house" / "HS900.yaml").write_text(SLOW_RULE, encoding="utf-8")
    (folder / ".checker.toml").write_text('rules = ["house"]\n', encoding="utf-8")
    running = Server("--no-cache", "--header-timeout", "1", "--body-timeout", "1", "--rule-timeout", "1", "--request-timeout", "4", "--queue", "2", cwd=folder)
    yield running
    running.stop()


@pytest.mark.slow
def test_slow_clients_are_cut_off_while_others_are_served(strict_server):
    port = strict_server.port
    # headers trickled a byte at a time: the connection is closed at the header deadline
    with socket.create_connection(("127.0.0.1", port), timeout=10) as slow:
        started = time.monotonic()
        closed = False
        for byte in b"POST /v2/check HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"y" * 40:
            try:
                slow.sendall(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
            # meanwhile a well-behaved client is served at once
            if byte == ord("H"):
                assert strict_server.request("/health", timeout=5)[0] == 200
            time.sleep(0.1)
            slow.settimeout(0.01)
            try:
                if slow.recv(1) == b"":
                    closed = True
                    break
            except TimeoutError:
                pass
            except ConnectionResetError:
                closed = True
                break
        assert closed and time.monotonic() - started < 4
    # a body trickled too slowly: 408, JSON
    with socket.create_connection(("127.0.0.1", port), timeout=10) as slow:
        slow.sendall(b"POST /api/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"text\": ")
        started = time.monotonic()
        status, body = _read_reply(slow)
        assert status == 408 and body["error"]["status"] == 408 and time.monotonic() - started < 4


@pytest.mark.slow
def test_a_runaway_rule_is_stopped_by_the_rule_clock_and_the_check_goes_on(strict_server):
    started = time.monotonic()
    status, _, body = strict_server.native({"text": "a" * 5000 + " The [САЩ] said so.", "options": {"extend_select": ["HS900"]}})
    assert status == 200 and time.monotonic() - started < 4
    codes = [f["code"] for f in body["findings"]]
    assert "CK004" in codes and "FS101" in codes  # HS900 abandoned, every other rule ran
    status, _, lt = strict_server.form(text="a" * 5000, language="en")
    assert lt["warnings"]["incompleteResults"] is True


@pytest.mark.slow
def test_a_check_past_the_request_bound_is_stopped_and_the_worker_replaced(tmp_path):
    (tmp_path / "house").mkdir()
    (tmp_path / "house" / "HS900.yaml").write_text(SLOW_RULE, encoding="utf-8")
    (tmp_path / ".checker.toml").write_text('rules = ["house"]\n', encoding="utf-8")
    running = Server("--no-cache", "--rule-timeout", "0", "--request-timeout", "2", cwd=tmp_path)
    try:
        started = time.monotonic()
        status, _, body = running.native({"text": "a" * 5000, "options": {"extend_select": ["HS900"]}})
        assert status == 504 and "longer than 2 s" in body["error"]["message"] and time.monotonic() - started < 6
        status, _, body = running.native({"text": "The [САЩ] said so."})
        assert status == 200 and [f["code"] for f in body["findings"]] == ["FS101"]
        assert running.request("/health")[2]["replaced"] == 1
    finally:
        running.stop()


def test_it_listens_on_localhost_only_by_default(server):
    assert server.url.startswith("http://127.0.0.1:")
    table = "/proc/net/tcp"
    if not os.path.exists(table):
        pytest.skip("no /proc/net/tcp here to read the listening address from")
    with open(table) as handle:
        listening = [line.split()[1] for line in handle.readlines()[1:] if line.split()[3] == "0A"]  # state LISTEN
    ours = [address for address in listening if int(address.split(":")[1], 16) == server.port]
    assert ours == [f"0100007F:{server.port:04X}"]  # 127.0.0.1, and no other address


def test_a_bad_configuration_or_a_busy_port_is_a_one_line_error(tmp_path, server):
    (tmp_path / ".checker.toml").write_text('select = ["XX9"]\n', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "checker", "serve", "--port", "0"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "XX9" in result.stderr and "Traceback" not in result.stderr
    result = subprocess.run([sys.executable, "-m", "checker", "serve", "--port", str(server.port), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "cannot listen" in result.stderr and "Traceback" not in result.stderr


def test_checker_serve_without_the_extra_says_how_to_install_it(tmp_path, checker):
    hide = tmp_path / "hide"
    hide.mkdir()
    (hide / "hypercorn.py").write_text("raise ImportError('hidden for the test')\n", encoding="utf-8")
    result = checker("serve", env={"PYTHONPATH": str(hide)})
    assert result.returncode == 2 and "pip install 'news-provenance-checker[serve]'" in result.stderr


def test_the_servers_input_format_is_honoured_as_the_command_line_does(tmp_path):
    """A request with no `format` is read in the server configuration's `input-format`
    (as `checker --input-format` and the language server read it), before the path's
    suffix; a request's `format` still wins."""
    from checker.service import WorkerState, native_job

    item = json.dumps({"uri": "urn:a17", "headline": "Talks", "body_text": "The president of the [\u0421\u0410\u0429] spoke."})
    config = tmp_path / "checker.toml"
    config.write_text('input-format = "ninjs"\n', encoding="utf-8")
    forced = WorkerState({"config": config, "cache_dir": None})

    def codes(state, request):
        status, answer = native_job(state, request, 100)
        assert status == 200
        return [f["code"] for f in json.loads(answer)["findings"]]

    # read as ninjs, the JSON escapes are the Cyrillic they stand for; read as text, they are ASCII
    assert codes(forced, {"text": item, "path": "feed.txt"}) == ["FS101"]
    assert codes(forced, {"text": item, "path": "feed.txt", "format": "text"}) == []  # the request's format wins
    assert codes(WorkerState({"cache_dir": None}), {"text": item, "path": "feed.txt"}) == []  # by the suffix
