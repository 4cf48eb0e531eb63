"""Progress of a long loop: a bar on a terminal, one plain line per step in a log.

A tqdm bar redraws itself with carriage returns, which in a log file (a scheduled run, a
notebook's captured output, ``2> log.txt``) becomes one unreadable line of hundreds of bars.
:func:`progress_bar` shows the bar only when the stream is a terminal, and otherwise writes one
line per step (``Uji-balik 3/60``).
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

from tqdm.auto import tqdm

__all__ = ["LineProgress", "progress_bar"]


class LineProgress:
    """One line per step on ``stream``: ``"<desc> <done>/<total>"``."""

    def __init__(self, total: int, desc: str, stream: TextIO) -> None:
        self.total, self.desc, self.stream, self.n = total, desc, stream, 0

    def update(self, n: int = 1) -> None:
        self.n += n
        print(f"{self.desc} {self.n}/{self.total}", file=self.stream, flush=True)

    def close(self) -> None:
        """Nothing to clean up (the tqdm interface)."""


class _Silent:
    def update(self, n: int = 1) -> None:
        """No progress shown."""

    def close(self) -> None:
        """No progress shown."""


def progress_bar(total: int, desc: str, *, enabled: bool, stream: TextIO | None = None) -> Any:
    """A tqdm bar when ``stream`` (default ``sys.stderr``) is a terminal or a Jupyter kernel's
    (a notebook shows its own widget), else :class:`LineProgress`; nothing when not ``enabled``."""
    if not enabled:
        return _Silent()
    out = sys.stderr if stream is None else stream
    isatty = getattr(out, "isatty", None)
    notebook = stream is None and "ipykernel" in sys.modules
    if notebook or (isatty is not None and isatty()):
        return tqdm(total=total, desc=desc, file=out)
    return LineProgress(total, desc, out)
