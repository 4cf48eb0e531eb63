"""Open exported maps in headless chromium (Debian's /usr/bin/chromium via playwright).

Checks rendering (11 kecamatan paths, legend, non-blank screenshot), zero network requests,
no console errors, and that XSS payloads in every user string do not execute.
"""

from __future__ import annotations

import pandas as pd
import pytest

from pilkada_risk.maps.export import export_html
from pilkada_risk.maps.risk_map import risk_map
from tests.browser import XSS, fake_incidents, fake_scores, open_page, pixel_std

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def scores(kecamatan_pb):
    return fake_scores(kecamatan_pb)


def _show_everything(page) -> dict:
    """Tick every overlay, open every kecamatan popup and tooltip, and some marker popups."""
    page.evaluate(
        "document.querySelectorAll('.leaflet-control-layers-selector').forEach("
        "function(i){if(!i.checked)i.click();})"
    )
    texts = page.evaluate(
        "(function(){var out=[];KEC.eachLayer(function(l){l.openTooltip();l.openPopup();"
        "var p=l.getPopup().getElement();if(p)out.push(p.innerText);});"
        "return out;})()"
    )
    markers = page.evaluate(
        "(function(){var n=0;MAP.eachLayer(function(g){if(g.getLayers&&g.getVisibleParent){"
        "g.getLayers().slice(0,12).forEach(function(mk){var c=mk.getPopup().getContent();"
        "var el=typeof c==='function'?c(mk):c;var d=document.createElement('div');"
        "if(typeof el==='string')d.innerHTML=el;else d.appendChild(el);"
        "document.body.appendChild(d);n++;});}});return n;})()"
    )
    slider = page.locator(".pr-time input")
    if slider.count():
        slider.fill("0")
    page.wait_for_timeout(150)
    return {"popups": texts, "markers": markers}


def test_offline_map_renders_with_zero_requests(browser, scores, kecamatan_pb, desa_pb, tmp_path):
    inc = fake_incidents(kecamatan_pb, 500)
    path = export_html(risk_map(scores, incidents=inc, desa=desa_pb), tmp_path / "peta.html")

    def legend(page) -> dict:
        return {"legend": page.inner_text(".pr-legend"), "title": page.inner_text(".pr-head")}

    res = open_page(browser, path, action=legend)
    assert res.requests == [path.resolve().as_uri()]
    assert res.blocked == []
    assert res.console_errors == []
    assert res.paths == 11
    assert "sangat rawan" in res.values["legend"]
    assert "DATA SINTETIS" in res.values["title"]
    assert pixel_std(res.screenshot) > 0.05


def test_xss_payloads_do_not_execute(browser, scores, kecamatan_pb, desa_pb, tmp_path):
    evil = scores.copy()
    evil["nama"] = [f"{n} {XSS[i % len(XSS)]}" for i, n in enumerate(scores["nama"])]
    evil["narasi"] = [XSS[i % len(XSS)] for i in range(len(evil))]
    evil["tren"] = XSS[1]
    evil["kelas"] = [XSS[0]] + list(scores["kelas"].iloc[1:])
    evil.attrs = {**scores.attrs, "kab_nama": XSS[1], "source_name": XSS[2], "as_of": XSS[3]}
    inc = fake_incidents(kecamatan_pb, 200)
    inc["keterangan"] = [XSS[i % len(XSS)] for i in range(len(inc))]
    inc["kategori"] = [XSS[(i + 1) % len(XSS)] for i in range(len(inc))]
    inc["id"] = [XSS[(i + 2) % len(XSS)] for i in range(len(inc))]
    desa = desa_pb.copy()
    desa["nama"] = XSS[2]
    tps = kecamatan_pb.copy()
    tps["geometry"] = tps.representative_point()
    tps["nama"] = XSS[1]
    m = risk_map(evil, incidents=inc, desa=desa, tps=tps, include_incident_details=True)
    path = export_html(
        m, tmp_path / "xss.html", include_incident_details=True, classification=XSS[0]
    )
    res = open_page(browser, path, action=_show_everything)
    assert res.values["xss"] == "undefined"
    assert res.dialogs == []
    assert res.console_errors == []  # a blocked inline handler would log a CSP error
    assert res.blocked == []
    assert len(res.values["popups"]) == 11
    assert any("<img src=x" in text for text in res.values["popups"])  # shown as text
    assert res.values["markers"] > 0


