"""The public API, found at run time: the checks that walk it share these helpers."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import impactkit as ik


def public_modules():
    """Every module whose dotted path has no private part, by name."""
    mods = {"impactkit": ik}
    for info in pkgutil.walk_packages(ik.__path__, "impactkit."):
        if any(part.startswith("_") for part in info.name.split(".")[1:]):
            continue
        mods[info.name] = importlib.import_module(info.name)
    return mods


def public_members(mods=None):
    """(module name, name, object) for every function and class in a public ``__all__``."""
    for modname, mod in (mods or public_modules()).items():
        for name in getattr(mod, "__all__", ()):
            obj = getattr(mod, name, None)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                yield modname, name, obj


def public_methods(cls):
    """(name, function) for every public method of a class (properties left out)."""
    for attr, member in vars(cls).items():
        if attr.startswith("_"):
            continue
        if isinstance(member, classmethod | staticmethod):
            member = member.__func__
        if inspect.isfunction(member):
            yield attr, member
