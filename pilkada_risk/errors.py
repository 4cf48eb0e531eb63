"""Every exception class of pilkada-risk, in one place (as ``sklearn.exceptions``).

Errors an analyst can cause and fix (a file that cannot be read, a missing column, an unknown
kabupaten code, a bad profile value, pinned boundary files that cannot be obtained) derive from
:class:`PilkadaRiskError`: their message is already in the user's language (Bahasa Indonesia by
default, English with ``lang="en"``) and names the row/column/parameter, the value and the fix, so
the command line prints it as it is, without a traceback. Each also keeps the built-in type it had
in 0.1.0 (``ValueError`` or ``RuntimeError``), so existing ``except`` clauses still catch it.

:class:`NotFittedError` is a programming error (a method called before ``fit``), not an
analyst-facing one.

Examples
--------
>>> from pilkada_risk.errors import MissingColumnsError, PilkadaRiskError
>>> issubclass(MissingColumnsError, PilkadaRiskError), issubclass(MissingColumnsError, ValueError)
(True, True)
"""

from __future__ import annotations

__all__ = [
    "ChecksumMismatchError",
    "DownloadError",
    "MissingColumnsError",
    "NotFittedError",
    "PilkadaRiskError",
    "ProfileError",
    "RegisterOutsideError",
    "SourceError",
    "UnknownAreaError",
    "UpstreamError",
]


class PilkadaRiskError(Exception):
    """Base of the errors an analyst can fix; the message is already in the user's language."""


class SourceError(PilkadaRiskError, ValueError):
    """A register that cannot be read at all; the message names the file and the fix."""


class MissingColumnsError(PilkadaRiskError, ValueError):
    """A table lacks columns it needs; the message names the table, the columns and the fix."""


class UnknownAreaError(PilkadaRiskError, ValueError):
    """A kabupaten code that is not in the Kemendagri code list, or that has no boundaries."""


class RegisterOutsideError(PilkadaRiskError, ValueError):
    """A register mostly outside the chosen kabupaten, with too few rows inside it to score.

    The message names where the rows lie; ``force=True`` (CLI ``--paksa``) reads it anyway.
    """


class ProfileError(PilkadaRiskError, ValueError):
    """A risk profile (file, dict or override) with an unknown key or a value out of range.

    The message names the profile, the key, the value received and what is allowed, in Bahasa
    Indonesia with the English beside it.
    """


class UpstreamError(PilkadaRiskError, RuntimeError):
    """An upstream file could not be provided (unknown, corrupted or not downloadable)."""


class ChecksumMismatchError(UpstreamError):
    """A file's sha256 differs from the one in the shipped registry."""


class DownloadError(UpstreamError):
    """The HTTPS download failed and no mirror or cached copy exists."""


class NotFittedError(RuntimeError, AttributeError):
    """A model method that needs :meth:`fit` was called before it.

    Subclasses ``RuntimeError`` (what 0.1.0 raised) and ``AttributeError`` (as scikit-learn's
    ``NotFittedError``, since the fitted attributes are missing), so both ``except`` forms work.
    """
