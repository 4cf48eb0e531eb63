"""Tests of pilkada_risk.maps.risk_map (map building; HTML checked as text, no browser)."""

from __future__ import annotations

import json
import re

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from branca.element import Element
from hypothesis import given
from hypothesis import strategies as st

from pilkada_risk.config.profile import load_profile
from pilkada_risk.errors import MissingColumnsError
from pilkada_risk.maps._builder import MapInputs
from pilkada_risk.maps._panels import legend
from pilkada_risk.maps.classes import CLASS_RAMPS, NO_CLASS, class_scale
from pilkada_risk.maps.layers import (
    GROUP_COLOURS,
    MONTH_COLOURS,
    aggregate_layer,
    deterministic_ids,
    esc,
    js,
    month_bins,
)
from pilkada_risk.maps.risk_map import (
    DEFAULT_LAYERS,
    KELAS_COLOURS,
    OUTLINE_MIN_HOLE_M2,
    change_summary,
    class_colours,
    kabupaten_outline,
    risk_map,
    simplify_areas,
)
from tests.browser import (
    PREV_KELAS,
    QUARTILE_CLASSES,
    earlier,
    fake_incidents,
    fake_scores,
    with_classes,
)


@pytest.fixture(scope="module")
def scores(kecamatan_pb):
    return fake_scores(kecamatan_pb)


@pytest.fixture(scope="module")
def incidents(kecamatan_pb):
    return fake_incidents(kecamatan_pb, 300)


def _html(m: folium.Map) -> str:
    with deterministic_ids("t"):
        return m.get_root().render()


def test_map_has_classes_legend_title_and_flags(scores, incidents, desa_pb):
    m = risk_map(scores, incidents=incidents, desa=desa_pb)
    page = _html(m)
    assert isinstance(m, folium.Map)
    assert m.pilkada_risk["include_incident_details"] is False
    for colour in KELAS_COLOURS.values():
        assert colour in page
    assert "sangat rawan" in page and "Kelas kerawanan" in page
    assert "DATA SINTETIS" in page  # source_name says sintetis
    assert "Kabupaten Pesisir Barat" in page and "2024-11-27" in page
    assert "aaaaaaaaaaaa" in page and "ffffffffffff" in page  # lineage: short hashes
    assert "wilayah_boundaries" in page and "MIT" in page
    for name in scores["nama"]:
        assert esc(name) in page
    # folium's CDN extras that the map does not need are dropped
    assert "jquery" not in page.lower() and "bootstrap" not in page.lower()


def test_real_data_is_not_called_synthetic(scores):
    real = scores.copy()
    real.attrs = {**scores.attrs, "source_name": "register_polres_2024.xlsx"}
    page = _html(risk_map(real))
    assert "DATA SINTETIS" not in page
    page = _html(risk_map(real, title="Uji data sintetis"))
    assert "DATA SINTETIS" in page


def test_english_labels_and_narratives(scores):
    page = _html(risk_map(scores, lang="en"))
    assert "Risk class" in page and "synthetic data" in page
    assert "menurut data sintetis" not in page


def test_only_whitelisted_columns_reach_the_page(scores, incidents):
    secret = scores.copy()
    secret["catatan_rahasia"] = "KANARI-KOLOM"
    inc = incidents.copy()
    inc["nama_pelapor"] = "KANARI-PELAPOR"
    page = _html(risk_map(secret, incidents=inc, include_incident_details=True))
    assert "KANARI" not in page


def test_default_map_embeds_no_incident_level_data(scores, incidents):
    page = _html(risk_map(scores, incidents=incidents))
    assert "uraian 1" not in page and "INC-0" not in page
    x, y = incidents.geometry.iloc[0].x, incidents.geometry.iloc[0].y
    assert f"{y:.5f},{x:.5f}" not in page.replace(" ", "")


