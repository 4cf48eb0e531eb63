"""Open exported maps in headless chromium (Debian's /usr/bin/chromium via playwright).

Checks rendering (11 kecamatan paths, legend, non-blank screenshot), zero network requests,
no console errors, and that XSS payloads in every user string do not execute.
"""

from __future__ import annotations

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
        page.evaluate(
            "document.querySelectorAll('.leaflet-control-layers-selector').forEach("
            "function(i){if(!i.checked)i.click();})"
        )
        before = page.inner_text(".pr-time")
        page.locator(".pr-time input").fill("0")
        return {
            "before": before,
            "after": page.inner_text(".pr-time"),
            "legend": page.inner_text(".pr-legend"),
        }

    res = open_page(browser, path, action=slide)
    assert res.console_errors == [] and res.blocked == []
    assert "Month" in res.values["after"] and res.values["before"] != res.values["after"]
    assert "2023-06" in res.values["after"]
    assert "highly vulnerable" in res.values["legend"]


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
        shown = _show_everything(page)
        return {
            **shown,
            "title": page.inner_text(".pr-head"),
            "legend": page.inner_text(".pr-legend"),
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
    assert "sangat rawan" in everything or "highly vulnerable" in everything
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
        rows = page.locator(".pr-legend > div:not(.pr-lg-opt)").all_inner_texts()
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
