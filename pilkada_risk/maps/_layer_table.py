"""Private: the one table of the risk map's layers, name → builder, in drawing order.

Every builder is ``builder(m, inputs) -> LayerJS`` (:class:`~pilkada_risk.maps._builder.LayerJS`,
:class:`~pilkada_risk.maps._builder.MapInputs`) and decides itself, from ``inputs``, whether its
layer is on this map (it returns :data:`~pilkada_risk.maps._builder.NO_LAYER` otherwise). A new
layer is one builder, one row here and its labels in ``data/labels`` (the layer-control name);
``tests/test_architecture.py`` checks that every ``*_layer`` function of ``maps/`` is a row.
"""

from __future__ import annotations

from collections.abc import Callable

import folium

from pilkada_risk.maps._builder import LayerJS, MapInputs
from pilkada_risk.maps._kecamatan import (
    class_layer,
    desa_layer,
    hotspot_layer,
    label_layer,
    outline_layer,
)
from pilkada_risk.maps.change import up_layer
from pilkada_risk.maps.layers import (
    aggregate_layer,
    detail_layer,
    grid_layer,
    monthly_layer,
    tps_layer,
)
from pilkada_risk.maps.plan_layer import plan_layer

__all__ = ["LAYERS", "LayerBuilder", "build_layers"]

LayerBuilder = Callable[[folium.Map, MapInputs], LayerJS]

#: The map's layers in drawing order (later rows on top; ``KEC`` first, the others draw from it).
LAYERS: dict[str, LayerBuilder] = {
    "kelas": class_layer,  # the kecamatan by class, tooltips and popups (KEC)
    "batas_kabupaten": outline_layer,
    "hotspot": hotspot_layer,
    "naik_kelas": up_layer,  # with previous=
    "nama": label_layer,
    "desa": desa_layer,
    "kejadian": detail_layer,  # include_incident_details=True
    "kejadian_agregat": aggregate_layer,  # include_incident_details=False
    "heatmap": grid_layer,
    "waktu": monthly_layer,
    "tps": tps_layer,
    "rencana": plan_layer,  # plan=
}


def build_layers(m: folium.Map, inputs: MapInputs) -> dict[str, LayerJS]:
    """Run every builder of :data:`LAYERS` on ``m`` in order; their results by name."""
    return {name: build(m, inputs) for name, build in LAYERS.items()}