def test_english_map_and_time_slider(browser, scores, kecamatan_pb, tmp_path):
    inc = fake_incidents(kecamatan_pb, 300)
    path = export_html(risk_map(scores, incidents=inc, lang="en"), tmp_path / "en.html")

    def slide(page) -> dict:
        classes = page.inner_text(".pr-legend")
        page.evaluate(
            "document.querySelectorAll('.leaflet-control-layers-selector').forEach("
            "function(i){if(!i.checked)i.click();})"
        )
        before = page.inner_text(".pr-time")
        page.locator(".pr-time input").fill("0")
        return {
            "classes": classes,
            "before": before,
            "after": page.inner_text(".pr-time"),
            "legend": page.inner_text(".pr-legend"),
        }

    res = open_page(browser, path, action=slide)
    assert res.console_errors == [] and res.blocked == []
    assert "Month" in res.values["after"] and res.values["before"] != res.values["after"]
    assert "2023-06" in res.values["after"]
    assert "highly vulnerable" in res.values["classes"]
    # one legend per colouring: the monthly layer recolours the kecamatan, the classes hide
    assert "highly vulnerable" not in res.values["legend"]


def test_demo_map_from_the_real_pipeline_passes_the_offline_checks(browser, tmp_path):
    """load_demo → read_incidents → RiskModel → risk_map → export_html, opened in chromium."""
    from pilkada_risk import RiskModel, load_demo, read_incidents
    from tests.browser import check_offline_map

    demo = load_demo("18.13")
    intake = read_incidents(demo.register, areas=demo.areas, desa=demo.desa)
    scores = RiskModel().fit(intake.accepted, demo.areas, context=demo.context).score()
    m = risk_map(scores, incidents=intake.accepted, desa=demo.desa)
    path = export_html(m, tmp_path / "demo.html")
    res = check_offline_map(path, expected_units=11, browser=browser)
    assert "DATA SINTETIS" in res.values["title"]


def test_change_since_previous_renders_and_previous_xss_does_not_run(
    browser, scores, kecamatan_pb, tmp_path
):
    from tests.browser import earlier

    prev = earlier(scores)
    prev["nama"] = [f"{n} {XSS[i % len(XSS)]}" for i, n in enumerate(scores["nama"])]
    prev["kelas"] = [*prev["kelas"][:10], XSS[2]]  # markup in a class: "><svg onload=...>
    inc = fake_incidents(kecamatan_pb, 200)
    path = export_html(risk_map(scores, previous=prev, incidents=inc), tmp_path / "ubah.html")

    def look(page) -> dict:
        legend = page.inner_text(".pr-legend")  # before the monthly layer hides the classes
        shown = _show_everything(page)
        return {
            **shown,
            "title": page.inner_text(".pr-head"),
            "legend": legend,
            "marks": page.locator(".pr-label .pr-up-mark").count(),
            # each popup's own element (the shared helper reads the first popup in the page)
            "own_popups": page.evaluate(
                "(function(){var out=[];KEC.eachLayer(function(l){l.openPopup();"
                "var e=l.getPopup().getElement();out.push(e?e.innerText:'');l.closePopup();});"
                "return out;})()"
            ),
            "tips": page.evaluate(
                "(function(){var out=[];KEC.eachLayer(function(l){"
                "out.push(l.getTooltip().getContent());});return out;})()"
            ),
        }

    res = open_page(browser, path, action=look)
    assert res.values["xss"] == "undefined" and res.dialogs == []
    assert res.console_errors == [] and res.blocked == []
    assert "Sejak 2024-08-29: 6 kecamatan naik kelas, 1 turun kelas" in res.values["title"]
    assert "berubah kelas" in res.values["title"]  # the payload class is no known class
    assert res.values["marks"] == 6
    assert "Naik kelas sejak 2024-08-29" in res.values["legend"]
    assert len(res.values["popups"]) == 11
    popups = res.values["own_popups"]
    assert len(popups) == 11 and len(set(popups)) == 11
    assert any("Sebelumnya (per 2024-08-29): peringkat 3, rawan" in p for p in popups)
    assert any("dahulu bernama" in p and "<img src=x" in p for p in popups)  # shown as text
    assert any("<svg onload" in p and "kelas berubah" in p for p in popups)
    assert sum("peringkat ▲" in t for t in res.values["tips"]) >= 2


