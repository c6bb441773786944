"""Tornado, tipping points and Sobol indices (Ishigami), as in docs/methods/uncertainty.md."""

from __future__ import annotations

import attrs
import numpy as np
import pytest

import impactkit as ik
from impactkit import dist
from impactkit.uncertainty import sobol, sobol_indices, tipping_points, tornado

from strategies import synthetic_model


def test_tipping_fixture():
    tp = tipping_points(synthetic_model()).set_index("parameter")
    assert tp.loc["outcomes[0].proxy.value", "tipping_value"] == pytest.approx(325.15, abs=0.01)
    assert tp.loc["outcomes[0].quantity", "tipping_value"] == pytest.approx(16.2575, abs=1e-3)
    assert tp.loc["outcomes[0].deadweight", "tipping_value"] == pytest.approx(0.7399, abs=1e-4)
    assert not tp.loc["outcomes[0].drop_off", "attainable"]
    assert tp.loc["outcomes[0].drop_off", "tipping_value"] is None
    assert "above" in tp.loc["outcomes[0].drop_off", "note"]
    assert tp["tipping_value"].map(lambda x: x is None or np.isfinite(x)).all()


def test_tipping_values_really_tip():
    m = synthetic_model()
    tp = tipping_points(m)
    for _, row in tp[tp["attainable"]].iterrows():
        path = row["parameter"]
        v = row["tipping_value"]
        if path == "discount.rate":
            m2 = m.evolve(discount=v)
        elif path.startswith("inputs"):
            i = int(path[7])
            ins = list(m.inputs)
            ins[i] = attrs.evolve(ins[i], amount=v)
            m2 = m.evolve(inputs=ins)
        else:
            k = int(path[9])
            field = path.split(".")[1]
            rows = list(m.outcomes)
            if field == "duration":
                v = dist.Fixed(v)  # a fractional duration is a sampled value
            rows[k] = attrs.evolve(rows[k], **{field: v})
            m2 = m.evolve(outcomes=rows)
        assert ik.sroi(m2).ratio == pytest.approx(1.0, abs=1e-6), path


def test_tipping_rate_and_duration_by_brent():
    m = synthetic_model(inputs=[ik.Input("big", amount=100_000)])
    tp = tipping_points(m, parameters=["discount.rate", "outcomes[0].duration"]).set_index(
        "parameter"
    )
    assert tp.loc["discount.rate", "method"] == "brent"
    r = tp.loc["discount.rate", "tipping_value"]
    assert ik.sroi(m.evolve(discount=r)).ratio == pytest.approx(1.0, abs=1e-8)


def test_tornado_sorted_and_bounded():
    m = synthetic_model()
    a = attrs.evolve(m.outcomes[0], deadweight=dist.Triangular(0.1, 0.2, 0.4))
    m = m.evolve(outcomes=[a, m.outcomes[1]])
    t = tornado(m)
    assert list(t["swing"]) == sorted(t["swing"], reverse=True)
    row = t.set_index("parameter").loc["outcomes[0].deadweight"]
    assert row["source"] == "p10/p90"
    assert row["low_value"] == pytest.approx(dist.Triangular(0.1, 0.2, 0.4).ppf(0.1))
    q = t.set_index("parameter").loc["outcomes[0].quantity"]
    assert (q["low_value"], q["high_value"]) == (pytest.approx(40), pytest.approx(60))
    base = ik.sroi(m).ratio
    assert np.allclose(t["metric_base"], base)
    # haircuts are clipped to [0, 1]
    m2 = synthetic_model()
    rows = [attrs.evolve(m2.outcomes[0], deadweight=0.95), m2.outcomes[1]]
    t2 = tornado(m2.evolve(outcomes=rows), swing=0.2).set_index("parameter")
    assert t2.loc["outcomes[0].deadweight", "high_value"] == 1.0


def test_tornado_metric_and_params_checks():
    with pytest.raises(ik.ValidationError, match="unknown parameters"):
        tornado(synthetic_model(), parameters=["outcomes[9].quantity"])
    with pytest.raises(ik.ValidationError):
        tornado(synthetic_model(), metric="irr")


def ishigami(x, a=7.0, b=0.1):
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_sobol_ishigami():
    u = {f"x{i}": dist.Uniform(-np.pi, np.pi) for i in (1, 2, 3)}
    s = sobol_indices(ishigami, u, n=2**14, seed=1).indices
    np.testing.assert_allclose(s["S1"], [0.3139, 0.4424, 0.0], atol=0.02)
    np.testing.assert_allclose(s["ST"], [0.5576, 0.4424, 0.2437], atol=0.02)


