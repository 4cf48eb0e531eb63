"""Private: what every layer builder of the risk map takes and returns.

Every layer builder (in :mod:`.layers`, :mod:`._kecamatan`, :mod:`.change` and
:mod:`.plan_layer`) is ``builder(m, inputs: MapInputs) -> LayerJS``: it adds its Leaflet layer
to ``m`` (or nothing, returning :data:`NO_LAYER`, when its inputs or the asked layers leave it
out) and returns the JavaScript that fills it, its page variable and the legend shown while it
is switched on. The builders are listed, in drawing order, in the one table
:data:`pilkada_risk.maps._layer_table.LAYERS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

import geopandas as gpd

__all__ = ["NO_LAYER", "LayerJS", "MapInputs"]


class LayerJS(NamedTuple):
    """A layer on the page: the JavaScript that fills it (empty: nothing to draw), the page
    variable of its Leaflet layer, the trusted (escaped) legend HTML shown while it is on (may
    be empty) and whether it recolours the kecamatan (the class legend then hides)."""

    code: str
    var: str = ""
    legend: str = ""
    recolours: bool = False


#: What a builder returns when its layer is not on this map.
NO_LAYER = LayerJS("")


@dataclass(frozen=True)
class MapInputs:
    """Everything a layer builder may read, built once by :func:`~pilkada_risk.risk_map`.

    ``ordered`` are the scores sorted by rank; ``geoms`` (simplified, EPSG:4326) and ``points``
    (label points) follow its rows. ``layers`` are the optional layers asked for; ``incidents``,
    ``tps`` and ``desa`` are in EPSG:4326 (or ``None``); ``change`` is the
    :class:`~pilkada_risk.maps.change.Change` since ``previous`` (or ``None``); ``tooltips`` and
    ``popups`` hold the kecamatan HTML by code.
    """

    ordered: gpd.GeoDataFrame
    geoms: gpd.GeoSeries
    points: gpd.GeoSeries
    lang: str
    layers: tuple[str, ...] = ()
    details: bool = False
    scale: Any = None
    provisional: bool = False
    simplify_m: float = 40.0
    change: Any = None
    incidents: gpd.GeoDataFrame | None = None
    tps: gpd.GeoDataFrame | None = None
    desa: gpd.GeoDataFrame | None = None
    plan: Any = None
    tooltips: dict[str, str] = field(default_factory=dict)
    popups: dict[str, str] = field(default_factory=dict)

    def wants(self, name: str) -> bool:
        """Whether the optional layer ``name`` was asked for."""
        return name in self.layers

    @property
    def has_incidents(self) -> bool:
        return self.incidents is not None and len(self.incidents) > 0

    @property
    def kec_names(self) -> dict[str, str]:
        """Kecamatan name by code."""
        codes = self.ordered["kode"].astype(str)
        return dict(zip(codes, self.ordered["nama"].astype(str), strict=True))

    @property
    def kec_points(self) -> dict[str, Any]:
        """Label point by kecamatan code."""
        return dict(zip(self.ordered["kode"].astype(str), self.points, strict=True))
