"""Too few draws to rank-correlate are refused, not silently left independent."""

from __future__ import annotations

import pytest
from scipy import stats

import impactkit as ik
from impactkit.dist import LogNormal, Uniform
from impactkit.errors import ValidationError

PAIR = ("outcomes[0].quantity", "outcomes[0].proxy.value")


def _model() -> ik.ImpactModel:
    return ik.ImpactModel(
        name="m",
        inputs=[ik.Input("Grant", amount=1000)],
        outcomes=[
            ik.OutcomeValuation(
                outcome="a", stakeholder="s", quantity=Uniform(5, 15), proxy=LogNormal(150, 30)
            )
        ],
    )


@pytest.mark.parametrize("n", [1, 2, 3])
def test_fewer_than_k_plus_two_draws_refused(n: int) -> None:
    with pytest.raises(ValidationError) as err:
        ik.monte_carlo(_model(), n=n, seed=1, correlation={PAIR: 0.8})
    assert [(p.path, p.code) for p in err.value.problems] == [(("n",), "out_of_range")]


def test_k_plus_two_draws_are_ordered() -> None:
    mc = ik.monte_carlo(_model(), n=4, seed=1, correlation={PAIR: 1.0}, keep_samples=True)
    s = mc.samples
    assert s is not None
    assert stats.spearmanr(s[PAIR[0]], s[PAIR[1]]).statistic == pytest.approx(1.0)
