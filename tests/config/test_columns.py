"""Every input check names missing columns in one form, in the user's language."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

import pilkada_risk as pr
from pilkada_risk.errors import MissingColumnsError, PilkadaRiskError
from pilkada_risk.intake.names import alias_table
from pilkada_risk.maps.change import compare
from pilkada_risk.scoring.narrative import narratives
from pilkada_risk.scoring.spatial import build_graph
from pilkada_risk.validation.backtest import default_origins

_AREAS = gpd.GeoDataFrame(
    {"nama": ["A", "B"]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=4326
)
_FORM = {
    "id": r"^{what}: tidak ada kolom untuk [^;]+; kolom yang ada: \[.*\]\. \S",
    "en": r"^{what}: no column for [^;]+; columns found: \[.*\]\. \S",
}

CHECKS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "model": ("incidents", lambda lang: pr.RiskModel().fit(pd.DataFrame({"x": [1]}), _AREAS)),
    "narrative": ("table", lambda lang: narratives(pd.DataFrame(), basis="unit", lang=lang)),
    "map": ("scores", lambda lang: pr.risk_map(_AREAS, lang=lang)),
    "change": ("previous", lambda lang: compare(pd.DataFrame(), pd.DataFrame({"x": [1]}), lang)),
    "plan": (
        "scores",
        lambda lang: pr.plan_security(pd.DataFrame(), pd.DataFrame(), personnel=1, lang=lang),
    ),
    "backtest": ("incidents", lambda lang: default_origins(pd.DataFrame({"x": [1]}))),
    "simulator": ("areas", lambda lang: pr.simulate_incidents(_AREAS)),
    "graph": ("areas", lambda lang: build_graph(_AREAS)),
    "names": ("areas", lambda lang: alias_table(pd.DataFrame({"x": ["1"]}))),
}
#: Entry points with a ``lang`` parameter; the others speak Bahasa Indonesia only.
_ENGLISH = ("narrative", "map", "change", "plan")


@pytest.mark.parametrize(
    ("name", "lang"), [(n, "id") for n in sorted(CHECKS)] + [(n, "en") for n in _ENGLISH]
)
def test_missing_columns_have_one_form(name: str, lang: str) -> None:
    what, call = CHECKS[name]
    with pytest.raises(MissingColumnsError) as info:
        call(lang)
    assert isinstance(info.value, PilkadaRiskError) and isinstance(info.value, ValueError)
    assert re.match(_FORM[lang].format(what=re.escape(what)), str(info.value)), str(info.value)
