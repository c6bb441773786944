"""impactkit benchmarks: each case timed side by side with a baseline or peer, as ratios.

Usage::

    python benchmarks/run.py            # full sizes (the figures quoted in issues)
    python benchmarks/run.py --quick    # small sizes, for CI
    python benchmarks/run.py --only mc  # cases whose name contains "mc"
    python benchmarks/run.py --strict   # exit with status 1 when a goal is missed

Prints one table per case (impactkit time, baseline time, ratio, goal) and writes
``benchmarks/results.json``. Times are the best of a few repeats
(``time.perf_counter``); memory peaks come from ``tracemalloc``, which numpy reports to.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).parent
CASES: dict[str, Callable[[bool], list[dict[str, Any]]]] = {}


def case(name: str) -> Callable[[Callable[[bool], list[dict[str, Any]]]], Any]:
    def register(fn: Callable[[bool], list[dict[str, Any]]]) -> Any:
        CASES[name] = fn
        return fn

    return register


def best_of(fn: Callable[[], Any], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def row(
    name: str,
    ik_s: float,
    base_name: str,
    base_s: float,
    goal: str,
    ok: bool,
    ratio: float | None = None,
    note: str = "",
) -> dict[str, Any]:
    return {
        "measure": name,
        "impactkit_s": ik_s,
        "baseline": base_name,
        "baseline_s": base_s,
        "ratio": ratio if ratio is not None else (ik_s / base_s if base_s else None),
        "goal": goal,
        "ok": ok,
        "note": note,
    }


# --------------------------------------------------------------------- theory of change
def layered_toc(n_nodes: int, n_links: int, seed: int = 0) -> Any:
    import impactkit as ik

    rng = np.random.default_rng(seed)
    kinds = [
        ("input", None),
        ("activity", None),
        ("output", None),
        ("outcome", "short"),
        ("outcome", "intermediate"),
        ("outcome", "long"),
        ("impact", None),
    ]
    shares = np.array([0.05, 0.15, 0.25, 0.2, 0.15, 0.15, 0.05])
    counts = np.maximum(1, (shares * n_nodes).astype(int))
    counts[-1] = 1
    toc = ik.TheoryOfChange("benchmark")
    toc.add_stakeholder("p")
    layers: list[list[str]] = []
    for (kind, hz), c in zip(kinds, counts, strict=True):
        layer = []
        for j in range(int(c)):
            nid = f"{kind[:3]}{hz or ''}{j}"
            toc.add_node(
                nid,
                kind=kind,
                label=nid,
                horizon=hz,
                stakeholder="p" if kind == "outcome" else None,
            )
            layer.append(nid)
        layers.append(layer)
    links: set[tuple[str, str]] = set()
    # every node after the inputs gets one parent in the layer below, then random extra links
    for li in range(1, len(layers)):
        for nid in layers[li]:
            links.add((layers[li - 1][rng.integers(len(layers[li - 1]))], nid))
    while len(links) < n_links:
        li = int(rng.integers(1, len(layers)))
        lo = int(rng.integers(0, li))
        u = layers[lo][rng.integers(len(layers[lo]))]
        v = layers[li][rng.integers(len(layers[li]))]
        links.add((u, v))
    for u, v in links:
        toc.add_link(u, v, rationale="r")
    return toc


@case("toc_validate")
def bench_toc(quick: bool) -> list[dict[str, Any]]:
    import networkx as nx

    n, m = (1_000, 2_000) if quick else (10_000, 20_000)
    toc = layered_toc(n, m)
    g = toc.to_networkx()
    activities = toc.nodes_of_kind("activity")
    outcomes = toc.nodes_of_kind("outcome")
    probe = outcomes[:: max(1, len(outcomes) // 50)]

    def ik_run() -> None:
        toc.problems()
        for o in probe:
            toc.contributing_activities(o)

    def nx_run() -> None:
        # the same questions asked of plain networkx, one traversal per source
        nx.is_directed_acyclic_graph(g)
        reached: set[str] = set()
        for a in activities:
            reached |= nx.descendants(g, a)
        _ = [o for o in outcomes if o not in reached]
        for o in probe:
            up = nx.ancestors(g, o)
            _ = [a for a in activities if a in up]

    t_val = best_of(lambda: toc.problems())
    t_ik = best_of(ik_run)
    t_nx = best_of(nx_run)
    return [
        row(
            f"validate {n:,} nodes / {m:,} links",
            t_val,
            "-",
            float("nan"),
            "< 1 s",
            t_val < 1.0,
            ratio=None,
        ),
        row(
            f"validate + {len(probe)} pathway queries",
            t_ik,
            "plain networkx traversal",
            t_nx,
            "reported",
            True,
        ),
    ]


# --------------------------------------------------------------------- Monte Carlo
def mc_model(rows: int = 100) -> Any:
    import impactkit as ik
    from impactkit import dist

    rng = np.random.default_rng(1)
    outs = []
    for k in range(rows):
        q = float(rng.integers(20, 200))
        p = float(rng.integers(500, 5000))
        dw = float(rng.uniform(0.1, 0.5))
        outs.append(
            ik.OutcomeValuation(
                outcome=f"o{k}",
                stakeholder=f"s{k % 4}",
                quantity=dist.Triangular(0.7 * q, q, 1.3 * q),
                proxy=ik.FinancialProxy(dist.LogNormal(p, 0.2 * p)),
                deadweight=dist.Beta(dw, 0.05),
                attribution=0.1,
                drop_off=0.2,
                duration=5,
            )
        )
    return ik.ImpactModel(
        name="bench", inputs=[ik.Input("grant", amount=1e7)], outcomes=outs, discount=0.035
    )


def numpy_floor(model: Any, n: int) -> None:
    """Only draw the same variates with numpy, nothing else."""
    from impactkit import dist

    rng = np.random.default_rng(0)
    k = len(model.outcomes)
    tri = [o.quantity for o in model.outcomes]
    ln = [o.proxy.value for o in model.outcomes]
    be = [o.deadweight for o in model.outcomes]
    rng.triangular(
        np.array([d.low for d in tri]),
        np.array([d.mode for d in tri]),
        np.array([d.high for d in tri]),
        size=(n, k),
    )
    rng.lognormal(np.array([d.mu for d in ln]), np.array([d.sigma for d in ln]), size=(n, k))
    assert all(isinstance(d, dist.Beta) for d in be)
    rng.beta(np.array([d.alpha for d in be]), np.array([d.beta for d in be]), size=(n, k))


def spreadsheet_per_draw(model: Any, n: int) -> None:
    """A straightforward per-draw evaluation, as a spreadsheet recomputes the value map."""
    rng = np.random.default_rng(0)
    r = 0.035
    inputs = sum(i.amount for i in model.inputs)
    for _ in range(n):
        pv = 0.0
        for o in model.outcomes:
            q = o.quantity.sample(rng, 1)[0]
            p = o.proxy.value.sample(rng, 1)[0]
            dw = o.deadweight.sample(rng, 1)[0]
            impact = q * p * (1 - dw) * (1 - o.displacement) * (1 - o.attribution)
            for t in range(1, int(o.duration) + 1):
                pv += impact * (1 - o.drop_off) ** (t - 1) / (1 + r) ** t
        _ = pv / inputs


@case("mc_sroi")
def bench_mc(quick: bool) -> list[dict[str, Any]]:
    import impactkit as ik

    n = 10_000 if quick else 100_000
    model = mc_model(100)
    t_ik = best_of(lambda: ik.monte_carlo(model, n=n, seed=0))
    t_floor = best_of(lambda: numpy_floor(model, n))
    n_loop = 50 if quick else 300
    t_loop = best_of(lambda: spreadsheet_per_draw(model, n_loop), repeat=1) * n / n_loop
    ratio_floor = t_ik / t_floor
    speedup = t_loop / t_ik
    big = 100_000 if quick else 1_000_000
    tracemalloc.start()
    ik.monte_carlo(model, n=big, seed=0)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    gib = peak / 2**30
    return [
        row(
            f"MC {n:,} draws x 100 rows x 3 uncertain",
            t_ik,
            "numpy: drawing the variates only",
            t_floor,
            "<= 2x",
            ratio_floor <= 2.0,
        ),
        row(
            f"MC {n:,} draws x 100 rows x 3 uncertain",
            t_ik,
            f"per-draw Python loop (timed on {n_loop}, scaled)",
            t_loop,
            ">= 200x faster",
            speedup >= 200,
            ratio=speedup,
            note="ratio = baseline / impactkit",
        ),
        row(
            f"peak memory, MC {big:,} draws",
            gib,
            "-",
            float("nan"),
            "< 1 GiB",
            gib < 1.0,
            ratio=None,
            note="impactkit_s column holds GiB",
        ),
    ]


# --------------------------------------------------------------------- attribution
@case("attribution")
def bench_attribution(quick: bool) -> list[dict[str, Any]]:
    import warnings

    import pandas as pd
    import statsmodels.api as sm
    from linearmodels.panel import PanelOLS

    from impactkit import attribution as att

    rows = []
    n, k = (100_000, 10) if quick else (1_000_000, 10)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, k))
    w = (rng.random(n) < 1 / (1 + np.exp(-(x @ np.linspace(-0.3, 0.3, k))))).astype(float)
    y = 1.0 * w + x @ np.linspace(1, -1, k) + rng.normal(size=n)
    cols = [f"x{i}" for i in range(k)]
    df = pd.DataFrame(x, columns=cols).assign(w=w, y=y)
    est = att.InverseProbabilityWeighting()
    res = {}

    def ik_ipw() -> None:
        res["ik"] = est.estimate(df, outcome="y", treatment="w", covariates=cols)

    def sm_ipw() -> None:
        xx = sm.add_constant(x)
        e = sm.GLM(w, xx, family=sm.families.Binomial()).fit(tol=1e-10).fittedvalues
        wt = w / e + (1 - w) / (1 - e)
        res["sm"] = sm.WLS(y, sm.add_constant(w), weights=wt).fit(cov_type="HC1")

    t_ik, t_sm = best_of(ik_ipw, 2), best_of(sm_ipw, 2)
    same = abs(res["ik"].effect - res["sm"].params[1]) < 1e-6
    rows.append(
        row(
            f"IPW ATE {n:,} rows x {k} covariates",
            t_ik,
            "statsmodels GLM + WLS",
            t_sm,
            "<= 1x, equal numbers",
            t_ik <= t_sm and same,
            note=f"|effect diff| < 1e-6: {same}",
        )
    )

    units, periods = (1_000, 100) if quick else (10_000, 100)
    ids = np.repeat(np.arange(units), periods)
    yr = np.tile(np.arange(periods), units)
    start = rng.integers(30, 200, units)
    d = (yr >= start[ids]).astype(float)
    yp = rng.normal(size=units)[ids] + 0.01 * yr + 2 * d + rng.normal(size=ids.size)
    pdf = pd.DataFrame({"id": ids, "t": yr, "d": d, "y": yp})
    did = att.DifferenceInDifferences(design="twfe", fe_dof="all")

    def ik_twfe() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res["twfe"] = did.estimate(pdf, outcome="y", treatment="d", unit="id", time="t")

    indexed = pdf.set_index(["id", "t"])

    def lm_twfe() -> None:
        res["lm"] = PanelOLS(
            indexed["y"], indexed[["d"]], entity_effects=True, time_effects=True
        ).fit(cov_type="clustered", cluster_entity=True, group_debias=True, debiased=True)

    t_ik, t_lm = best_of(ik_twfe, 2), best_of(lm_twfe, 2)
    same = abs(res["twfe"].effect - res["lm"].params["d"]) < 1e-6
    rows.append(
        row(
            f"TWFE {ids.size:,} rows / {units:,} units",
            t_ik,
            "linearmodels PanelOLS",
            t_lm,
            "<= 1.5x, equal numbers",
            t_ik <= 1.5 * t_lm and same,
            note=f"|effect diff| < 1e-6: {same}",
        )
    )

    n1, n0 = (10_000, 100_000) if quick else (100_000, 1_000_000)
    e = np.concatenate([rng.uniform(0.05, 0.95, n1), rng.uniform(0.02, 0.9, n0)])
    wt = np.concatenate([np.ones(n1), np.zeros(n0)])
    ym = rng.normal(size=n1 + n0) + wt
    mdf = pd.DataFrame({"y": ym, "w": wt, "e": e})
    psm = att.PropensityScoreMatching()
    t_psm = best_of(lambda: psm.estimate(mdf, outcome="y", treatment="w", propensity="e"), 2)
    rows.append(
        row(
            f"PSM {n1:,} treated / {n0:,} controls",
            t_psm,
            "-",
            float("nan"),
            "< 10 s",
            t_psm < 10,
            ratio=None,
        )
    )
    return rows


# --------------------------------------------------------------------- portfolio
def network(n_sites: int, k: int, seed: int = 0) -> tuple[Any, Any]:
    import pandas as pd

    rng = np.random.default_rng(seed)
    sectors = np.array(
        ["disability", "child_protection", "insertion", "legal_protection", "addiction", "elderly"]
    )
    site = np.repeat(np.arange(n_sites), k)
    n = n_sites * k
    proxy = rng.uniform(200, 5000, n)
    out = pd.DataFrame(
        {
            "site": site,
            "outcome": np.tile([f"o{j}" for j in range(k)], n_sites),
            "stakeholder": np.resize(["participants", "families", "public", "employers"], n),
            "sector": rng.choice(sectors, n_sites)[site],
            "quantity": rng.integers(5, 100, n).astype(float),
            "proxy": proxy,
            "proxy_low": proxy * 0.8,
            "proxy_high": proxy * 1.3,
            "deadweight": rng.uniform(0, 0.5, n),
            "attribution": rng.uniform(0, 0.3, n),
            "duration": rng.integers(1, 6, n),
            "drop_off": rng.uniform(0, 0.3, n),
        }
    )
    inp = pd.DataFrame({"site": np.arange(n_sites), "amount": rng.uniform(2e5, 2e6, n_sites)})
    return out, inp


@case("portfolio")
def bench_portfolio(quick: bool) -> list[dict[str, Any]]:
    import impactkit as ik
    from impactkit import portfolio as pf

    n_sites, k = (1_100, 20) if quick else (11_000, 20)
    out, inp = network(n_sites, k)
    point = out.drop(columns=["proxy_low", "proxy_high"])
    t_ik = best_of(lambda: pf.evaluate(point, inp, discount=0.035, by=["sector"]), 3)
    sample = 30 if quick else 100
    models = []
    for s in range(sample):
        rows = point[point["site"] == s]
        models.append(
            ik.ImpactModel(
                name=str(s),
                discount=0.035,
                inputs=[ik.Input("a", amount=float(inp.amount[s]))],
                outcomes=[
                    ik.OutcomeValuation(
                        outcome=r.outcome,
                        stakeholder=r.stakeholder,
                        quantity=r.quantity,
                        proxy=r.proxy,
                        deadweight=r.deadweight,
                        attribution=r.attribution,
                        duration=int(r.duration),
                        drop_off=r.drop_off,
                    )
                    for r in rows.itertuples()
                ],
            )
        )
    t_loop = best_of(lambda: [ik.sroi(m) for m in models], 1) * n_sites / sample
    rows_out = [
        row(
            f"point SROI, {n_sites:,} sites x {k} outcomes",
            t_ik,
            f"loop of ik.sroi per site (timed on {sample}, scaled)",
            t_loop,
            ">= 50x faster, < 2 s",
            t_loop / t_ik >= 50 and t_ik < 2.0,
            ratio=t_loop / t_ik,
            note="ratio = baseline / impactkit",
        )
    ]
    n_draws = 200 if quick else 1_000
    shared = {"quantity": ("sector", ik.dist.LogNormal(1.0, 0.1))}
    tracemalloc.start()
    t0 = time.perf_counter()
    pf.monte_carlo(out, inp, n=n_draws, seed=0, shared=shared)
    t_mc = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows_out.append(
        row(
            f"portfolio MC {n_sites:,} x {k} x {n_draws:,} draws",
            t_mc,
            "-",
            float("nan"),
            "memory bounded by chunks",
            peak / 2**30 < 2.0,
            ratio=None,
            note=f"peak {peak / 2**30:.3f} GiB",
        )
    )
    try:
        import distributed
    except ImportError:  # pragma: no cover - the dask extra
        return rows_out
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with (
            distributed.LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            t_dask = best_of(
                lambda: pf.evaluate(point, inp, discount=0.035, by=["sector"], executor=client), 2
            )
    rows_out.append(
        row(
            f"point SROI on a dask LocalCluster (2 workers), {n_sites:,} sites",
            t_dask,
            "local run",
            t_ik,
            "overhead reported",
            True,
            note="ratio = dask / local",
        )
    )
    return rows_out


@case("demo")
def bench_demo(quick: bool) -> list[dict[str, Any]]:
    import impactkit as ik

    t = best_of(lambda: ik.examples.run_demo(n=10_000, seed=0), repeat=1 if quick else 3)
    return [
        row(
            "impactkit demo (embedded example, 10,000 draws)",
            t,
            "-",
            float("nan"),
            "< 10 s",
            t < 10.0,
            ratio=None,
        )
    ]


def fmt(x: Any) -> str:
    if x is None or (isinstance(x, float) and x != x):
        return "-"
    if isinstance(x, float):
        return f"{x:.4g}"
    return str(x)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (CI smoke run)")
    ap.add_argument("--only", default="", help="run cases whose name contains this")
    ap.add_argument("--out", default=str(HERE / "results.json"))
    ap.add_argument(
        "--strict", action="store_true", help="exit with status 1 when a goal is missed"
    )
    args = ap.parse_args(argv)
    results: dict[str, Any] = {
        "quick": args.quick,
        "python": sys.version.split()[0],
        "machine": platform.machine(),
        "numpy": np.__version__,
        "cases": {},
    }
    failed = []
    for name, fn in CASES.items():
        if args.only and args.only not in name:
            continue
        rows = fn(args.quick)
        results["cases"][name] = rows
        print(f"\n## {name}\n")
        print("| measure | impactkit (s) | baseline | baseline (s) | ratio | goal | ok |")
        print("|---|---|---|---|---|---|---|")
        for r in rows:
            print(
                f"| {r['measure']} | {fmt(r['impactkit_s'])} | {r['baseline']} | "
                f"{fmt(r['baseline_s'])} | {fmt(r['ratio'])} | {r['goal']} | "
                f"{'yes' if r['ok'] else 'NO'} |" + (f" {r['note']}" if r["note"] else "")
            )
            if not r["ok"]:
                failed.append(f"{name}: {r['measure']}")
    Path(args.out).write_text(json.dumps(results, indent=2, default=str) + "\n")
    if failed:
        print("\nGoals missed:\n  " + "\n  ".join(failed))
        if args.strict:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
