"""The HTTP side of `checker serve`: a Starlette application served by Hypercorn,
in front of a fixed pool of checking processes (checker.workers).

What keeps it safe for a desk: it listens on 127.0.0.1 unless told otherwise;
Hypercorn closes a connection whose request headers are not complete within
`--header-timeout` (its keep-alive timer runs from the moment a connection
opens until a request's head has arrived, so a client trickling bytes is cut
off too) and refuses over-long header blocks; the application refuses a body
over `--max-request-bytes` (413, before reading it when Content-Length says
so) or slower than `--body-timeout` (408); a check runs in a worker whose
rules are bounded by the rule clock, and the whole check by `--request-timeout`
(the worker is then replaced: 504); at most `--queue` requests wait for a
worker (503 past it). Every answer of the application is JSON; an error is
`{"error": {"status": N, "message": "..."}}`, never a traceback.
"""

import asyncio
import json
import logging
import socket
import sys
from urllib.parse import parse_qsl

from hypercorn.asyncio import serve as hypercorn_serve
from hypercorn.config import Config
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.routing import Route

from checker import __version__, languagetool
from checker.service import error_body, languagetool_job, native_job, worker_setup
from checker.workers import JobTimeout, PoolBusy, ProcessPool, WorkerFailed

_LOG = logging.getLogger("checker.serve")
_FORM = "application/x-www-form-urlencoded"


class ApiError(Exception):
    def __init__(self, status, message, headers=None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def json_response(status, body, headers=None):
    data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode("utf-8")
    return Response(data, status_code=status, media_type="application/json", headers=headers)


def error_response(status, message, headers=None):
    return json_response(status, error_body(status, message), headers)


class Service:
    """The application's state: the pool, the rules, the limits."""

    def __init__(self, args, pool, rules, base_url):
        self.args, self.pool, self.rules, self.base_url = args, pool, rules, base_url
        self.by_code = {rule.code: rule for rule in rules}

    async def body(self, request):
        """The request body, within the size and time bounds (ApiError past them)."""
        limit = self.args.max_request_bytes
        declared = request.headers.get("content-length")
        if declared is not None:
            if not declared.isdigit():
                raise ApiError(400, "Content-Length is not a number")
            if int(declared) > limit:
                raise ApiError(413, f"the request body is {int(declared)} bytes; the limit is {limit}", {"Connection": "close"})
        chunks, size = [], 0

        async def receive():
            nonlocal size
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise ApiError(413, f"the request body is over the limit of {limit} bytes", {"Connection": "close"})
                chunks.append(chunk)

        try:
            await asyncio.wait_for(receive(), self.args.body_timeout)
        except asyncio.TimeoutError:
            raise ApiError(408, f"the request body did not arrive within {self.args.body_timeout:g} s", {"Connection": "close"}) from None
        return b"".join(chunks)

    async def run(self, job, *args):
        try:
            status, body = await self.pool.run(job, *args)
        except PoolBusy:
            raise ApiError(503, "every worker is busy and the waiting line is full; try again shortly", {"Retry-After": "1"}) from None
        except JobTimeout:
            raise ApiError(504, f"the check took longer than {self.args.request_timeout:g} s and was stopped") from None
        except WorkerFailed:
            raise ApiError(500, "the check failed (its worker stopped, perhaps out of memory); the worker was replaced") from None
        return json_response(status, body)

    # --- endpoints ---------------------------------------------------------------------
    async def languagetool_check(self, request):
        form = dict(request.query_params)
        if request.method == "POST":
            form.update(await self.form(request))
        rule_url = f"{self.base_url}/api/rules/{{code}}"
        return await self.run(languagetool_job, form, rule_url, self.args.max_findings)

    async def form(self, request):
        content_type = request.headers.get("content-type", _FORM).split(";", 1)[0].strip().lower()
        body = await self.body(request)
        if content_type != _FORM:
            raise ApiError(415, f"send the parameters as {_FORM}, as LanguageTool's clients do (not {content_type})")
        try:
            return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=100, errors="strict"))
        except UnicodeDecodeError:
            raise ApiError(400, "the form is not UTF-8") from None
        except ValueError as exc:
            raise ApiError(400, f"the form cannot be read: {exc}") from None

    async def languagetool_languages(self, request):
        return json_response(200, languagetool.languages())

    async def native_check(self, request):
        body = await self.body(request)
        try:
            parsed = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise ApiError(400, "the body is not JSON (UTF-8): send {\"text\": \"...\"}") from None
        return await self.run(native_job, parsed, self.args.max_findings)

    async def rules_list(self, request):
        return json_response(200, [self.describe(rule) for rule in self.rules])

    async def rule_one(self, request):
        from checker.cli import explanation  # lazy: start-up

        wanted = request.path_params["code"]
        rule = self.by_code.get(wanted) or next((r for r in self.rules if r.name == wanted), None)
        if rule is None:
            raise ApiError(404, f"no rule {wanted!r} (GET /api/rules lists them)")
        return json_response(200, {**self.describe(rule), "examples": rule.examples, "explanation": explanation(rule)})

    def describe(self, rule):
        return {
            "code": rule.code, "name": rule.name, "severity": rule.severity, "enabled": rule.enabled,
            "languages": rule.languages, "description": rule.description.strip(), "docs": f"{self.base_url}/api/rules/{rule.code}",
        }

    async def health(self, request):
        pool = self.pool
        return json_response(200, {"status": "ok", "version": __version__, "workers": pool.size, "busy": pool.busy, "waiting": pool.waiting, "replaced": pool.replaced})


