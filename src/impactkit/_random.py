"""The one way impactkit turns a caller's seed into random streams."""

from __future__ import annotations

import numpy as np

from impactkit.typing import SeedLike

__all__ = ["as_generator", "block_generator", "root_sequence"]


def as_generator(seed: SeedLike) -> np.random.Generator:
    """Return a :class:`numpy.random.Generator` for ``seed`` (never the global state)."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(seed)


def root_sequence(seed: SeedLike) -> np.random.SeedSequence:
    """Return the root :class:`~numpy.random.SeedSequence` of a stochastic computation.

    A Generator passed as seed gives a root drawn from it, so the computation is
    reproducible from the Generator's own state.
    """
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(int(seed.integers(0, 2**63 - 1)))
    return np.random.SeedSequence(seed)


def block_generator(
    root: np.random.SeedSequence, block: int | tuple[int, ...]
) -> np.random.Generator:
    """The independent stream of block number ``block`` under ``root``.

    Equal to the ``block``-th child of ``root.spawn`` but computed directly,
    so a block's draws do not depend on how many blocks came before it. A tuple
    ``block`` names a grandchild (``(site_block, draw_block)`` in portfolios).
    The root's own spawn key is kept, so two spawned children of one seed give
    different streams.
    """
    key = block if isinstance(block, tuple) else (block,)
    child = np.random.SeedSequence(
        root.entropy, spawn_key=(*root.spawn_key, *key), pool_size=root.pool_size
    )
    return np.random.Generator(np.random.PCG64(child))
