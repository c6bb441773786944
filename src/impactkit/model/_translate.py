"""A model's texts in another language, from its own translations.

See :func:`in_language`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from impactkit._i18n import LANGS
from impactkit.errors import ValidationError
from impactkit.model._form import from_dict, to_dict
from impactkit.model._model import ImpactModel

__all__ = ["in_language"]

# values that name things (ids, codes, choices), never texts to translate
_NAMES = frozenset(
    {
        "id", "outcome", "stakeholder", "target", "kind", "node", "dist", "indicator",
        "horizon", "payer", "first_flow_at", "mode", "currency", "format_version",
        "drop_off_method", "unit", "basis",
    }
)  # fmt: skip


def _translate(x: Any, words: Mapping[str, str], key: str | None, seen: dict[str, str]) -> Any:
    """``x`` with its texts translated; ``seen`` records each text and what it became."""
    if isinstance(x, dict):
        is_link = "source" in x and "target" in x  # a link: its source is a node id
        return {
            k: v
            if k == "translations" or (k == "source" and is_link)
            else _translate(v, words, k, seen)
            for k, v in x.items()
        }
    if isinstance(x, list):
        return [_translate(v, words, key, seen) for v in x]
    if isinstance(x, str) and key not in _NAMES:
        out = words.get(x, x)
        seen.setdefault(x, out)
        return out
    return x


def in_language(model: ImpactModel, lang: str) -> ImpactModel:
    """The same analysis with its texts in ``lang``, from the model's own translations.

    Every text the model carries (descriptions, labels, link reasons,
    justifications, sources' notes, evidence texts) that
    ``model.translations[lang]`` translates is replaced by its translation;
    identifiers and codes are never touched, so every number, link and
    computation is the same. The result is written in ``lang``
    (``result.lang == lang``) and keeps the way back: its translations into
    the model's language are the inverse of the ones used (the first text
    wins when two texts share a translation, and a text already in ``lang``
    stays itself). A model already in ``lang``, or
    with no translation into it, is returned as it is.

    Parameters
    ----------
    model : ImpactModel
        The model.
    lang : {"en", "fr"}
        The language wanted.

    Returns
    -------
    ImpactModel
        The model with its texts in ``lang`` where translated.

    Raises
    ------
    ValidationError
        ``lang`` is not one of the languages impactkit writes.

    Examples
    --------
    >>> import impactkit as ik
    >>> m = ik.examples.load_example("protection_enfance")
    >>> fr = in_language(m, "fr")
    >>> fr.lang, fr.description[:27]
    ('fr', 'Exemple synthétique fourni ')
    >>> ik.sroi(fr).ratio == ik.sroi(m).ratio
    True
    >>> in_language(fr, "en").description == m.description
    True
    """
    if lang not in LANGS:
        raise ValidationError(
            f"lang must be one of {', '.join(LANGS)}, got {lang!r}",
            path=("lang",),
            code="invalid_choice",
        )
    words = dict(model.translations.get(lang, {}) or {})
    if model.lang == lang or not words:
        return model
    seen: dict[str, str] = {}
    body = _translate(to_dict(model), words, None, seen)
    # the way back: a text that was already in ``lang`` (left as it was) stays
    # itself, even when another text has the same translation
    kept = {text for text, out in seen.items() if text == out}
    back: dict[str, str] = {}
    for original, translated in seen.items():
        if original != translated and translated not in kept:
            back.setdefault(translated, original)
    others = {k: dict(v) for k, v in model.translations.items() if k != lang}
    others[model.lang] = {**others.get(model.lang, {}), **back}
    body["translations"] = others
    body["lang"] = lang
    return from_dict(body)