def test_details_embed_points_and_text(scores, incidents):
    page = _html(risk_map(scores, incidents=incidents, include_incident_details=True))
    assert "uraian 1" in page and "INC-00001" in page
    assert "markerClusterGroup" in page


def test_layers_switchable(scores, incidents, desa_pb, kecamatan_pb):
    tps = kecamatan_pb.copy()
    tps["geometry"] = tps.representative_point()
    tps["nama"] = [f"TPS {i}" for i in range(len(tps))]
    page = _html(risk_map(scores, incidents=incidents, desa=desa_pb, tps=tps))
    for text in ("Batas desa/pekon", "Hotspot Gi*", "Kejadian per bulan", "TPS 3", "range"):
        assert text in page
    page = _html(risk_map(scores, incidents=incidents, desa=desa_pb, layers=()))
    assert "Batas desa/pekon" not in page and "Kejadian per bulan" not in page


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"lang": "fr"}, "lang='fr'"),
        ({"layers": ("kejadian", "satelit")}, "satelit"),
    ],
)
def test_bad_options_are_named(scores, kwargs, match):
    with pytest.raises(ValueError, match=match):
        risk_map(scores, **kwargs)


def test_missing_columns_are_named(scores):
    with pytest.raises(MissingColumnsError, match="scores: tidak ada kolom untuk narasi_en;"):
        risk_map(scores.drop(columns=["narasi_en"]))
    with pytest.raises(TypeError, match="GeoDataFrame"):
        risk_map(scores.drop(columns="geometry").to_dict())  # type: ignore[arg-type]


def test_inputs_not_mutated(scores, incidents):
    before_s, before_i = scores.copy(), incidents.copy()
    risk_map(scores, incidents=incidents)
    assert scores.equals(before_s) and incidents.equals(before_i)
    assert scores.attrs == before_s.attrs


def test_deterministic_ids_restore_random_ids():
    with deterministic_ids("z"):
        assert Element()._id == "z000001"
        assert Element()._id == "z000002"
    assert Element()._id != Element()._id
    assert len(Element()._id) == 32


def test_simplify_keeps_coverage_and_rounds(kecamatan_pb):
    simple = simplify_areas(kecamatan_pb, 40.0)
    assert len(simple) == len(kecamatan_pb) and simple.is_valid.all()
    coords = np.concatenate([np.asarray(g.exterior.coords) for g in simple.explode().geometry])
    assert np.allclose(coords, np.round(coords, 5))
    area_ratio = simple.to_crs(32748).area.sum() / kecamatan_pb.to_crs(32748).area.sum()
    assert 0.98 < area_ratio < 1.02
    # shared edges survive: the union has no slivers beyond the original's holes
    assert simple.union_all().geom_type in {"Polygon", "MultiPolygon"}


def _notched_pair() -> gpd.GeoDataFrame:
    """Two kecamatan sharing the edge x=105 (vertices on the 1e-5 grid). A's deep notch ends
    0.05 grid units above its own sloping bottom edge: rounding that vertex down to the grid
    pushes it through the edge, so A's ring crosses itself."""
    u = 1e-5
    a = np.array([(0, 0), (10, 0.8), (10, 10), (5, 0.45), (0, 10)]) * u + (105, -5)
    b = np.array([(0, 0), (0, 10), (-10, 10), (-10, 0)]) * u + (105, -5)
    polys = [shapely.Polygon(a), shapely.Polygon(b)]
    return gpd.GeoDataFrame({"kode": ["A", "B"], "nama": ["A", "B"]}, geometry=polys, crs=4326)