def _toggle_overlay(page, name: str) -> None:
    """Click the layer-control checkbox of the overlay called ``name`` (as a user would)."""
    clicked = page.evaluate(
        "(function(n){var hit=0;document.querySelectorAll('.leaflet-control-layers-overlays label')"
        ".forEach(function(l){if(l.textContent.trim()===n){l.querySelector('input').click();hit++;}});"
        "return hit;})",
        name,
    )
    assert clicked == 1, name


def _legend_text(page) -> str:
    return page.inner_text(".pr-legend")


@pytest.mark.parametrize(
    ("details", "lang", "legends"),
    [
        (
            False,
            "id",
            {
                "Kejadian (jumlah per kecamatan)": "jumlah kejadian per kecamatan",
                "Kepadatan kejadian (grid)": "kurang dari 3 kejadian tidak ditampilkan",
                "Kejadian per bulan": "Kejadian per bulan per kecamatan",
            },
        ),
        (
            True,
            "en",
            {
                "Incidents": "Incidents (colour = category group)",
                "Incident density (grid)": "incidents in a ±1 km cell",
                "Incidents per month": "Incidents per month per sub-district",
            },
        ),
    ],
)
def test_optional_layer_legends_follow_the_layer_switches(
    browser, scores, kecamatan_pb, tmp_path, details, lang, legends
):
    inc = fake_incidents(kecamatan_pb, 300)
    m = risk_map(scores, incidents=inc, lang=lang, include_incident_details=details)
    path = export_html(m, tmp_path / "lapisan.html", include_incident_details=details)

    def switch(page) -> dict:
        seen = {}
        for layer, text in legends.items():
            # the incident clusters are on by default: their legend shows from the start
            on_at_start = details and layer == "Incidents"
            before = _legend_text(page)
            _toggle_overlay(page, layer)
            after = _legend_text(page)
            _toggle_overlay(page, layer)
            seen[layer] = (text in before, text in after, text in _legend_text(page))
            assert seen[layer] == ((True, False, True) if on_at_start else (False, True, False))
        for layer in legends:  # all on together
            _toggle_overlay(page, layer)
        return {"seen": seen, "all": _legend_text(page)}

    res = open_page(browser, path, action=switch)
    assert res.requests == [path.resolve().as_uri()] and res.blocked == []
    assert res.console_errors == []
    everything = res.values["all"]
    # the monthly layer is on and recolours the kecamatan: the class legend is hidden
    assert "sangat rawan" not in everything and "highly vulnerable" not in everything
    for layer, text in legends.items():
        on_at_start = details and layer == "Incidents"
        assert (text in everything) is not on_at_start  # toggled twice from its start state
    if details:
        assert "Conventional crime" not in everything
    else:
        assert "Skala 0 … " in everything and "kurang dari 3" in everything


def test_custom_four_classes_render_in_english(browser, scores, tmp_path):
    from pilkada_risk.maps.classes import CLASS_RAMPS, NO_CLASS
    from tests.browser import QUARTILE_CLASSES, with_classes

    quartiles = with_classes(scores, QUARTILE_CLASSES)
    path = export_html(risk_map(quartiles, lang="en"), tmp_path / "q.html")

    def look(page) -> dict:
        fills = page.evaluate(
            "Array.from(document.querySelectorAll('path.pr-kec')).map(p=>p.getAttribute('fill'))"
        )
        tips = page.evaluate(
            "(function(){var out=[];KEC.eachLayer(function(l){l.openTooltip();"
            "out.push(l.getTooltip().getElement().innerText);l.closeTooltip();});return out;})()"
        )
        rows = page.locator(".pr-lg-class > div").all_inner_texts()
        return {"fills": fills, "tips": tips, "rows": rows}

    res = open_page(browser, path, action=look)
    assert res.console_errors == [] and res.blocked == []
    assert sorted(set(res.values["fills"])) == sorted(CLASS_RAMPS[4])
    assert NO_CLASS not in res.values["fills"] and len(res.values["fills"]) == 11
    assert [r.strip() for r in res.values["rows"][:4]] == [
        "low (rendah)",
        "medium (sedang)",
        "high (tinggi)",
        "very high (sangat tinggi)",
    ]
    classes = {t.split("Class: ")[1].split("\n")[0] for t in res.values["tips"]}
    assert classes == set(QUARTILE_CLASSES["labels_en"])


