"""One way to write a file: whole or not at all, and only over what impactkit may replace.

Every writer of impactkit (model files, reports, value maps, REFI-QDA
projects, network reports, theory-of-change exports, example data) goes
through :func:`write_file` or :func:`open_for_write`:

- the content goes to a temporary file created exclusively (``O_CREAT |
  O_EXCL | O_NOFOLLOW``) under a random name in the target's folder, then
  renamed over the target (:func:`os.replace`, atomic on POSIX and Windows):
  a reader sees the old file or the new one, never half of one, and a failure
  leaves the target as it was;
- the target must be absent or a regular file: a directory, a symbolic link,
  a FIFO, a socket or a character or block device at the target path is
  refused with :class:`~impactkit.errors.OutputPathError` before anything is
  written (renaming over a device node would destroy it; writing through a
  link would write a file the caller did not name);
- a planted ``OUT.tmp`` or any other name is harmless: the temporary name is
  random, created exclusively and never follows a link;
- a new file gets the permissions of an ordinary ``open(path, "w")`` (``0666``
  less the umask); a replaced file keeps its permission bits.

See docs/reference/cli.md ("Output files").
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from impactkit.errors import OutputPathError

__all__ = ["check_target", "open_for_write", "write_file"]

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)
_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def check_target(path: str | os.PathLike[str]) -> os.stat_result | None:
    """The target's status when impactkit may replace it; ``None`` when it is absent.

    Raises :class:`~impactkit.errors.OutputPathError` when something other
    than a regular file is at ``path`` (the link itself is looked at, not
    what it points to).
    """
    p = Path(path)
    try:
        st = os.lstat(p)
    except FileNotFoundError:
        return None
    for is_kind, kind in _KINDS:
        if is_kind(st.st_mode):
            raise OutputPathError(
                f"{p} is {kind}; impactkit writes only regular files and does not "
                "replace or write through anything else: choose another output path"
            )
    return st


@contextlib.contextmanager
def open_for_write(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file whose content replaces ``path`` when the block ends without error.

    The parent folders are created. On an exception the temporary file is
    removed and ``path`` is left untouched.
    """
    target = Path(path)
    check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_temporary(target)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        # Checked again just before the rename: the time window is as small as it can be.
        st = check_target(target)
        if st is not None:
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_file(
    path: str | os.PathLike[str], data: str | bytes, *, encoding: str = "utf-8"
) -> None:
    """Write ``data`` (text is encoded with ``encoding``) as the whole content of ``path``.

    See the module documentation for the rules; ``path`` is unchanged on failure.
    """
    payload = data.encode(encoding) if isinstance(data, str) else data
    with open_for_write(path) as fh:
        fh.write(payload)


def _create_temporary(target: Path) -> tuple[int, str]:
    """A new file next to ``target``, created exclusively, never through a link."""
    for _ in range(100):
        tmp = str(target.with_name(f".{target.name[:200]}.{secrets.token_hex(8)}.tmp"))
        try:
            return os.open(tmp, _FLAGS, 0o666), tmp  # the umask applies as for open()
        except FileExistsError:
            continue
    raise OutputPathError(f"could not create a temporary file next to {target}")