def test_rounding_keeps_polygons_valid_and_shared_edges():
    pair = _notched_pair()
    assert pair.is_valid.all() and shapely.coverage_is_valid(pair.geometry.to_numpy())
    naive = shapely.transform(pair.geometry.to_numpy(), lambda xy: np.round(xy, 5))
    assert not shapely.is_valid(naive[0])  # the case the fix is for
    rounded = simplify_areas(pair, 0.0)
    assert rounded.is_valid.all() and not rounded.is_empty.any()
    assert shapely.coverage_is_valid(rounded.to_numpy())  # no gap or overlap introduced
    coords = shapely.get_coordinates(rounded.to_numpy())
    assert np.allclose(coords, np.round(coords, 5), rtol=0, atol=1e-9)
    assert rounded.union_all().is_valid
    # the valid neighbour is rounded as before, vertex for vertex
    assert shapely.equals_exact(rounded.iloc[1], naive[1], tolerance=0)


@pytest.fixture(scope="module")
def lampung(reference_dir):
    """Lampung (prov 18, 229 kecamatan) from the coarse national reference layer."""
    areas = gpd.read_parquet(reference_dir / "indonesia_kecamatan.parquet")
    areas = areas[areas["prov_kode"] == "18"].sort_values("kode", ignore_index=True)
    return areas.assign(nama_alt="")


def test_map_of_lampung_reference_layer(lampung):
    # Rounding made 3 of these polygons invalid and union_all raised a TopologyException.
    assert len(lampung) == 229
    simple = simplify_areas(lampung, 40.0)
    assert simple.is_valid.all() and not simple.is_empty.any()
    area_ratio = simple.to_crs(32748).area.sum() / lampung.to_crs(32748).area.sum()
    assert 0.99 < area_ratio < 1.01
    page = _html(risk_map(fake_scores(lampung), layers=()))
    assert page.count('"kelas": ') == 229


def test_aggregate_counts_match_incidents(kecamatan_pb, incidents):
    names = dict(zip(kecamatan_pb["kode"], kecamatan_pb["nama"], strict=True))
    inputs = MapInputs(
        ordered=kecamatan_pb,
        geoms=kecamatan_pb.geometry,
        points=kecamatan_pb.representative_point(),
        lang="id",
        layers=("kejadian",),
        incidents=incidents,
    )
    with deterministic_ids("t"):
        code = aggregate_layer(folium.Map(), inputs).code
    rows = json.loads(code[: code.index(".forEach")])
    got = pd.Series({r[3].split("</b>")[0][3:]: r[2] for r in rows})
    want = incidents.groupby("kec_kode").size().rename(index=names)
    assert got.sort_index().to_dict() == want.sort_index().to_dict()


# --- kabupaten outline without gap specks --------------------------------------------------------


def _holes(geom) -> int:
    return sum(len(p.interiors) for p in shapely.get_parts(geom))


def test_outline_of_pesisir_barat_drops_the_desa_gaps(kecamatan_pb):
    simple = simplify_areas(kecamatan_pb, 40.0)
    union = simple.union_all()
    assert _holes(union) > 50  # the gaps between upstream desa polygons
    outline = kabupaten_outline(simple)
    assert outline.is_valid and _holes(outline) == 0
    gained = shapely.difference(outline, union)
    ha = gpd.GeoSeries([gained], crs=4326).to_crs(simple.estimate_utm_crs()).area.iloc[0] / 1e4
    assert 1 < ha < 10  # about 3.8 ha filled in, nothing else changed
    assert len(shapely.get_parts(outline)) == len(shapely.get_parts(union))  # islands kept


def _page_layers(page: str) -> list[list[dict]]:
    """Geometries of each GeoJSON layer of a rendered map (kecamatan first, then the outline)."""
    out = []
    for match in re.finditer(r"geo_json_\w+_add\(\s*", page):
        data, _ = json.JSONDecoder().raw_decode(page[match.end() :])
        out.append([shapely.geometry.shape(f["geometry"]) for f in data["features"]])
    return out


