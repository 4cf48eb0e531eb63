"""Numbers as leaders read them: Indonesian format (decimal comma, thousands point) for "id".

>>> number(1234.56, "id", 1), number(1234.56, "en", 1), number(0.25, "id", 0, percent=True)
('1.234,6', '1,234.6', '25%')
"""

from __future__ import annotations

import math

__all__ = ["number"]


def number(value: float, lang: str = "id", digits: int = 1, *, percent: bool = False) -> str:
    """``value`` with ``digits`` decimals in the number format of ``lang`` ("id" or "en").

    ``percent=True`` multiplies by 100 and appends ``%``. NaN and infinities give ``"–"``.
    """
    x = float(value) * (100.0 if percent else 1.0)
    if not math.isfinite(x):
        return "–"
    text = f"{x:,.{max(int(digits), 0)}f}"
    if lang != "en":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text + ("%" if percent else "")
