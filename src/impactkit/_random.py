"""The one way impactkit turns a caller's seed into random streams."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from impactkit.errors import ValidationError
from impactkit.typing import SeedLike

__all__ = [
    "as_generator",
    "block_generator",
    "check_seed",
    "reproducing_entropy",
    "root_sequence",
    "seeded",
]


_POOL_SIZE = np.random.SeedSequence(0).pool_size
"""numpy's default pool size of a SeedSequence (4 words)."""


def _whole(x: Any) -> bool:
    return isinstance(x, int | np.integer) and not isinstance(x, bool | np.bool_)


def check_seed(seed: Any) -> Any:
    """The one check of a caller's seed; returns it (a BitGenerator as a Generator).

    A seed is None (fresh entropy), a whole number >= 0, a non-empty sequence
    of them, a :class:`numpy.random.SeedSequence` or a
    :class:`numpy.random.Generator`. Anything else (``-1``, ``1.5``,
    ``"abc"``, ``True``) is a :class:`~impactkit.errors.ValidationError` at
    ``seed``, so the command line reports it as bad input, not as a defect.

    Parameters
    ----------
    seed : object
        The caller's seed.

    Returns
    -------
    int, sequence of int, SeedSequence, Generator or None
        ``seed``, checked.

    Raises
    ------
    ValidationError
        Code ``invalid_seed`` at ``seed``.

    Examples
    --------
    >>> check_seed(42)
    42
    >>> try:
    ...     check_seed(-1)
    ... except ValidationError as exc:
    ...     print(exc.problems[0].path, exc.problems[0].code)
    ('seed',) invalid_seed
    """
    if seed is None or isinstance(seed, np.random.Generator | np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.BitGenerator):
        return np.random.Generator(seed)
    if _whole(seed) and seed >= 0:
        return seed
    if (
        isinstance(seed, Sequence | np.ndarray)
        and not isinstance(seed, str | bytes)
        and len(seed) > 0
        and all(_whole(x) and x >= 0 for x in seed)
    ):
        return seed
    raise ValidationError(
        "a seed is a whole number >= 0, a sequence of them, a SeedSequence, a Generator or "
        f"None; got {type(seed).__name__} {seed!r}"[:300],
        path=("seed",),
        code="invalid_seed",
    )


def as_generator(seed: SeedLike) -> np.random.Generator:
    """Return a :class:`numpy.random.Generator` for ``seed`` (never the global state)."""
    seed = check_seed(seed)
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(seed)


def seeded(seed: SeedLike) -> tuple[np.random.Generator, int | None]:
    """Return a Generator for ``seed`` and the entropy that reproduces it.

    The one seed rule of impactkit: every stochastic function takes
    ``seed=None`` by default, and its result records the entropy returned here,
    so a run with fresh entropy can be repeated (``seed=result.seed_entropy``).
    An int or SeedSequence gives the same draws as
    :func:`numpy.random.default_rng`; a Generator is used as it is (its state
    is the caller's record, and the entropy is None).

    Parameters
    ----------
    seed : int, SeedSequence, Generator or None
        The caller's seed.

    Returns
    -------
    tuple of (Generator, int or None)
        The generator and the root entropy.

    Raises
    ------
    ValidationError
        When ``seed`` is not a seed (:func:`check_seed`).
    """
    seed = check_seed(seed)
    if isinstance(seed, np.random.Generator):
        return seed, None
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    return np.random.Generator(np.random.PCG64(root)), reproducing_entropy(root)


def reproducing_entropy(root: np.random.SeedSequence) -> int | None:
    """The whole number that, passed as ``seed``, gives back the streams of ``root``.

    ``root.entropy`` when it is one integer and ``root`` is not a spawned child
    (no spawn key) with the default pool size: only then does
    ``SeedSequence(root.entropy)`` equal ``root``. A child of
    ``SeedSequence(7).spawn(2)`` has entropy 7 but other streams than seed 7,
    so its entropy would not repeat the run: None, as for a sequence of ints.

    Parameters
    ----------
    root : numpy.random.SeedSequence
        The root of a stochastic computation.

    Returns
    -------
    int or None
        The entropy that reproduces ``root``, or None when there is none.

    Examples
    --------
    >>> reproducing_entropy(np.random.SeedSequence(7))
    7
    >>> print(reproducing_entropy(np.random.SeedSequence(7).spawn(2)[1]))
    None
    """
    if isinstance(root.entropy, int) and not root.spawn_key and root.pool_size == _POOL_SIZE:
        return root.entropy
    return None


def root_sequence(seed: SeedLike) -> np.random.SeedSequence:
    """Return the root :class:`~numpy.random.SeedSequence` of a stochastic computation.

    A Generator passed as seed gives a root drawn from it, so the computation is
    reproducible from the Generator's own state. A seed that is not one is a
    :class:`~impactkit.errors.ValidationError` (:func:`check_seed`).
    """
    seed = check_seed(seed)
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