def test_outline_keeps_large_holes_and_kecamatan_keep_theirs():
    def box(*xy: float) -> shapely.Polygon:
        x0, y0, x1, y1 = np.add(xy, (5e5, 9.4e6, 5e5, 9.4e6))  # near 105° E, 5.4° S
        return gpd.GeoSeries([shapely.box(x0, y0, x1, y1)], crs=32748).to_crs(4326).iloc[0]

    small, large = box(200, 200, 260, 260), box(1000, 1000, 1200, 1200)
    islet = box(220, 220, 240, 240)
    geoms = [
        box(0, 0, 2000, 2000).difference(small).difference(large),
        islet,
        box(2000, 0, 3000, 2000),
    ]
    areas = gpd.GeoDataFrame(
        {"kode": ["a", "b", "c"], "nama": ["A", "B", "C"]}, geometry=geoms, crs=4326
    )
    assert OUTLINE_MIN_HOLE_M2 == 10_000  # 60 m x 60 m is dropped, 200 m x 200 m kept
    outline = kabupaten_outline(areas.geometry)
    # the islet in the dropped hole merges into its host: one valid polygon, one hole left
    assert outline.is_valid and outline.geom_type == "Polygon" and _holes(outline) == 1
    assert kabupaten_outline(areas.geometry, min_hole_m2=0).geom_type == "MultiPolygon"
    assert _holes(kabupaten_outline(areas.geometry, min_hole_m2=1e9)) == 0
    kec, kab = _page_layers(_html(risk_map(fake_scores(areas), layers=(), simplify_m=0)))
    assert sorted(_holes(g) for g in kec) == [0, 0, 2]  # kecamatan polygons keep both holes
    assert len(kab) == 1 and _holes(kab[0]) == 1


# --- legends of the optional layers --------------------------------------------------------------


def _legend_sections(page: str) -> list[str]:
    """Text of the legend sections of the optional layers (decoded from the page's JS literal)."""
    start = page.index('"pr-panel pr-legend");d.innerHTML=') + len(
        '"pr-panel pr-legend");d.innerHTML='
    )
    legend, _ = json.JSONDecoder().raw_decode(page[start:])
    return legend.split('<div class="pr-lg-opt"')[1:]


def test_optional_layer_legends_are_hidden_sections_tied_to_their_layers(scores, incidents):
    page = _html(risk_map(scores, incidents=incidents))
    kejadian, grid, waktu = _legend_sections(page)
    assert all(
        s.startswith(f' data-pr-layer="{i}" hidden>') for i, s in enumerate((kejadian, grid, waktu))
    )
    assert "jumlah kejadian per kecamatan" in kejadian
    assert "sel ±1 km" in grid and "kurang dari 3 kejadian tidak ditampilkan" in grid
    assert "Kejadian per bulan per kecamatan" in waktu and "Skala 0 … " in waktu
    assert "l.on('add remove',set)" in page
    toggled = page[page.index("return MAP.hasLayer(l);});}") :].split("]")[0]
    assert toggled.count("feature_group_") == 3  # the three layers, in section order
    assert "data-pr-layer" not in _html(risk_map(scores, incidents=incidents, layers=("desa",)))
    assert "querySelector('.pr-legend')" not in _html(risk_map(scores))


def test_incident_legend_lists_present_groups_in_english(scores, incidents):
    inc = incidents.copy()
    inc.loc[inc.index[:5], "kategori"] = "kategori_baru"  # not in the taxonomy: grey, "Other"
    page = _html(risk_map(scores, incidents=inc, lang="en", include_incident_details=True))
    kejadian, grid, waktu = _legend_sections(page)
    assert "Incidents (colour = category group)" in kejadian
    for name, colour in (("Conventional crime", "konvensional"), ("Election-related", "pemilu")):
        assert f'background:{GROUP_COLOURS[colour]}"></span>{name}' in kejadian
    assert "Transnational crime" in kejadian  # narkotika
    assert "Crimes against state assets" not in kejadian and "Contingency" not in kejadian
    assert '#777777"></span>Other' in kejadian
    assert "pr-lg-note" not in grid and "are hidden" not in grid  # min_count=1: none hidden
    assert "Incidents per month per sub-district" in waktu


