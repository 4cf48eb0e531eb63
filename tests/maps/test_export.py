"""Tests of pilkada_risk.maps.export (offline HTML and PNG twin; checked as files, no browser)."""

from __future__ import annotations

import re

import folium
import pytest

from pilkada_risk.config.profile import load_profile
from pilkada_risk.maps import assets
from pilkada_risk.maps.classes import CLASS_RAMPS, KELAS_COLOURS, NO_CLASS
from pilkada_risk.maps.export import export_html, export_png
from pilkada_risk.maps.risk_map import risk_map
from tests.browser import QUARTILE_CLASSES, XSS, fake_incidents, fake_scores, with_classes

CANARY = "KANARI-KETERANGAN-7f3a"


@pytest.fixture(scope="module")
def scores(kecamatan_pb):
    return fake_scores(kecamatan_pb)


@pytest.fixture(scope="module")
def incidents(kecamatan_pb):
    return fake_incidents(kecamatan_pb, 400, keterangan=CANARY)


@pytest.fixture(scope="module")
def default_html(scores, incidents, desa_pb, tmp_path_factory):
    path = tmp_path_factory.mktemp("peta") / "peta.html"
    export_html(risk_map(scores, incidents=incidents, desa=desa_pb), path)
    return path.read_text(encoding="utf-8")


