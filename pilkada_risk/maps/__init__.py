"""Stage 5, maps: the leadership map (folium, offline) and its HTML and PNG exports."""

from pilkada_risk.maps.change import change_summary
from pilkada_risk.maps.export import export_html, export_png
from pilkada_risk.maps.polda_map import polda_map
from pilkada_risk.maps.risk_map import risk_map

__all__ = ["change_summary", "export_html", "export_png", "polda_map", "risk_map"]