@given(st.integers(min_value=1, max_value=500))
def test_month_bins_match_the_page_colouring(top):
    bins = month_bins(top)
    assert len(bins) == len(MONTH_COLOURS) and bins[-1][1] == top
    used = [b for b in bins if b[0]]
    assert used[0][0] == 1 and all(a <= b for a, b in used)
    assert all(b + 1 == c for (_, b), (c, _) in zip(used, used[1:], strict=False))
    for i, (a, b) in enumerate(bins):  # the page's Math.min(4, Math.floor(v / max * 4.999))
        for v in {a, b} - {0}:
            assert min(4, int(v / top * 4.999)) == i


@given(st.text())
def test_js_literal_never_closes_a_script(text):
    out = js(text)
    assert "<" not in out and ">" not in out and "&" not in out
    assert js(text) == js(text)


@given(st.text())
def test_esc_leaves_no_markup(text):
    out = esc(text)
    for char in "<>\"'`":
        assert char not in out


def test_default_layers_constant():
    assert DEFAULT_LAYERS == ("kejadian", "heatmap", "hotspot", "desa", "tps", "waktu")


# --- what changed since an earlier assessment (previous=) ---------------------------------------


@pytest.fixture(scope="module")
def previous(scores):
    return earlier(scores)


def test_fixture_classes_move_as_documented(scores, previous):
    assert list(scores["kelas"][:6]) == ["sangat rawan"] * 6  # the premise of the tests below
    assert list(scores["kelas"][6:10]) == ["rawan"] * 4


def test_previous_adds_change_line_tooltip_popup_and_marker(scores, previous):
    page = _html(risk_map(scores, previous=previous))
    assert "Sejak 2024-08-29: 6 kecamatan naik kelas, 1 turun kelas" in page
    # Pesisir Tengah: rank 3 -> 1 and rawan -> sangat rawan
    assert "Sejak 2024-08-29: peringkat ▲2 · naik kelas" in page
    assert "Sejak 2024-08-29: peringkat ▼1 · naik kelas" in page  # Pesisir Selatan 1 -> 2
    assert "Sejak 2024-08-29: peringkat = · kelas tetap" in page
    before, now = (f"{v:.1f}".replace(".", ",") for v in scores["risk_score"].iloc[0] + [-5, 0])
    assert (
        "Sebelumnya (per 2024-08-29):\\u003c/b\\u003e peringkat 3, rawan, skor "
        f"{before} → \\u003cb\\u003esekarang:\\u003c/b\\u003e "
        f"peringkat 1, sangat rawan, skor {now} · "  # Indonesian decimal comma
        "\\u003cb\\u003enaik kelas"
    ) in page
    assert "turun kelas" in page and "Naik kelas sejak 2024-08-29" in page  # layer and legend
    assert page.count('pr-up-mark\\"\\u003e▲') == 6  # one per moved-up name label
    assert "pr-up" in page and ".pr-change-sum" in page


def test_previous_in_english(scores, previous):
    page = _html(risk_map(scores, previous=previous, lang="en"))
    assert "Since 2024-08-29: 6 sub-districts moved up a class, 1 moved down a class" in page
    assert "Previously (as of 2024-08-29)" in page and "rank ▲2 · moved up a class" in page
    assert "Sejak" not in page and "naik kelas" not in page


def test_no_class_change_has_no_marker(scores):
    same = scores.copy()
    same.attrs = {**scores.attrs, "as_of": "2024-06-25"}
    page = _html(risk_map(scores.iloc[::-1], previous=same))
    assert "Sejak 2024-06-25: tidak ada perubahan kelas" in page
    assert "pr-up-mark\\" not in page and "Naik kelas sejak" not in page


def test_without_previous_no_change_markup(scores):
    page = _html(risk_map(scores))
    for text in ("pr-change", "pr-up", "Sejak", "Sebelumnya", "▲"):
        assert text not in page


