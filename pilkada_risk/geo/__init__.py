"""Stage 1, geography: kecamatan and desa boundaries from the pinned, sha256-verified upstream.

Sources come from the mirror named by ``PILKADA_RISK_MIRROR``, the user cache, or a download
(:mod:`pilkada_risk.geo.upstream`); layers are built and cached by
:mod:`pilkada_risk.geo.boundaries`.
"""

from pilkada_risk.geo.boundaries import BOUNDARY_SOURCE, load_desa, load_kecamatan
from pilkada_risk.geo.polres import load_polres

__all__ = ["BOUNDARY_SOURCE", "load_desa", "load_kecamatan", "load_polres"]