def test_offline_page_references_no_network(default_html):
    assert "<script src" not in default_html and 'rel="stylesheet"' not in default_html
    assert not re.search(
        r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""",
        default_html.split("</head>")[1].replace('href="https://leafletjs.com"', ""),
    )
    assert "url(images/" not in default_html and "data:image/png;base64," in default_html
    assert "Content-Security-Policy" in default_html and "default-src 'none'" in default_html
    assert "sourceMappingURL" not in default_html


def test_csp_hashes_every_inline_script_including_the_layer_legends(default_html):
    import base64
    import hashlib

    policy = re.search(r'Content-Security-Policy" content="([^"]+)"', default_html).group(1)
    allowed = set(re.search(r"script-src ([^;]+);", policy).group(1).split())
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", default_html, re.DOTALL)
    assert scripts and all(attrs == "" for attrs, _ in scripts)  # no src=, no other type
    digests = {
        "'sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode() + "'"
        for _, code in scripts
    }
    assert digests == allowed
    legend_js = [code for _, code in scripts if "data-pr-layer" in code]
    assert len(legend_js) == 1 and "l.on('add remove',set)" in legend_js[0]
    assert not re.search(r"<[^>]+\son\w+=", default_html)  # no inline event handlers


def test_default_export_leaks_no_incident_details(default_html, incidents):
    assert CANARY not in default_html
    assert "INC-0" not in default_html
    for geom in incidents.geometry.iloc[:20]:
        assert f"{geom.y:.5f},{geom.x:.5f}" not in default_html.replace(" ", "")


def test_classification_banner_top_and_bottom(scores, tmp_path):
    path = export_html(risk_map(scores), tmp_path / "a.html", classification="RAHASIA <b>")
    page = path.read_text(encoding="utf-8")
    assert page.count("RAHASIA &lt;b&gt;") == 2
    assert "pr-banner-top" in page and "pr-banner-bottom" in page
    page = export_html(risk_map(scores), tmp_path / "b.html").read_text(encoding="utf-8")
    assert page.count(">TERBATAS</div>") == 2


def test_export_is_byte_identical(scores, incidents, tmp_path):
    a = export_html(risk_map(scores, incidents=incidents), tmp_path / "a.html")
    b = export_html(risk_map(scores, incidents=incidents), tmp_path / "b.html")
    assert a.read_bytes() == b.read_bytes()
    m = risk_map(scores, incidents=incidents, include_incident_details=True)
    c = export_html(m, tmp_path / "c.html", include_incident_details=True)
    d = export_html(m, tmp_path / "d.html", include_incident_details=True)
    assert c.read_bytes() == d.read_bytes()


def test_details_map_refused_without_permission(scores, incidents, tmp_path):
    m = risk_map(scores, incidents=incidents, include_incident_details=True)
    with pytest.raises(ValueError, match="include_incident_details=True"):
        export_html(m, tmp_path / "x.html")
    assert not (tmp_path / "x.html").exists()
    with pytest.raises(ValueError, match="risk_map"):
        export_html(folium.Map(), tmp_path / "y.html")


def test_details_export_has_text_but_escaped(scores, incidents, kecamatan_pb, tmp_path):
    evil_scores = scores.copy()
    evil_scores["nama"] = [f"{n} {XSS[i % len(XSS)]}" for i, n in enumerate(scores["nama"])]
    evil_scores["narasi"] = XSS[1]
    evil_scores.attrs = {**scores.attrs, "kab_nama": XSS[0], "source_name": XSS[2]}
    inc = incidents.copy()
    inc["keterangan"] = [XSS[i % len(XSS)] + CANARY for i in range(len(inc))]
    inc["kategori"] = [XSS[i % len(XSS)] for i in range(len(inc))]
    m = risk_map(evil_scores, incidents=inc, include_incident_details=True)
    page = export_html(m, tmp_path / "x.html", include_incident_details=True).read_text()
    assert CANARY in page
    body = page.split("<body", 1)[1]
    for payload in XSS[:4]:  # markup payloads; the backtick one is proven in the browser test
        assert payload not in body
    assert "<img" not in body and "<svg onload" not in body


def test_offline_false_keeps_cdn_links(scores, tmp_path):
    page = export_html(risk_map(scores), tmp_path / "o.html", offline=False).read_text()
    assert assets.LEAFLET_JS in page and "Content-Security-Policy" not in page


def test_unknown_asset_is_an_error_not_a_cdn(scores, tmp_path):
    m = risk_map(scores)
    m.default_js = [*m.default_js, ("x", "https://cdn.example.org/x.js")]
    with pytest.raises(ValueError, match="no offline copy"):
        export_html(m, tmp_path / "u.html")
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_keeps_old_file(scores, tmp_path, monkeypatch):
    target = tmp_path / "peta.html"
    target.write_text("lama", encoding="utf-8")

    def boom(url: str) -> str:
        raise RuntimeError("interrupted")

    monkeypatch.setattr(assets, "inline_css", boom)
    with pytest.raises(RuntimeError, match="interrupted"):
        export_html(risk_map(scores), target)
    assert target.read_text(encoding="utf-8") == "lama"
    assert [p.name for p in tmp_path.iterdir()] == ["peta.html"]


def test_size_with_5000_incidents_under_2_mb(scores, kecamatan_pb, desa_pb, tmp_path):
    inc = fake_incidents(kecamatan_pb, 5000, seed=1)
    assert len(inc) == 5000
    small = export_html(risk_map(scores, incidents=inc, desa=desa_pb), tmp_path / "a.html")
    m = risk_map(scores, incidents=inc, desa=desa_pb, include_incident_details=True)
    full = export_html(m, tmp_path / "b.html", include_incident_details=True)
    assert small.stat().st_size < 2_000_000
    assert full.stat().st_size < 2_000_000


def test_export_png(scores, tmp_path):
    path = export_png(scores, tmp_path / "peta.png", dpi=60)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    again = export_png(scores, tmp_path / "peta2.png", dpi=60)
    assert again.read_bytes() == data
    with pytest.raises(ValueError, match="lang"):
        export_png(scores, tmp_path / "x.png", lang="de")


def test_export_png_with_previous_marks_changes(scores, tmp_path):
    from tests.browser import earlier

    plain = export_png(scores, tmp_path / "a.png", dpi=60).read_bytes()
    prev = earlier(scores)
    a = export_png(scores, tmp_path / "b.png", previous=prev, dpi=60).read_bytes()
    b = export_png(scores, tmp_path / "c.png", previous=prev, dpi=60).read_bytes()
    assert a == b and a != plain  # deterministic, and the change line and marker are drawn
    same = scores.copy()
    same.attrs = {**scores.attrs, "as_of": "2024-06-25"}
    unchanged = export_png(scores, tmp_path / "d.png", previous=same, dpi=60).read_bytes()
    assert unchanged not in (plain, a)  # the "no class changes" line, no outline
    with pytest.raises(ValueError, match=r"18\.13\.11"):
        export_png(scores, tmp_path / "x.png", previous=prev[prev["kode"] != "18.13.11"])
    assert not (tmp_path / "x.png").exists()


def test_export_html_with_previous_is_byte_identical(scores, incidents, tmp_path):
    from tests.browser import earlier

    prev = earlier(scores)
    a = export_html(risk_map(scores, incidents=incidents, previous=prev), tmp_path / "a.html")
    b = export_html(risk_map(scores, incidents=incidents, previous=prev), tmp_path / "b.html")
    assert a.read_bytes() == b.read_bytes()
    page = a.read_text(encoding="utf-8")
    assert "Sejak 2024-08-29: 6 kecamatan naik kelas, 1 turun kelas" in page
    assert "default-src 'none'" in page


def _pixels(png: bytes, colour: str) -> int:
    """Number of pixels of exactly ``colour`` in a PNG."""
    import io

    import numpy as np
    from matplotlib import image

    rgb = np.round(image.imread(io.BytesIO(png), format="png")[..., :3] * 255).astype(int)
    return int((rgb == [int(colour[i : i + 2], 16) for i in (1, 3, 5)]).all(axis=-1).sum())


def test_export_png_colours_custom_classes_by_position(scores, tmp_path):
    quartiles = with_classes(scores, QUARTILE_CLASSES)
    png = export_png(quartiles, tmp_path / "q.png", dpi=60).read_bytes()
    assert all(_pixels(png, c) > 100 for c in CLASS_RAMPS[4])  # map and legend
    assert _pixels(png, NO_CLASS) < 60  # edge antialiasing at most, no grey kecamatan
    renamed = with_classes(scores, {"labels_id": ["rendah", "sedang", "tinggi"]})
    png = export_png(renamed, tmp_path / "r.png", dpi=60).read_bytes()
    assert all(_pixels(png, c) > 100 for c in KELAS_COLOURS.values())
    assert _pixels(png, NO_CLASS) < 60
    # The check can fail: a kelas outside the profile is drawn grey (with a "no class" row).
    odd = renamed.assign(kelas=["waspada"] * 6 + list(renamed["kelas"][6:]))
    odd.attrs = renamed.attrs
    assert _pixels(export_png(odd, tmp_path / "o.png", dpi=60).read_bytes(), NO_CLASS) > 2000


def test_default_profile_export_equals_the_profileless_one(scores, incidents, tmp_path):
    # The default classes (three Polri classes) draw exactly what scores without a profile
    # drew before class scales existed: same HTML page and same PNG, in both languages.
    default = with_classes(scores, load_profile().section("classes"))
    default["kelas"] = scores["kelas"]
    for lang in ("id", "en"):
        a = export_png(scores, tmp_path / f"a{lang}.png", dpi=60, lang=lang).read_bytes()
        b = export_png(default, tmp_path / f"b{lang}.png", dpi=60, lang=lang).read_bytes()
        assert a == b
        pages = [
            export_html(risk_map(s, incidents=incidents, lang=lang), tmp_path / f"{i}.html")
            for i, s in enumerate((scores, default))
        ]
        assert pages[0].read_bytes() == pages[1].read_bytes()


def _png_texts(scores, lang="id") -> list[str]:
    from matplotlib.text import Text

    from pilkada_risk.maps._png import png_figure
    from pilkada_risk.maps.classes import class_scale

    fig = png_figure(
        scores, None, class_scale(scores), lang=lang, title=None, dpi=60, classification="X"
    )
    cells = [
        cell.get_text().get_text()
        for ax in fig.axes
        for table in ax.tables
        for cell in table.get_celld().values()
    ]
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()] + cells


def test_png_twin_has_ranked_table_scale_bar_and_page_labels(scores):
    texts = _png_texts(scores)
    assert "Peringkat kecamatan" in texts
    ranked = scores.sort_values("peringkat")
    for rank, nama in zip(ranked["peringkat"], ranked["nama"], strict=True):
        assert str(rank) in texts and nama in texts  # table row: rank and name
    assert any(t.endswith(" km") for t in texts)  # metric scale bar
    assert "Pesisir\nUtara" in texts  # names split over two lines, as on the page
    assert f"{scores['risk_score'].iloc[0]:.1f}".replace(".", ",") in texts  # Indonesian format


def test_png_twin_states_insufficient_data(scores, tmp_path):
    thin = scores.copy()
    thin.attrs = {
        **scores.attrs,
        "data_sufficient": False,
        "data_warnings": ["Hanya 3 kejadian dipakai (minimal 30)."],
        "data_warnings_en": ["Only 3 incidents were used (minimum 30)."],
    }
    assert "DATA TIDAK MEMADAI — kelas bersifat sementara" in _png_texts(thin)
    assert "• Only 3 incidents were used (minimum 30)." in _png_texts(thin, "en")
    assert "DATA TIDAK MEMADAI — kelas bersifat sementara" not in _png_texts(scores)
    plain = export_png(scores, tmp_path / "a.png", dpi=60).read_bytes()
    warned = export_png(thin, tmp_path / "b.png", dpi=60).read_bytes()
    assert _pixels(warned, "#8b0000") > _pixels(plain, "#8b0000") + 300  # the red warning bar


@pytest.mark.parametrize("kab", ["18.13", "18.01"])
def test_png_twin_names_every_kecamatan_without_overlaps(kab):
    """Issue 19: the PNG names every kecamatan, labels off each other and off the legend."""
    from matplotlib.text import Annotation

    from pilkada_risk.geo.boundaries import load_kecamatan
    from pilkada_risk.maps._png import png_figure
    from pilkada_risk.maps.classes import class_scale

    scores = fake_scores(load_kecamatan(kab))
    fig = png_figure(
        scores, None, class_scale(scores), lang="id", title=None, dpi=100, classification=""
    )
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    labels = [a for a in fig.findobj(Annotation) if a.get_gid() == "kec-label"]
    assert sorted(a.get_text().replace("\n", " ") for a in labels) == sorted(scores["nama"])
    boxes = [a.get_bbox_patch().get_window_extent(renderer) for a in labels]
    legend = fig.axes[0].get_legend().get_window_extent(renderer)
    pairs = [
        (labels[i].get_text(), labels[j].get_text())
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if boxes[i].overlaps(boxes[j])
    ]
    assert pairs == []
    assert not any(b.overlaps(legend) for b in boxes)