def test_previous_strings_are_escaped(scores, previous):
    evil = previous.copy()
    evil["nama"] = ["<img src=x onerror=alert(1)>"] * len(evil)
    evil["kelas"] = ['"><script>alert(2)</script>'] + PREV_KELAS[1:]
    page = _html(risk_map(scores, previous=evil))
    # The HTML strings as the page hands them to innerHTML (JSON escapes undone).
    html = page.replace("\\u0026", "&").replace("\\u003c", "<").replace("\\u003e", ">")
    assert "<img src=x" not in html and "<script>alert" not in html
    assert "&amp;lt;img" not in html  # escaped once, not twice
    assert "dahulu bernama &lt;img src=x onerror=alert(1)&gt;" in html
    assert "&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "1 berubah kelas" in html  # a class outside the profile's order


def test_previous_and_inputs_not_mutated(scores, previous):
    before_s, before_p = scores.copy(), previous.copy()
    risk_map(scores, previous=previous)
    assert scores.equals(before_s) and previous.equals(before_p)
    assert previous.attrs == before_p.attrs and scores.attrs == before_s.attrs


def _without(frame: gpd.GeoDataFrame, codes: list[str]) -> gpd.GeoDataFrame:
    out = frame[~frame["kode"].isin(codes)].copy()
    out.attrs = dict(frame.attrs)
    return out


def _edit(frame: gpd.GeoDataFrame, **attrs) -> gpd.GeoDataFrame:
    out = frame.copy()
    out.attrs = {**frame.attrs, **attrs}
    return out


@pytest.mark.parametrize(
    ("make", "exc", "match"),
    [
        (lambda p: _without(p, ["18.13.06", "18.13.11"]), ValueError, r"2 tidak ada.*18\.13\.06"),
        (
            lambda p: pd.concat([p, p.iloc[:1].assign(kode="99.99.99")]).pipe(
                lambda f: _edit(f, as_of="2024-08-29")
            ),
            ValueError,
            r"1 hanya ada di previous \['99\.99\.99'\]",
        ),
        (
            lambda p: _edit(pd.concat([p, p.iloc[:1]]), as_of="2024-08-29"),
            ValueError,
            r"ganda \['18\.13\.01'\]",
        ),
        (lambda p: _edit(p, as_of="2024-11-27"), ValueError, "2024-11-27.*2024-11-27"),
        (
            lambda p: _edit(p, as_of="2025-02-01"),
            ValueError,
            "per 2025-02-01 tidak sebelum.*2024-11-27",
        ),
        (lambda p: _edit(p, as_of=None), ValueError, r"previous\.attrs\['as_of'\]"),
        (lambda p: _edit(p, as_of="kemarin"), ValueError, "'kemarin'"),
        (lambda p: p.drop(columns=["peringkat"]), ValueError, "tidak ada kolom untuk peringkat;"),
        (lambda p: p.assign(risk_score="tinggi"), ValueError, "risk_score.*'tinggi'"),
        (lambda p: p.to_dict(), TypeError, "dict"),
    ],
)
def test_previous_is_validated(scores, previous, make, exc, match):
    with pytest.raises(exc, match=match):
        risk_map(scores, previous=make(previous))


def test_previous_errors_in_english_and_scores_as_of_checked(scores, previous):
    with pytest.raises(ValueError, match="not before scores as of 2024-11-27"):
        risk_map(scores, previous=_edit(previous, as_of="2024-12-01"), lang="en")
    with pytest.raises(ValueError, match=r"scores\.attrs\['as_of'\]"):
        risk_map(_edit(scores, as_of=""), previous=previous)


