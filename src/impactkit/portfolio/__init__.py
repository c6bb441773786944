r"""Network scale: the SROI of thousands of establishments at once.

The portfolio is a front end of the model engine, not a second engine. Tidy
tables in — one row per site × outcome, named like the
:class:`~impactkit.OutcomeValuation` fields, and inputs per site (or per site ×
input) — one row per site out, evaluated by the same kernel as
:func:`impactkit.sroi` in one vectorised call over every row of every site.
:func:`from_models` writes any set of models as such tables, and
:func:`evaluate` / :func:`monte_carlo` on them give the numbers of
:func:`impactkit.sroi` / :func:`impactkit.monte_carlo` on each model.

Any field may carry a distribution of :mod:`impactkit.dist` per row, in
columns ``F_dist`` (its name) and ``F_<parameter>`` (see the file-format page).
Validation reads the same field table as the model validators and is
vectorised over rows.

Work can be split by site over any :class:`concurrent.futures.Executor`
(including a ``dask.distributed`` client); sites are cut into fixed blocks of
:data:`SITE_BLOCK`, each with its own random streams, so results are identical
whatever the executor or the number of workers.
"""

from impactkit.portfolio._comparison import (
    FunnelResult,
    ShrinkageResult,
    dersimonian_laird,
    funnel,
    shrink,
)
from impactkit.portfolio._evaluate import (
    aggregate,
    distribution,
    evaluate,
    position,
    row_values,
    stakeholder_shares,
)
from impactkit.portfolio._from_models import from_models
from impactkit.portfolio._monte_carlo import PortfolioMonteCarlo, monte_carlo
from impactkit.portfolio._network import (
    NetworkAnalysis,
    analyse_network,
    nearest_members,
    pseudonyms,
)
from impactkit.portfolio._tables import NUMERIC_COLUMNS, SITE_BLOCK

__all__ = [
    "NUMERIC_COLUMNS",
    "SITE_BLOCK",
    "FunnelResult",
    "NetworkAnalysis",
    "PortfolioMonteCarlo",
    "ShrinkageResult",
    "aggregate",
    "analyse_network",
    "dersimonian_laird",
    "distribution",
    "evaluate",
    "from_models",
    "funnel",
    "monte_carlo",
    "nearest_members",
    "position",
    "pseudonyms",
    "row_values",
    "shrink",
    "stakeholder_shares",
]