def test_sobol_closed_form_with_non_uniform_inputs():
    """Indices known in closed form, through the quantile maps of non-uniform inputs.

    For :math:`Y = X_1 X_2 + X_3` with independent inputs of means :math:`m_i` and
    variances :math:`v_i`: :math:`V = m_1^2 v_2 + m_2^2 v_1 + v_1 v_2 + v_3`,
    :math:`S_1 = m_2^2 v_1 / V`, :math:`S_{T1} = (m_2^2 v_1 + v_1 v_2) / V` (and
    symmetrically for :math:`X_2`), :math:`S_3 = S_{T3} = v_3 / V`. Over four seeds the
    largest error at n = 2^14 is 5e-4; 0.005 is ten times that and still far inside the
    distance between any two of the true indices.
    """
    d = {
        "x1": dist.Normal(1.0, 0.5),
        "x2": dist.Triangular(0.0, 2.0, 4.0),
        "x3": dist.Uniform(0.0, 2.0),
    }
    m1, m2 = 1.0, 2.0
    v1, v2, v3 = 0.25, 12 / 18, 1 / 3  # normal sd^2; triangular (a²+b²+c²-ab-ac-bc)/18; (b-a)²/12
    total = m1**2 * v2 + m2**2 * v1 + v1 * v2 + v3
    s1 = np.array([m2**2 * v1, m1**2 * v2, v3]) / total
    st = np.array([m2**2 * v1 + v1 * v2, m1**2 * v2 + v1 * v2, v3]) / total
    s = sobol_indices(lambda x: x[:, 0] * x[:, 1] + x[:, 2], d, n=2**14, seed=3).indices
    np.testing.assert_allclose(s["S1"], s1, atol=0.005)
    np.testing.assert_allclose(s["ST"], st, atol=0.005)
    assert (np.abs(s["S1"] - s1) <= s["S1_conf"]).all()
    assert (np.abs(s["ST"] - st) <= s["ST_conf"]).all()


def test_sobol_on_model():
    m = synthetic_model()
    a = attrs.evolve(
        m.outcomes[0], quantity=dist.Uniform(30, 70), deadweight=dist.Uniform(0.19, 0.21)
    )
    s = sobol(m.evolve(outcomes=[a, m.outcomes[1]]), n=1024).indices
    assert s.loc["outcomes[0].quantity", "ST"] > 0.9
    assert s.loc["outcomes[0].deadweight", "ST"] < 0.05
    with pytest.raises(ik.ValidationError, match="no distributions"):
        sobol(synthetic_model())
    with pytest.raises(ik.ValidationError, match="power of 2"):
        sobol_indices(ishigami, {"a": dist.Uniform(0, 1)}, n=1000)


# --------------------------------------------------------------------------- second order


def _ishigami(x):
    return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_second_order_against_salib_on_the_same_samples():
    from SALib.analyze import sobol as salib_sobol
    from SALib.sample import sobol as salib_sample

    from impactkit.uncertainty import second_order_indices

    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}
    x = salib_sample.sample(problem, 1024, calc_second_order=True, seed=3)
    y = _ishigami(x)
    ref = salib_sobol.analyze(
        problem, y, calc_second_order=True, num_resamples=10, print_to_console=False, seed=3
    )
    s2, conf = second_order_indices(y, 3, n_bootstrap=200, seed=0)
    upper = np.triu_indices(3, 1)
    np.testing.assert_allclose(s2[upper], np.asarray(ref["S2"])[upper], rtol=1e-10, atol=1e-12)
    assert np.all(np.isnan(s2[np.tril_indices(3)]))
    # the bootstrap half-widths are of the same size as SALib's
    ratio = conf[upper] / np.asarray(ref["S2_conf"])[upper]
    assert np.all((ratio > 0.3) & (ratio < 3))
    # Ishigami: only x1 and x3 interact, S13 = ST1 - S1 = 0.5576 - 0.3139 = 0.2437
    assert s2[0, 2] == pytest.approx(0.2437, abs=0.08)
    assert abs(s2[0, 1]) < 0.08
    assert abs(s2[1, 2]) < 0.08


def test_sobol_indices_returns_second_order_columns():
    from impactkit.uncertainty import sobol_indices

    dists = {n: ik.dist.Uniform(-np.pi, np.pi) for n in ("x1", "x2", "x3")}
    t = sobol_indices(
        _ishigami, dists, n=1024, seed=1, calc_second_order=True, n_bootstrap=20
    ).indices
    assert {"S2_x1", "S2_x2", "S2_x3", "S2_conf_x3"} <= set(t.columns)
    assert t.loc["x1", "S2_x3"] == pytest.approx(0.2437, abs=0.08)
    assert np.isnan(t.loc["x3", "S2_x1"])
    first = sobol_indices(_ishigami, dists, n=1024, seed=1, n_bootstrap=20).indices
    assert list(first.columns) == ["S1", "S1_conf", "ST", "ST_conf"]


def test_second_order_rejects_bad_shape():
    from impactkit.errors import ValidationError
    from impactkit.uncertainty import second_order_indices

    with pytest.raises(ValidationError):
        second_order_indices(np.zeros(10), 3)