def test_change_summary(scores, previous):
    # Six moves are only counted; a single one is named (leadership asks "which one?").
    down = scores["nama"].iloc[8]  # PREV_KELAS[8] was "sangat rawan", now "rawan"
    assert change_summary(scores, previous) == (
        f"Sejak 2024-08-29: 6 kecamatan naik kelas, 1 turun kelas ({down})"
    )
    one_down = _edit(
        scores.assign(kelas=["sangat rawan"] * 7 + list(scores["kelas"][7:])), as_of="2024-01-02"
    )
    moved = scores["nama"].iloc[6]
    assert change_summary(scores, one_down, lang="en") == (
        f"Since 2024-01-02: 1 sub-district moved down a class ({moved})"
    )


# --- classes of the profile: colour by position, names in the map's language ---------------------


def _lightness(colour: str) -> float:
    """CIELAB L* of a ``#rrggbb`` colour."""
    c = np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    y = float(c @ [0.2126, 0.7152, 0.0722])
    return 116 * np.cbrt(y) - 16 if y > 0.008856 else 903.3 * y


def _kec_fills(page: str) -> list[str]:
    """Fill colours of the kecamatan layer's style switch (one per distinct style)."""
    body = page[page.index("_styler(feature) {") :].split("function ", 1)[0]
    return re.findall(r'"fillColor": "(#[0-9a-f]{6})"', body)


def _legend_rows(page: str) -> list[tuple[str, str]]:
    """``(colour, text)`` of the class legend rows (before the optional sections)."""
    start = page.index('"pr-panel pr-legend");d.innerHTML=') + len(
        '"pr-panel pr-legend");d.innerHTML='
    )
    html, _ = json.JSONDecoder().raw_decode(page[start:])
    html = html.split('<div class="pr-lg-opt"')[0]
    return re.findall(
        r'<div><span class="pr-swatch" style="background:(#\w+)"></span>([^<]*)', html
    )


def _tips_pops(page: str) -> tuple[dict[str, str], dict[str, str]]:
    """Tooltip and popup HTML per kode, as the page binds them to the kecamatan."""
    start = page.index("(function(){var t=") + len("(function(){var t=")
    decoder = json.JSONDecoder()
    tips, end = decoder.raw_decode(page[start:])
    pops, _ = decoder.raw_decode(page[start + end + len(",p=") :])
    return tips, pops


@pytest.mark.parametrize("k", range(2, 10))
def test_class_colours_are_distinct_and_darken_with_the_class(k):
    colours = class_colours(k)
    assert len(colours) == len(set(colours)) == k
    assert colours[0] == "#c2e699" and NO_CLASS not in colours
    steps = np.diff([_lightness(c) for c in colours])
    assert (steps < -4).all(), steps  # strictly darker, readable without hue
    if k in CLASS_RAMPS:
        assert colours == CLASS_RAMPS[k]


def test_three_classes_keep_the_polri_colours():
    assert class_colours(3) == ("#c2e699", "#fd8d3c", "#bd0026")
    assert list(KELAS_COLOURS) == ["kurang rawan", "rawan", "sangat rawan"]
    assert tuple(KELAS_COLOURS.values()) == class_colours(3)
    with pytest.raises(ValueError, match="k=1"):
        class_colours(1)


def test_default_legend_is_unchanged(scores):
    # The legend rows before class scales existed (HTML and English text), byte for byte,
    # inside the section that hides while a layer recolours the kecamatan.
    assert legend("id", False) == (
        '<b>Kelas kerawanan<span class="pr-tap"> ▾ ketuk</span></b><div class="pr-lg-class">'
        '<div><span class="pr-swatch" style="background:#c2e699"></span>kurang rawan</div>'
        '<div><span class="pr-swatch" style="background:#fd8d3c"></span>rawan</div>'
        '<div><span class="pr-swatch" style="background:#bd0026"></span>sangat rawan</div></div>'
    )
    assert [t for _, t in class_scale(scores).legend_rows("en")] == [
        "less vulnerable (kurang rawan)",
        "vulnerable (rawan)",
        "highly vulnerable (sangat rawan)",
    ]
    # Scores without a profile and with the default profile's classes draw the same page.
    assert "profile" not in scores.attrs
    default = with_classes(scores, load_profile().section("classes"))
    default["kelas"] = scores["kelas"]
    assert _html(risk_map(default)) == _html(risk_map(scores))