def build_app(service):
    async def guarded(handler, request):
        try:
            return await handler(request)
        except ApiError as exc:
            return error_response(exc.status, exc.message, exc.headers)
        except ClientDisconnect:
            return Response(status_code=499)  # nobody is there to read it

    def route(path, handler, methods):
        async def endpoint(request):
            return await guarded(handler, request)

        return Route(path, endpoint, methods=methods)

    async def http_error(request, exc):
        return error_response(exc.status_code, exc.detail if isinstance(exc.detail, str) else str(exc.status_code), getattr(exc, "headers", None))

    async def internal_error(request, exc):
        _LOG.error("internal error on %s %s: %s: %s", request.method, request.url.path, type(exc).__name__, exc)
        return error_response(500, "internal error (the server's log has the details)")

    routes = [
        route("/v2/check", service.languagetool_check, ["GET", "POST"]),
        route("/v2/languages", service.languagetool_languages, ["GET"]),
        route("/api/check", service.native_check, ["POST"]),
        route("/api/rules", service.rules_list, ["GET"]),
        route("/api/rules/{code}", service.rule_one, ["GET"]),
        route("/health", service.health, ["GET"]),
    ]
    middleware = []
    if service.args.allow_origin:
        from starlette.middleware import Middleware
        from starlette.middleware.cors import CORSMiddleware

        middleware.append(Middleware(CORSMiddleware, allow_origins=[service.args.allow_origin], allow_methods=["GET", "POST"], allow_headers=["*"]))
    return Starlette(routes=routes, middleware=middleware, exception_handlers={HTTPException: http_error, Exception: internal_error})


def listening_socket(host, port):
    """A bound, listening socket (IPv4 or IPv6 by the address); UsageError-worthy OSError if not."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(512)
    return sock


def serve(args, options, rules):
    """Listen, start the workers, serve until SIGINT or SIGTERM. Returns the exit code."""
    from checker.errors import UsageError  # lazy: start-up

    try:
        sock = listening_socket(args.host, args.port)
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    host, port = sock.getsockname()[:2]
    shown_host = f"[{host}]" if ":" in host else host
    base_url = f"http://{shown_host}:{port}"
    config = Config()
    config.bind = [f"fd://{sock.detach()}"]
    config.keep_alive_timeout = args.header_timeout
    config.accesslog = None
    config.errorlog = "-"
    config.include_server_header = False
    return asyncio.run(_serve(args, options, rules, config, base_url))


async def _serve(args, options, rules, config, base_url):
    pool = ProcessPool(args.workers, worker_setup, (options,), timeout=args.request_timeout, max_waiting=args.queue, memory_limit=args.worker_memory << 20)
    try:
        await pool.start()
        if args.host not in ("127.0.0.1", "localhost", "::1"):
            print(f"checker serve: listening on {args.host}: anyone who can reach this machine can use the service", file=sys.stderr)
        print(f"checker serve: {base_url}/ ({args.workers} workers; LanguageTool API at {base_url}/v2)", file=sys.stderr, flush=True)
        await hypercorn_serve(build_app(Service(args, pool, rules, base_url)), config)
    finally:
        pool.close()
    return 0