# --------------------------------------------------------------------------------------------
# A leadership map that cannot mislead (issue 9): labels, phone layout, data sufficiency.


@pytest.fixture(scope="module")
def kab_map(tmp_path_factory):
    """Exported map per kabupaten: the real demo pipeline for 18.13, fake scores elsewhere."""
    from pilkada_risk import RiskModel, load_demo, read_incidents
    from pilkada_risk.geo.boundaries import load_kecamatan

    built: dict[str, object] = {}

    def make(kab: str):
        if kab not in built:
            out = tmp_path_factory.mktemp(f"peta_{kab.replace('.', '_')}") / "peta.html"
            if kab == "18.13":
                demo = load_demo(kab)
                intake = read_incidents(demo.register, areas=demo.areas, desa=demo.desa)
                model = RiskModel().fit(intake.accepted, demo.areas, context=demo.context)
                m = risk_map(model.score(), incidents=intake.accepted, desa=demo.desa)
            else:
                areas = load_kecamatan(kab)
                m = risk_map(fake_scores(areas), incidents=fake_incidents(areas, 300))
            built[kab] = export_html(m, out)
        return built[kab]

    return make


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("kab", ["18.13", "18.01", "18.71"])
def test_labels_open_their_own_kecamatan_and_popups_are_fully_visible(
    browser, kab_map, kab, viewport
):
    from tests.browser import DESKTOP, PHONE, check_labels_and_popups

    res = check_labels_and_popups(
        browser, kab_map(kab), DESKTOP if viewport == "desktop" else PHONE
    )
    assert res["errors"] == []
    assert res["label_misses"] == {}  # every visible label opens its own kecamatan
    assert res["label_hits"] == res["shown"] > 0
    assert res["shown"] >= (0.6 if viewport == "desktop" else 0.4) * res["n"], res
    assert res["popup_wrong"] == {}  # a tap on each polygon opens that polygon's popup
    visible = res["popup_visible"]
    assert len(visible) == res["n"] and min(visible.values()) >= 0.95, visible


def _three_incident_map(kecamatan_pb, tmp_path, lang="id"):
    from pilkada_risk import RiskModel

    inc = fake_incidents(kecamatan_pb, 3)
    scores = RiskModel(overrides={"n_bootstrap": 20}).fit(inc, kecamatan_pb).score()
    assert scores.attrs["data_sufficient"] is False
    return export_html(risk_map(scores, incidents=inc, lang=lang), tmp_path / f"tipis_{lang}.html")


_WARN_SEEN_JS = """() => {var w=document.querySelector('.pr-warn');if(!w)return null;
var r=w.getBoundingClientRect(),e=document.elementFromPoint(r.left+r.width/2,r.top+r.height/2);
return {text:w.innerText,seen:r.width>0&&r.top>=0&&r.bottom<=innerHeight&&w.contains(e)};}"""


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_thin_data_shows_a_visible_warning_and_provisional_classes(
    browser, kecamatan_pb, tmp_path, viewport
):
    from tests.browser import DESKTOP, PHONE, map_context

    path = _three_incident_map(kecamatan_pb, tmp_path)
    context = map_context(browser, DESKTOP if viewport == "desktop" else PHONE)
    page = context.new_page()
    page.goto(path.resolve().as_uri())
    page.wait_for_selector(".leaflet-overlay-pane path")
    warn = page.evaluate(_WARN_SEEN_JS)
    dashed = page.evaluate(
        "Array.from(document.querySelectorAll('path.pr-kec')).map(p=>p.getAttribute('stroke-dasharray'))"
    )
    hot = page.locator(".pr-legend .pr-hot").count()
    context.close()
    assert warn == {"text": "DATA TIDAK MEMADAI — kelas bersifat sementara", "seen": True}
    assert set(dashed) == {"4 3"}  # every class drawn as provisional
    assert hot == 0  # no Gi* hotspot from three incidents