@pytest.fixture(scope="module")
def quartiles(scores):
    return with_classes(scores, QUARTILE_CLASSES)


def test_four_quantile_classes_get_four_colours_and_legend_rows(quartiles):
    assert sorted(set(quartiles["kelas"])) == sorted(QUARTILE_CLASSES["labels_id"])
    page = _html(risk_map(quartiles))
    rows = _legend_rows(page)
    assert rows == list(zip(CLASS_RAMPS[4], QUARTILE_CLASSES["labels_id"], strict=True))
    assert sorted(_kec_fills(page)) == sorted(CLASS_RAMPS[4])
    assert NO_CLASS not in page and "tanpa kelas" not in page
    tips, pops = _tips_pops(page)
    top = quartiles["kode"].iloc[0]  # the highest score: the highest class, darkest colour
    assert "<br>Kelas: sangat tinggi<br>" in tips[top]
    assert f'style="background:{CLASS_RAMPS[4][3]}"></span><b>sangat tinggi</b> · ' in pops[top]


def test_renamed_labels_colour_every_kecamatan(scores):
    renamed = with_classes(scores, {"labels_id": ["rendah", "sedang", "tinggi"]})
    page = _html(risk_map(renamed))
    assert [t for _, t in _legend_rows(page)] == ["rendah", "sedang", "tinggi"]
    assert sorted(_kec_fills(page)) == sorted(KELAS_COLOURS.values())
    assert NO_CLASS not in page
    # English names missing from the profile: the Indonesian ones stand in.
    assert [t for _, t in _legend_rows(_html(risk_map(renamed, lang="en")))][0] == "rendah"


def test_english_tooltips_and_popups_name_the_class_in_english(quartiles):
    page = _html(risk_map(quartiles, lang="en"))
    assert [t for _, t in _legend_rows(page)] == [
        "low (rendah)",
        "medium (sedang)",
        "high (tinggi)",
        "very high (sangat tinggi)",
    ]
    tips, pops = _tips_pops(page)
    english = dict(zip(QUARTILE_CLASSES["labels_id"], QUARTILE_CLASSES["labels_en"], strict=True))
    colour = dict(zip(QUARTILE_CLASSES["labels_id"], CLASS_RAMPS[4], strict=True))
    for kode, kelas in zip(quartiles["kode"], quartiles["kelas"], strict=True):
        assert f"<br>Class: {english[kelas]}<br>" in tips[kode]
        assert (
            f'<span class="pr-swatch" style="background:{colour[kelas]}"></span>'
            f"<b>{english[kelas]}</b> · Rank <b>"
        ) in pops[kode]
    tips_id, pops_id = _tips_pops(_html(risk_map(quartiles)))
    top = quartiles["kode"].iloc[0]
    assert "<br>Kelas: sangat tinggi<br>" in tips_id[top] and "sangat tinggi</b> · " in pops_id[top]
    assert "sangat tinggi" not in tips[top] + pops[top]


def test_english_change_lines_name_the_class_in_english(scores, previous):
    page = _html(risk_map(scores, previous=previous, lang="en"))
    assert "rank 3, vulnerable, score" in page and "rank 1, highly vulnerable, score" in page
    assert ", rawan, score" not in page and "Class: sangat rawan" not in page
    assert "Class: highly vulnerable" in page


def test_kelas_outside_the_profile_is_grey_with_a_legend_row(scores):
    odd = scores.copy()
    odd["kelas"] = ["waspada"] + list(scores["kelas"].iloc[1:])
    page = _html(risk_map(odd))
    assert NO_CLASS in _kec_fills(page)
    assert _legend_rows(page)[-1] == (NO_CLASS, "tanpa kelas")
    assert _legend_rows(_html(risk_map(odd, lang="en")))[-1] == (NO_CLASS, "no class")
