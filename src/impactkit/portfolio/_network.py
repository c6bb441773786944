"""The network view: what a federation's establishments contribute, compared fairly.

:func:`analyse_network` evaluates every site with the portfolio engine and
gathers what a federation reports on: totals, breakdowns by sector, region,
stakeholder and payer, the uncertainty of the network total, a funnel plot
per indicator and the "remarkable practices" (sites credibly above the network
after shrinkage). It computes only; :func:`impactkit.report.network` presents
the result in French or English.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from impactkit._results import Summary, displayed, freeze, jsonable
from impactkit.errors import Problem, ValidationError
from impactkit.portfolio._comparison import FunnelResult, funnel, shrink
from impactkit.typing import FloatArray

__all__ = ["NetworkAnalysis", "analyse_network", "nearest_members", "pseudonyms"]


_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base-32 alphabet: no I, L, O or U to misread."""


def _tag(digest: bytes, width: int) -> str:
    bits = int.from_bytes(digest, "big")
    top = len(digest) * 8
    return "".join(_CROCKFORD[(bits >> (top - 5 * (i + 1))) & 31] for i in range(width))


def pseudonyms(sites: Sequence[Any], *, key: str | bytes | None = None) -> dict[Any, str]:
    """Stable pseudonyms for site names (``"E-7KQ2MX"``, ...), keyed by a secret.

    Each pseudonym is the keyed hash (HMAC-SHA256) of the site's id alone,
    written as ``E-`` and its first six characters in Crockford's base 32 (no
    I, L, O or U): the same site gets the same pseudonym with the same key
    whichever members join or leave, and without the key nobody can compute
    one from a public list of ids (a FINESS list, say). The key is never
    derived from the data: a federation chooses it once, keeps it secret and
    gives it to every report. In the rare case where two ids share six
    characters (about one chance in two thousand for a thousand sites) those
    two get ten.

    Parameters
    ----------
    sites : sequence
        Site names or ids.
    key : str or bytes
        Secret key (required, not empty); keep it to reproduce the pseudonyms
        across reports and years.

    Returns
    -------
    dict
        Site → pseudonym.

    Raises
    ------
    ValidationError
        No key, or an empty one.

    References
    ----------
    .. [1] Krawczyk, H., Bellare, M. & Canetti, R. (1997). HMAC: Keyed-Hashing for
       Message Authentication. RFC 2104.

    Examples
    --------
    >>> p = pseudonyms(["Foyer A", "Foyer B"], key="secret")
    >>> p == {"Foyer A": p["Foyer A"], "Foyer B": p["Foyer B"]}, len(p["Foyer A"])
    (True, 8)
    >>> pseudonyms(["Foyer A", "Foyer C"], key="secret")["Foyer A"] == p["Foyer A"]
    True
    """
    if key is None or len(key) == 0:
        raise ValidationError(
            "pseudonyms need a secret key (key=...): a key derived from the data would let "
            "anyone with the list of ids recompute them",
            path=("key",),
            code="missing",
        )
    k = key.encode() if isinstance(key, str) else bytes(key)
    names = list(dict.fromkeys(sites))
    keyed = hmac.new(k, digestmod=hashlib.sha256)  # the key is prepared once, then copied
    digests = {}
    for s in names:
        h = keyed.copy()
        h.update(str(s).encode())
        digests[s] = h.digest()
    short = {s: _tag(d, 6) for s, d in digests.items()}
    seen: dict[str, int] = {}
    for tag in short.values():
        seen[tag] = seen.get(tag, 0) + 1
    return {
        s: "E-" + (_tag(d, 10) if seen[short[s]] > 1 else short[s]) for s, d in digests.items()
    }