def test_demo_map_has_no_warning_and_reading_aids(browser, kab_map):
    from tests.browser import DESKTOP, map_context

    context = map_context(browser, DESKTOP)
    page = context.new_page()
    page.goto(kab_map("18.13").resolve().as_uri())
    page.wait_for_selector(".leaflet-overlay-pane path")
    seen = {
        "warn": page.locator(".pr-warn").count(),
        "scales": page.locator(".leaflet-control-scale-line").all_inner_texts(),
        "attribution": page.inner_html(".leaflet-control-attribution"),
        "head": page.inner_text(".pr-head"),
    }
    _toggle_overlay(page, "Kejadian per bulan")
    seen["class_legend_hidden"] = page.evaluate("document.querySelector('.pr-lg-class').hidden")
    seen["legend"] = _legend_text(page)
    context.close()
    assert seen["warn"] == 0
    assert len(seen["scales"]) == 1 and seen["scales"][0].endswith(("km", " m"))
    assert "<svg" not in seen["attribution"] and "Leaflet" in seen["attribution"]
    assert "Dasar peta: 784 kejadian (2019-01-02 s.d. 2024-12-31)" in seen["head"]
    assert "dikarantina" in seen["head"] and "dengan koordinat" in seen["head"]
    assert seen["class_legend_hidden"] is True and "sangat rawan" not in seen["legend"]


# --------------------------------------------------------------------------------------------
# Every kecamatan named at first view (issue 19, item 2): the demo pipeline with the change
# since 90 days earlier, as `pilkada-risk demo --kab ...` writes it.


@pytest.fixture(scope="module")
def demo_change_map(tmp_path_factory):
    """``(html, png, scores, changed codes)`` of the demo map of a kabupaten with ``previous``."""
    from pilkada_risk import RiskModel, load_demo, read_incidents
    from pilkada_risk.maps.change import compare
    from pilkada_risk.maps.export import export_png

    built: dict[str, tuple] = {}

    def make(kab: str) -> tuple:
        if kab not in built:
            out = tmp_path_factory.mktemp(f"nama_{kab.replace('.', '_')}")
            demo = load_demo(kab)
            intake = read_incidents(demo.register, areas=demo.areas, desa=demo.desa)
            model = RiskModel().fit(intake.accepted, demo.areas, context=demo.context)
            scores = model.score()
            before = model.as_of_ - pd.Timedelta(days=90)
            previous = (
                RiskModel()
                .fit(intake.accepted, demo.areas, as_of=before, context=demo.context)
                .score()
            )
            m = risk_map(scores, previous=previous, incidents=intake.accepted, desa=demo.desa)
            html = export_html(m, out / "peta.html")
            png = export_png(scores, out / "peta.png", previous=previous)
            changed = set(compare(scores, previous, "id").changed)
            built[kab] = (html, png, scores, changed)
        return built[kab]

    return make


@pytest.mark.parametrize(
    ("kab", "viewport", "least"),
    [
        ("18.13", "desktop", 11),
        ("18.13", "phone", 8),
        ("18.01", "desktop", 14),
        ("18.01", "phone", 8),
    ],
)
def test_every_kecamatan_is_named_at_first_view(demo_change_map, browser, kab, viewport, least):
    from tests.browser import DESKTOP, PHONE, visible_names

    html, _, scores, changed = demo_change_map(kab)
    res = visible_names(browser, html, DESKTOP if viewport == "desktop" else PHONE)
    names = dict(zip(scores["kode"].astype(str), scores["nama"].astype(str), strict=True))
    assert res["n"] == len(scores) and res["names"] == names  # full names, never cut
    assert len(res["visible"]) >= least, [names[k] for k in names if k not in res["visible"]]
    must = set(scores.sort_values("peringkat")["kode"].astype(str).head(3)) | changed
    assert must <= set(res["visible"]), [names[k] for k in must - set(res["visible"])]
    assert res["wrong"] == {}  # every label (or its leader) points into its own kecamatan
    assert res["overlaps"] == []
