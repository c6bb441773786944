"""The embedding guide's service (docs/howto/service_app.py) answers, refuses and stays consistent.

The server runs on 127.0.0.1 with a free port in a thread; every request has a
client timeout, and the server is shut down whatever happens.
"""

from __future__ import annotations

import concurrent.futures
import http.client
import importlib.util
import json
import sys
import threading
from pathlib import Path

import jsonschema
import pytest

import impactkit as ik

APP = Path(__file__).parent.parent / "docs" / "howto" / "service_app.py"
TIMEOUT = 120


def _load_app():
    spec = importlib.util.spec_from_file_location("impactkit_service_app", APP)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


app = _load_app()


@pytest.fixture(scope="module")
def server():
    srv = app.make_server(
        "127.0.0.1",
        0,
        limits=app.Limits(max_body_bytes=200_000, max_draws=5_000, default_draws=500),
    )
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(timeout=30)
        assert not thread.is_alive()


def _post(server, body, *, path="/sroi?draws=400&seed=7", content_type="application/json"):
    conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=TIMEOUT)
    try:
        data = body.encode("utf-8") if isinstance(body, str) else body
        conn.request("POST", path, body=data, headers={"Content-Type": content_type})
        resp = conn.getresponse()
        raw = resp.read()
        assert resp.getheader("Content-Type").startswith("application/json")
        return resp.status, json.loads(raw), raw
    finally:
        conn.close()


def _model():
    """Supported employment, illustrative figures, with uncertain quantities."""
    return ik.ImpactModel(
        name="Emploi accompagné (illustratif)",
        base_year=2024,
        inputs=[ik.Input("grant", amount=120_000.0), ik.Input("volunteers", amount=15_000.0)],
        outcomes=[
            ik.OutcomeValuation(
                outcome="employed",
                stakeholder="participants",
                quantity=ik.dist.Triangular(10, 18, 24),
                proxy=9_000.0,
                duration=3,
                deadweight=ik.dist.Uniform(0.15, 0.35),
                drop_off=0.2,
            ),
            ik.OutcomeValuation(
                outcome="respite",
                stakeholder="families",
                quantity=30,
                proxy=1_200.0,
                attribution=0.2,
            ),
        ],
    )


def _model_text(fmt="json"):
    return ik.io.dumps(_model(), format=fmt)


def test_answers_a_valid_model(server):
    status, body, _ = _post(server, _model_text())
    assert status == 200
    model = _model()
    expected = ik.sroi(model)
    assert body["sroi"]["ratio"] == pytest.approx(expected.ratio, rel=1e-12)
    assert body["monte_carlo"]["n"] == 400
    assert body["monte_carlo"] == ik.monte_carlo(model, n=400, seed=7).to_dict()
    jsonschema.validate(body["sroi"], ik.io.result_schema("sroi"))
    jsonschema.validate(body["monte_carlo"], ik.io.result_schema("monte_carlo"))


def test_answers_yaml_and_no_draws(server):
    status, body, _ = _post(
        server, _model_text("yaml"), path="/sroi?draws=0", content_type="application/yaml"
    )
    assert status == 200
    assert body["monte_carlo"] is None


def test_refuses_an_oversized_body(server):
    status, body, _ = _post(server, " " * 250_000 + _model_text())
    assert status == 413
    assert body["error"] == "too_large"
    assert "200000" in body["message"]


def test_refuses_a_malformed_model_with_paths(server):
    status, body, _ = _post(server, '{"format_version": 1, "name": ')
    assert status == 400
    assert body["error"] == "unreadable_model"
    assert body["problems"]
    status, body, _ = _post(server, b"\xff\xfe not text")
    assert status == 400
    spec = json.loads(_model_text())
    spec["outcomes"][0]["deadweight"] = 1.4
    spec["inputs"][0]["amount"] = "lots"
    status, body, _ = _post(server, json.dumps(spec))
    assert status == 422
    assert body["error"] == "invalid_model"
    paths = {p["path"] for p in body["problems"]}
    assert {"outcomes[0].deadweight", "inputs[0].amount"} <= paths, paths


def test_refuses_too_many_draws_and_unknown_paths(server):
    status, body, _ = _post(server, _model_text(), path="/sroi?draws=100000")
    assert status == 400
    assert body["problems"][0]["path"] == "draws"
    status, body, _ = _post(server, _model_text(), path="/other")
    assert status == 404
    conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=TIMEOUT)
    try:
        conn.request("GET", "/sroi")
        resp = conn.getresponse()
        assert resp.status == 405
        assert json.loads(resp.read())["error"] == "method"
    finally:
        conn.close()


def test_identical_answers_under_concurrent_requests(server):
    text = _model_text()
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: _post(server, text), range(8)))
    assert {status for status, _, _ in answers} == {200}
    assert len({raw for _, _, raw in answers}) == 1


def test_time_limit_answers_in_json():
    srv = app.make_server(limits=app.Limits(timeout_seconds=0.001, workers=1))
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        status, body, _ = _post(srv, _model_text(), path="/sroi?draws=2000")
        assert status == 503
        assert body["error"] == "timeout"
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(timeout=30)
