"""impactkit behind an HTTP endpoint, with the standard library only.

``POST /sroi`` with a model file (JSON, or YAML with ``Content-Type:
application/yaml``) as the body answers the SROI of the model and the summary
of its Monte Carlo run, as JSON::

    {"sroi": {...SROIResult.to_dict()...},
     "monte_carlo": {...MonteCarloResult.to_dict()...},
     "schemas": {"sroi": ".../result/sroi.json", "monte_carlo": ".../result/monte_carlo.json"}}

Query parameters: ``draws`` (Monte Carlo draws, 0 for none; default and
maximum in :class:`Limits`) and ``seed`` (default 0, so that the same model
always gives the same answer). Every refusal is JSON too::

    {"error": "invalid_model", "message": "...",
     "problems": [{"path": "outcomes[0].deadweight", "code": "out_of_range", "message": "..."}]}

with status 400 (unreadable body or bad parameter), 404, 405, 411 (no
length), 413 (body too large), 422 (a model with problems, each with its
path), 503 (over the time limit) or 500 (a defect of impactkit).

The server keeps no state between requests: each request reads its own model,
computes values that are immutable, and answers. See docs/howto/embedding.md
for what is thread-safe. Run it with ``python service_app.py --port 8000``.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import json
import math
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import impactkit as ik
from impactkit.errors import FileFormatError, ImpactkitError, ValidationError

__all__ = ["Limits", "Refused", "evaluate", "main", "make_server"]

SCHEMA_BASE = "https://impactkit.readthedocs.io/schema/result"


@dataclass(frozen=True)
class Limits:
    """What one request may ask for (the service's only settings)."""

    max_body_bytes: int = 1_000_000
    """Largest model accepted, in bytes (read no further: 413 beyond)."""
    default_draws: int = 2_000
    """Monte Carlo draws when the request does not say."""
    max_draws: int = 20_000
    """Most Monte Carlo draws one request may ask for."""
    timeout_seconds: float = 30.0
    """Longest a request may compute (503 beyond)."""
    workers: int = 2
    """Requests computed at once; the others wait their turn (within their time limit)."""


class Refused(Exception):
    """A request the service answers with an error: a status and a JSON body."""

    def __init__(
        self,
        status: HTTPStatus,
        error: str,
        message: str,
        problems: tuple[ik.errors.Problem, ...] = (),
    ) -> None:
        super().__init__(message)
        self.status = status
        self.body: dict[str, Any] = {
            "error": error,
            "message": message,
            "problems": [
                {"path": p.location, "code": p.code, "message": p.message} for p in problems
            ],
        }


def _parameter(query: dict[str, list[str]], name: str, default: int, high: int) -> int:
    raw = query.get(name, [str(default)])[-1]
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if not 0 <= value <= high:
        problem = ik.errors.Problem(
            (name,), "out_of_range", f"must be a whole number in [0, {high}], got {raw!r}"
        )
        raise Refused(HTTPStatus.BAD_REQUEST, "bad_parameter", f"bad {name}", (problem,))
    return value


def evaluate(
    body: bytes, *, yaml: bool = False, draws: int = 2_000, seed: int = 0
) -> dict[str, Any]:
    """The answer to one model file: its SROI and Monte Carlo summary as JSON-ready data.

    A pure function of its arguments (no shared state), so any number of
    threads may call it at once.

    Raises
    ------
    Refused
        400 when the body is not a readable model file, 422 when the model has
        problems (each with its path).
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        problem = ik.errors.Problem((), "encoding", f"the body is not UTF-8 text ({exc.reason})")
        raise Refused(
            HTTPStatus.BAD_REQUEST, "unreadable_model", "not UTF-8", (problem,)
        ) from None
    try:
        model = ik.io.loads(text, format="yaml" if yaml else "json")
        result = ik.sroi(model)
        mc = ik.monte_carlo(model, n=draws, seed=seed) if draws else None
    except FileFormatError as exc:
        raise Refused(
            HTTPStatus.BAD_REQUEST, "unreadable_model", "not a model file", exc.problems
        ) from None
    except ValidationError as exc:
        raise Refused(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "invalid_model",
            f"the model has {len(exc.problems)} problem(s)",
            exc.problems,
        ) from None
    except ImpactkitError as exc:  # any other refusal of the library: the input's fault
        raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, "invalid_model", str(exc)) from None
    return {
        "sroi": result.to_dict(),
        "monte_carlo": None if mc is None else mc.to_dict(),
        "schemas": {
            "sroi": f"{SCHEMA_BASE}/sroi.json",
            "monte_carlo": f"{SCHEMA_BASE}/monte_carlo.json",
        },
    }


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet by default
        if self.server.verbose:
            super().log_message(format, *args)

    def _send(self, status: HTTPStatus, body: dict[str, Any]) -> None:
        data = json.dumps(body, allow_nan=False, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if status >= 400:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._send(
            HTTPStatus.METHOD_NOT_ALLOWED,
            Refused(HTTPStatus.METHOD_NOT_ALLOWED, "method", "POST a model file to /sroi").body,
        )

    def do_POST(self) -> None:
        try:
            self._send(HTTPStatus.OK, self._answer())
        except Refused as exc:
            self._send(exc.status, exc.body)
        except Exception as exc:  # a defect: say so in JSON, never leave the client hanging
            body = Refused(
                HTTPStatus.INTERNAL_SERVER_ERROR, "internal", f"{type(exc).__name__}: {exc}"
            ).body
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, body)

    def _discard(self, length: int) -> None:
        """Read a refused body away (up to 8 times the limit) so the client reads the answer.

        Closing a connection with unread data resets it, and the client would see
        the reset instead of the 413; a larger body is not read, the connection closes.
        """
        left = min(length, 8 * self.server.limits.max_body_bytes)
        self.connection.settimeout(5.0)
        try:
            while left > 0:
                chunk = self.rfile.read(min(left, 65536))
                if not chunk:
                    break
                left -= len(chunk)
        except OSError:
            pass

    def _answer(self) -> dict[str, Any]:
        limits = self.server.limits
        url = urlsplit(self.path)
        if url.path != "/sroi":
            raise Refused(HTTPStatus.NOT_FOUND, "not_found", f"no endpoint {url.path!r}")
        query = parse_qs(url.query)
        draws = _parameter(query, "draws", limits.default_draws, limits.max_draws)
        seed = _parameter(query, "seed", 0, 2**63 - 1)
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            raise Refused(HTTPStatus.LENGTH_REQUIRED, "length_required", "send Content-Length")
        if int(length) > limits.max_body_bytes:
            self._discard(int(length))
            raise Refused(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                "too_large",
                f"the model is {int(length)} bytes; at most {limits.max_body_bytes} are accepted",
            )
        body = self.rfile.read(int(length))
        yaml = "yaml" in self.headers.get("Content-Type", "")
        job = self.server.pool.submit(evaluate, body, yaml=yaml, draws=draws, seed=seed)
        try:
            return job.result(timeout=limits.timeout_seconds)
        except concurrent.futures.TimeoutError:
            job.cancel()  # stops it if it has not started; a running one ends on its own
            raise Refused(
                HTTPStatus.SERVICE_UNAVAILABLE,
                "timeout",
                f"not done within {limits.timeout_seconds:g} s; ask for fewer draws",
            ) from None


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], limits: Limits, verbose: bool) -> None:
        if not (limits.workers >= 1 and math.isfinite(limits.timeout_seconds)):
            raise ValueError("limits: workers >= 1 and a finite timeout are required")
        super().__init__(address, _Handler)
        self.limits = limits
        self.verbose = verbose
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=limits.workers)

    def server_close(self) -> None:
        super().server_close()
        self.pool.shutdown(wait=False, cancel_futures=True)


def make_server(
    host: str = "127.0.0.1", port: int = 0, *, limits: Limits | None = None, verbose: bool = False
) -> _Server:
    """A server ready to ``serve_forever()``; port 0 picks a free port (``server.server_port``)."""
    return _Server((host, port), limits or Limits(), verbose)


def main(argv: list[str] | None = None) -> None:
    """Serve until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    with make_server(args.host, args.port, verbose=True) as server:
        print(f"impactkit {ik.__version__} on http://{args.host}:{server.server_port}/sroi")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()


if __name__ == "__main__":
    main()