def nearest_members(wanted: Any, ids: Any, *, n: int = 3) -> list[Any]:
    """The ids closest to a mistyped member id, closest first (at most ``n``).

    The ids within a third of the id's length in edits (Levenshtein distance,
    case ignored), fewest edits first, then the longest common beginning (the
    department of a FINESS number); else the closest by
    :func:`difflib.get_close_matches`.

    Parameters
    ----------
    wanted : object
        The id given.
    ids : iterable
        The ids of the network's establishments.
    n : int, default 3
        Suggestions at most.

    Returns
    -------
    list
        The suggested ids, as they are in ``ids``.

    Examples
    --------
    >>> nearest_members("Foyer Lumiere", ["Foyer Lumière", "Foyer du Parc", "ESAT Nord"])
    ['Foyer Lumière']
    >>> nearest_members("750000123", ["750000124", "130000123", "750000999"], n=2)
    ['750000124', '130000123']
    """
    import difflib

    by_text: dict[str, Any] = {}
    for x in ids:
        by_text.setdefault(str(x).casefold(), x)
    key = str(wanted).casefold()

    def edits(t: str) -> int:  # Levenshtein distance
        row = list(range(len(key) + 1))
        for i, a in enumerate(t, 1):
            prev, row[0] = row[0], i
            for j, b in enumerate(key, 1):
                prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (a != b))
        return row[-1]

    def shared(t: str) -> int:  # length of the common beginning
        return next(
            (i for i, (a, b) in enumerate(zip(t, key, strict=False)) if a != b),
            min(len(t), len(key)),
        )

    limit = max(1, len(key) // 3)
    scored = [(edits(t), -shared(t), t) for t in by_text]
    close = [t for d, _, t in sorted(scored) if d <= limit][:n]
    if not close:
        close = difflib.get_close_matches(key, list(by_text), n=n, cutoff=0.6)
    return [by_text[t] for t in close]


@displayed(headline=("Network ratio", "Sites", "Present value"))
@attrs.frozen
class NetworkAnalysis:
    """Everything a federation report shows, computed once.

    Parameters
    ----------
    sites : pandas.DataFrame
        One row per site: the portfolio result plus ``label`` (the site name,
        or its pseudonym when anonymised).
    totals : mapping
        ``sites``, ``present_value``, ``total_inputs``, ``net_present_value``,
        ``ratio`` (value-weighted, :math:`\\sum PV / \\sum I`).
    by_sector, by_region : pandas.DataFrame or None
        Totals and ratios by group.
    distribution : pandas.DataFrame or None
        Percentiles of the site ratios by sector.
    by_stakeholder, by_payer : pandas.DataFrame or None
        Present value and share by stakeholder and by payer; rows with none
        count under ``-`` (the report reads it "not given").
    uncertainty : mapping or None
        Percentiles of the network present value and ratio under Monte Carlo.
    funnels : mapping
        Indicator → :class:`FunnelResult`, its table with the shrunk estimates.
    indicators : mapping
        Indicator → label.
    remarkable : pandas.DataFrame
        Sites credibly above the network on an indicator.
    anonymised : bool
        Whether ``label`` holds pseudonyms.
    currency : str, default "EUR"
        Currency of the values.
    seed_entropy : int or None, default None
        Entropy of the seed of the Monte Carlo, which reproduces it (None
        without one, or with a Generator).
    discount : Constant, Schedule or None, default None
        The discounting every site was evaluated with (stated in the report's
        method section).

    Examples
    --------
    :func:`analyse_network` returns it; here for a synthetic network of twelve
    establishments in six fields, their names replaced by pseudonyms:

    >>> from impactkit.examples import synthetic_network
    >>> outcomes, inputs = synthetic_network(12, seed=1)
    >>> a = analyse_network(outcomes, inputs, anonymise=True, key="federation")
    >>> int(a.totals["sites"]), round(a.totals["ratio"], 4), a.anonymised
    (12, 1.1756, True)
    >>> ratios = a.by_sector.set_index("sector")["ratio"].round(2)
    >>> ratios[["handicap", "protection_enfance"]].tolist()
    [2.11, 1.89]
    >>> a.sites["label"].iloc[0]
    'E-KVQYV5'
    """

    sites: pd.DataFrame = attrs.field(eq=False)
    totals: Mapping[str, float] = attrs.field(converter=freeze)
    by_sector: pd.DataFrame | None = attrs.field(eq=False)
    by_region: pd.DataFrame | None = attrs.field(eq=False)
    distribution: pd.DataFrame | None = attrs.field(eq=False)
    by_stakeholder: pd.DataFrame | None = attrs.field(eq=False)
    by_payer: pd.DataFrame | None = attrs.field(eq=False)
    uncertainty: Mapping[str, float] | None = attrs.field(converter=freeze)
    funnels: Mapping[str, FunnelResult] = attrs.field(eq=False, converter=freeze)
    indicators: Mapping[str, str] = attrs.field(converter=freeze)
    remarkable: pd.DataFrame = attrs.field(eq=False)
    anonymised: bool
    currency: str = "EUR"
    seed_entropy: int | None = None
    """Entropy of the seed of the Monte Carlo (None without one, or with a Generator)."""
    discount: Any = None
    """The discounting every site was evaluated with (None when not recorded)."""

    def to_frame(self) -> pd.DataFrame:
        """The per-site table.

        Returns
        -------
        pandas.DataFrame
            A copy of :attr:`sites`.
        """
        return self.sites.copy()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (per-site rows included).

        Returns
        -------
        dict
            Every table as records, totals and uncertainty; ``discount`` as
            words (the convention the report states).
        """
        return {
            "totals": jsonable(dict(self.totals)),
            "uncertainty": jsonable(dict(self.uncertainty)) if self.uncertainty else None,
            "sites": jsonable(self.sites),
            "by_sector": jsonable(self.by_sector),
            "by_region": jsonable(self.by_region),
            "by_stakeholder": jsonable(self.by_stakeholder),
            "by_payer": jsonable(self.by_payer),
            "remarkable": jsonable(self.remarkable),
            "indicators": jsonable(dict(self.indicators)),
            "anonymised": self.anonymised,
            "currency": self.currency,
            "seed_entropy": self.seed_entropy,
            "discount": None if self.discount is None else self.discount.describe(),
        }

    def summary(self) -> Summary:
        """Headline figures for people.

        Returns
        -------
        Summary
            Sites, totals, network ratio and the number of remarkable practices.
        """
        t = self.totals
        lines = (
            ("Sites", f"{int(t['sites'])}"),
            ("Present value", f"{t['present_value']:,.0f} {self.currency}"),
            ("Inputs", f"{t['total_inputs']:,.0f} {self.currency}"),
            ("Network ratio", f"{t['ratio']:.2f} : 1"),
            ("Remarkable practices", str(len(self.remarkable))),
        )
        return Summary("Network", lines, self.by_sector)


@attrs.frozen
class _Indicators:
    """The rows that carry a denominator, as columns: each indicator's proportions."""

    sites: Any  # the site of each row (the column's own array, not Python objects)
    codes: npt.NDArray[np.int64]  # the indicator of each row, numbered by first appearance
    names: list[str]  # the indicators' ids
    value: FloatArray  # quantity / n
    n: FloatArray
    labels: dict[str, str]  # id -> label


def _indicator_rows(
    outcomes: pd.DataFrame, site: str, denominator: str, quantity: FloatArray
) -> _Indicators | None:
    """Site × indicator proportions from the rows that carry a denominator.

    ``quantity`` is every row's central quantity as evaluated (a blank cell
    with a distribution reads its mean).
    """
    if denominator not in outcomes.columns or "outcome" not in outcomes.columns:
        return None
    has = outcomes[denominator].notna().to_numpy()
    at = None if has.all() else np.flatnonzero(has)  # the rows, not a copy of the table
    if (at is not None and not at.size) or not len(outcomes):
        return None

    def numbers(col: str) -> FloatArray:
        x = pd.to_numeric(outcomes[col], errors="coerce").to_numpy(dtype=float)
        return x if at is None else x[at]

    q, n = (quantity if at is None else quantity[at]), numbers(denominator)
    bad = ~np.isfinite(n) | (n <= 0) | ~np.isfinite(q) | (q > n) | (q < 0)
    if bad.any():
        index = outcomes.index if at is None else outcomes.index[at]
        raise ValidationError(
            [
                Problem(
                    ("outcomes", denominator),
                    "out_of_range",
                    f"{int(bad.sum())} rows need 0 <= quantity <= {denominator} with "
                    f"{denominator} > 0 (rows {list(index[bad][:10])})",
                )
            ]
        )
    ids = outcomes["outcome"]
    if not isinstance(ids.dtype, pd.StringDtype):
        ids = ids.astype(str)
    raw, uniques = pd.factorize(ids.array if at is None else ids.array.take(at), sort=False)
    codes = raw.astype(np.int64, copy=False)
    if (codes < 0).any():  # a measured row must say which indicator it measures
        index = outcomes.index if at is None else outcomes.index[at]
        raise ValidationError(
            [
                Problem(
                    ("outcomes", "outcome"),
                    "missing",
                    f"rows {list(index[codes < 0][:10])} give {denominator} but no outcome id",
                )
            ]
        )
    names = [str(u) for u in uniques]
    first = np.unique(codes, return_index=True)[1]  # each indicator's first row
    if "label" in outcomes.columns:
        rows = first if at is None else at[first]
        lab = outcomes["label"].iloc[rows].tolist()  # the first row of each, not every row
        labels = {k: str(x) for k, x in zip(names, lab, strict=True)}
    else:
        labels = {k: k for k in names}
    sites = outcomes[site].array
    return _Indicators(sites if at is None else sites.take(at), codes, names, q / n, n, labels)


def analyse_network(
    outcomes_df: pd.DataFrame,
    inputs_df: pd.DataFrame,
    *,
    site: str = "site",
    discount: Any = 0.035,
    sector: str = "sector",
    region: str = "region",
    stakeholder: str = "stakeholder",
    payer: str = "payer",
    denominator: str = "n",
    n_draws: int = 0,
    seed: Any = None,
    anonymise: bool = False,
    key: str | bytes | None = None,
    currency: str = "EUR",
    models: Mapping[Any, Any] | None = None,
    overdispersion: bool = True,
) -> NetworkAnalysis:
    r"""Evaluate a network of establishments and gather its federation report.

    Parameters
    ----------
    outcomes_df, inputs_df : pandas.DataFrame
        The tidy tables of :func:`impactkit.portfolio.evaluate`. Optional
        columns of ``outcomes_df``: ``sector`` and ``region`` (constant within a
        site), ``payer`` (who bears the value, e.g. État, Assurance maladie,
        département), and ``denominator`` (people measured for the row's
        outcome, which makes the row an indicator :math:`quantity / n` for the
        funnel plots).
    site : str, default "site"
        The site column.
    discount : Discount or float, default 0.035
        As in :func:`impactkit.portfolio.evaluate`.
    sector, region, stakeholder, payer, denominator : str
        Names of the optional columns.
    n_draws : int, default 0
        Monte Carlo draws for the uncertainty of the network total (0: none).
    seed : int, SeedSequence, Generator or None
        Seed of the Monte Carlo; None draws fresh entropy, recorded on the
        result as ``seed_entropy``.
    anonymise : bool, default False
        Replace site names by stable pseudonyms (:func:`pseudonyms`); needs
        ``key``.
    key : str or bytes, optional
        Secret key of the pseudonyms (required with ``anonymise``, never
        derived from the data).
    currency : str, default "EUR"
        Currency of the values.
    overdispersion : bool, default True
        Widen the funnel limits by :math:`\sqrt{\hat\phi}` when sites differ
        more than chance allows (they serve different publics), as recommended
        for institutional comparisons; ``False`` gives the pure sampling limits.
    models : mapping, optional
        Site → :class:`~impactkit.ImpactModel`: a remarkable site is then shown
        with a summary of its theory of change (its outcomes) and, when the
        model holds qualitative evidence, up to two consented quotes
        (``toc`` and ``voice`` columns). Evidence without consent never appears.

    Returns
    -------
    NetworkAnalysis
        Totals, breakdowns, funnels and remarkable practices.

    Raises
    ------
    ValidationError
        Invalid tables (every problem at once, as in
        :func:`~impactkit.portfolio.evaluate`), indicator rows whose
        quantity exceeds their denominator, or no outcome row at all (code
        ``empty``).

    Notes
    -----
    A site is a *remarkable practice* on an indicator when its value lies
    above the 99.8 % funnel limit **and** its shrunk estimate (empirical-Bayes,
    DerSimonian–Laird :math:`\tau^2`) still lies above the 95 % limit: a
    result unlikely to be chance, not merely the luck of a small service.

    Examples
    --------
    >>> outcomes = pd.DataFrame({"site": ["a", "a", "b", "b"], "outcome": ["job", "home"] * 2,
    ...     "quantity": [30, 10, 12, 5], "n": [40, 40, 30, 30], "proxy": [8000.0, 500.0] * 2,
    ...     "sector": ["insertion"] * 4})
    >>> inputs = pd.DataFrame({"site": ["a", "b"], "amount": [150_000.0, 90_000.0]})
    >>> a = analyse_network(outcomes, inputs, discount=0.0)
    >>> round(a.totals["ratio"], 4)
    1.4312
    """
    from impactkit import portfolio as pf
    from impactkit.portfolio._evaluate import _evaluate

    extra = [c for c in (payer, denominator) if c in outcomes_df.columns]
    by = [c for c in (sector, region) if c in outcomes_df.columns]
    core = outcomes_df.drop(columns=extra)
    # one check of the tables, one pass of the kernel: the sites and every row's value
    res, row_pv, row_quantity = _evaluate(core, inputs_df, site=site, discount=discount, by=by)
    if not len(res):  # no network ratio without a site
        raise ValidationError(
            "no outcome rows: no site to report on", path=("outcomes",), code="empty"
        )
    if anonymise and not key:
        raise ValidationError(
            "anonymise=True needs a secret key (key=...): a key derived from the data "
            "would let anyone with the list of ids recompute the pseudonyms",
            path=("key",),
            code="missing",
        )
    names = pseudonyms(res[site].tolist(), key=key) if anonymise else None
    if names:
        res[site] = [names[x] for x in res[site]]
    res.insert(1, "label", res[site].astype(str))
    pv, inp = float(res["present_value"].sum()), float(res["total_inputs"].sum())
    totals = {
        "sites": float(len(res)),
        "present_value": pv,
        "total_inputs": inp,
        "net_present_value": pv - inp,
        "ratio": pv / inp,
    }
    by_sector = pf.aggregate(res, sector) if sector in by else None
    by_region = pf.aggregate(res, region) if region in by else None
    distribution = pf.distribution(res, by=sector) if sector in by else None
    by_stakeholder = by_payer = None
    if stakeholder in core.columns:
        by_stakeholder = _shares(row_pv, core[stakeholder], missing="-")
    if payer in outcomes_df.columns:
        by_payer = _shares(row_pv, outcomes_df[payer], missing="-")
    uncertainty = None
    entropy = None
    if n_draws:
        draws = pf.monte_carlo(
            core.drop(columns=by), inputs_df, n=n_draws, seed=seed, site=site, discount=discount
        )
        entropy = draws.seed_entropy
        total = draws.present_value.sum(axis=1)
        q = np.percentile(total, [5, 50, 95])
        r = draws.network_ratio()
        qr = np.percentile(r, [5, 50, 95])
        uncertainty = {
            "draws": float(n_draws),
            "present_value_p5": float(q[0]),
            "present_value_p50": float(q[1]),
            "present_value_p95": float(q[2]),
            "ratio_p5": float(qr[0]),
            "ratio_p50": float(qr[1]),
            "ratio_p95": float(qr[2]),
            "probability_ratio_above_1": float(np.mean(r > 1)),
        }
    rows = _indicator_rows(outcomes_df, site, denominator, row_quantity)
    indicators = rows.labels if rows is not None else {}
    funnels: dict[str, FunnelResult] = {}
    remarkable: list[pd.DataFrame] = []
    if rows is not None:
        site_ids = rows.sites
        if names:  # pseudonyms once for every indicator's rows
            site_ids = pd.Series(site_ids, copy=False).map(names).array
        for k, ind in enumerate(rows.names):
            sel = np.flatnonzero(rows.codes == k)
            value, n_obs = rows.value[sel], rows.n[sel]
            if np.unique(value).size < 2 or not 0 < np.average(value, weights=n_obs) < 1:
                continue
            part = pd.DataFrame({site: site_ids.take(sel), "value": value, "n": n_obs})
            fr = funnel(part, value="value", n="n", site=site, overdispersion=overdispersion)
            f = fr.table  # gains the shrunk estimates below
            p = np.clip(value, 0.5 / n_obs, 1 - 0.5 / n_obs)
            shrunk = shrink(p, np.sqrt(p * (1 - p) / n_obs), n_draws=0).table["shrunk"].to_numpy()
            f["shrunk"] = shrunk
            funnels[ind] = fr
            hit = np.flatnonzero(
                (f["flag"].to_numpy(dtype=object) == "above") & (shrunk > f["upper_95"].to_numpy())
            )
            if hit.size:
                remarkable.append(_remarkable(f, hit, ind, indicators.get(ind, ind), site))
    rem = pd.concat(remarkable, ignore_index=True) if remarkable else pd.DataFrame()
    if by and not rem.empty:  # sector and region of the remarkable sites, in one lookup
        at = pd.Index(res[site]).get_indexer(rem[site])
        for c in by:
            rem[c] = res[c].array.take(at, allow_fill=True)
    if models and not rem.empty:
        back = {v: k for k, v in names.items()} if names else {}
        found = [models.get(back.get(x, x)) for x in rem[site]]
        rem["toc"] = [_toc_summary(m) for m in found]
        rem["voice"] = [_voice(m) for m in found]
    if not rem.empty:
        rem = rem.sort_values(["indicator", "shrunk"], ascending=[True, False], ignore_index=True)
    return NetworkAnalysis(
        sites=res.reset_index(drop=True),
        totals=totals,
        by_sector=by_sector,
        by_region=by_region,
        distribution=distribution,
        by_stakeholder=by_stakeholder,
        by_payer=by_payer,
        uncertainty=uncertainty,
        funnels=funnels,
        indicators=indicators,
        remarkable=rem,
        anonymised=bool(names),
        currency=currency,
        seed_entropy=entropy,
        discount=_discount_of(discount),
    )


def _remarkable(
    f: pd.DataFrame, hit: npt.NDArray[np.intp], ind: str, label: str, site: str
) -> pd.DataFrame:
    """The few remarkable sites of one funnel, read from the columns (not row by row)."""
    cols = {c: f[c].to_numpy()[hit] for c in ("value", "n", "shrunk", "target", "upper_998")}
    return pd.DataFrame({site: f[site].array.take(hit), "indicator": ind, "label": label, **cols})


def _discount_of(discount: Any) -> Any:
    """The discounting as recorded on the result: a number becomes a :class:`Constant`."""
    from impactkit.discount import Constant

    if isinstance(discount, int | float) and not isinstance(discount, bool):
        return Constant(float(discount))
    return discount


def _shares(values: FloatArray, key: pd.Series, *, missing: str | None = None) -> pd.DataFrame:
    """Present value and share of the total by group, largest first.

    Rows with no group are left out, or grouped under ``missing`` when given.
    The groups are the labels as text; the sums come from one hash of the
    labels and :func:`numpy.bincount`.
    """
    # grouped as text: 1 and "1" (a number and a text cell of a sheet) are one group
    text = key if isinstance(key.dtype, pd.StringDtype) else key.astype(str).where(key.notna())
    raw, uniques = pd.factorize(text, sort=True)
    codes = raw.astype(np.int64, copy=False)
    labels = [str(u) for u in uniques]
    if missing is not None and (codes < 0).any():
        if missing in labels:
            codes = np.where(codes < 0, labels.index(missing), codes)
        else:
            codes = np.where(codes < 0, len(labels), codes)
            labels.append(missing)
    keep = codes >= 0
    pv = np.bincount(codes[keep], weights=values[keep], minlength=len(labels))
    out = pd.DataFrame({"group": labels, "present_value": pv})
    total = out["present_value"].sum()
    out["share"] = out["present_value"] / total if total else 0.0
    return out.sort_values("present_value", ascending=False, ignore_index=True)


def _toc_summary(model: Any) -> str:
    """The outcomes of a model's theory of change, by label."""
    toc = getattr(model, "toc", None)
    if toc is None:
        return ""
    g = toc.graph
    labels = [
        str(d.get("label") or n) for n, d in g.nodes(data=True) if d.get("kind") == "outcome"
    ]
    return "; ".join(labels[:6])


def _voice(model: Any) -> str:
    """Up to two consented, supporting quotes of a model's evidence, names pseudonymised."""
    evidence = tuple(getattr(model, "evidence", ()) or ())
    if not evidence:
        return ""
    from impactkit import qualitative as ql

    shown = ql.consented(evidence)
    meta = getattr(model, "metadata", None) or {}
    names = {str(e.person) for e in evidence if getattr(e, "person", None)}
    names |= {str(n) for n in meta.get("personal_names", ()) or ()}
    if names:
        shown = ql.pseudonymise(shown, sorted(names))
    quotes = [str(e.text) for e in shown if e.direction == "supports" and e.text]
    return " / ".join(f"« {q} »" for q in quotes[:2])
