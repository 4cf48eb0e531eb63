"""The security-plan layer on the leadership map: offline, no console errors, escaped text."""

from __future__ import annotations

import pytest

from pilkada_risk.maps.export import export_html
from pilkada_risk.maps.risk_map import risk_map
from tests.browser import XSS, check_offline_map, fake_scores, open_page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def plan_inputs(kecamatan_pb, desa_pb):
    from pilkada_risk import plan_security, read_tps
    from pilkada_risk.synthetic.tps import load_demo_tps

    scores = fake_scores(kecamatan_pb)
    tps = read_tps(load_demo_tps("18.13"), areas=kecamatan_pb, desa=desa_pb).accepted
    return scores, tps, plan_security(scores, tps, personnel=120)


def _open_plan(page) -> dict:
    """Tick every overlay (the cooling layer is off by default), open every tooltip and popup
    of the plan layers; return their texts."""
    page.evaluate(
        "document.querySelectorAll('.leaflet-control-layers-selector').forEach("
        "function(i){if(!i.checked)i.click();})"
    )
    return page.evaluate(
        "(function(){var out=[];MAP.eachLayer(function(l){if(!(l instanceof L.Marker||"
        "l instanceof L.CircleMarker))return;var t=l.getTooltip&&l.getTooltip();"
        "var p=l.getPopup&&l.getPopup();if(t){l.openTooltip();var e=t.getElement();"
        "if(e)out.push(e.innerText);}if(p){l.openPopup();var q=p.getElement();"
        "if(q)out.push(q.innerText);}});return {texts:out,"
        "squares:document.querySelectorAll('.pr-plan-kec').length};})()"
    )


def test_plan_layer_passes_the_offline_checks(browser, plan_inputs, desa_pb, tmp_path):
    scores, _, plan = plan_inputs
    assert plan.kecamatan["kekurangan"].sum() > 0  # 120 personnel: shortfall to highlight
    m = risk_map(scores, desa=desa_pb, plan=plan)
    path = export_html(m, tmp_path / "rencana.html")
    res = check_offline_map(path, expected_units=11, browser=browser)
    assert "sangat rawan" in res.values["legend"]
    page = open_page(browser, path, action=_open_plan)
    assert page.console_errors == [] and page.blocked == []
    assert page.values["squares"] == 11
    assert any("kekurangan" in t for t in page.values["texts"])
    assert sum("TPS" not in t for t in page.values["texts"]) >= 11  # kecamatan popups
    assert sum("minggu 1" in t for t in page.values["texts"]) >= 10  # cooling-system rings


def test_plan_text_is_escaped(browser, plan_inputs, kecamatan_pb, desa_pb, tmp_path):
    from pilkada_risk import plan_security

    scores, tps, _ = plan_inputs
    evil_tps = tps.copy()
    evil_tps["desa_nama"] = [XSS[i % len(XSS)] for i in range(len(tps))]
    evil_tps["tps_id"] = [f"{t}{XSS[i % len(XSS)]}" for i, t in enumerate(tps["tps_id"])]
    evil_scores = scores.copy()
    evil_scores["nama"] = [f"{n} {XSS[i % len(XSS)]}" for i, n in enumerate(scores["nama"])]
    plan = plan_security(evil_scores, evil_tps, personnel=120, lang="en")
    m = risk_map(evil_scores, desa=desa_pb, plan=plan, lang="en")
    path = export_html(m, tmp_path / "xss_plan.html")
    res = open_page(browser, path, action=_open_plan)
    assert res.values["xss"] == "undefined"
    assert res.dialogs == [] and res.console_errors == [] and res.blocked == []
    assert any("<img src=x" in t for t in res.values["texts"])  # shown as text


def test_plan_layer_html_is_deterministic(plan_inputs, desa_pb, tmp_path):
    scores, _, plan = plan_inputs
    a = export_html(risk_map(scores, plan=plan), tmp_path / "a.html").read_bytes()
    b = export_html(risk_map(scores, plan=plan), tmp_path / "b.html").read_bytes()
    assert a == b


_TOOLTIPS_SEEN_JS = """() => Array.from(document.querySelectorAll('.leaflet-tooltip')).filter(
function(t){var r=t.getBoundingClientRect();
return r.width>0&&getComputedStyle(t).opacity>0;}).length"""
_SQUARE_JS = """() => {var out=null;document.querySelectorAll('.pr-plan-kec').forEach(function(e){
var r=e.getBoundingClientRect(),x=r.left+r.width/2,y=r.top+r.height/2;
if(!out&&document.elementFromPoint(x,y)===e)out=[x,y];});return out;}"""


def _overlapping_controls(page) -> list:
    from tests.browser import _CONTROLS_JS, _overlap

    boxes = page.evaluate(_CONTROLS_JS)
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if _overlap(a, b)]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_plan_map_layer_control_never_covers_another_control(
    browser, plan_inputs, desa_pb, tmp_path, viewport
):
    """Issue 19: the open layer list stayed under the minimap (and could reach the legend)."""
    from tests.browser import DESKTOP, PHONE, map_context

    scores, _, plan = plan_inputs
    path = export_html(risk_map(scores, desa=desa_pb, plan=plan), tmp_path / "kontrol.html")
    context = map_context(browser, DESKTOP if viewport == "desktop" else PHONE)
    page = context.new_page()
    page.goto(path.resolve().as_uri())
    page.wait_for_selector(".leaflet-overlay-pane path")
    closed = _overlapping_controls(page)
    box = page.locator(".leaflet-control-layers-toggle").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    if viewport == "phone":
        page.touchscreen.tap(x, y)
    else:
        page.mouse.move(x, y)
    page.wait_for_timeout(200)
    expanded = page.locator(".leaflet-control-layers-expanded").count()
    opened = _overlapping_controls(page)
    context.close()
    assert expanded == 1
    assert closed == [] and opened == [], opened


def test_plan_map_tap_opens_the_popup_without_a_tooltip(browser, plan_inputs, desa_pb, tmp_path):
    from tests.browser import _OPEN_KODE_JS, _TAP_POINT_JS, PHONE, map_context

    scores, _, plan = plan_inputs
    path = export_html(risk_map(scores, desa=desa_pb, plan=plan), tmp_path / "ketuk.html")
    context = map_context(browser, PHONE)
    page = context.new_page()
    page.goto(path.resolve().as_uri())
    page.wait_for_selector(".leaflet-overlay-pane path")
    page.wait_for_timeout(150)
    seen = {}
    for what in ("square", "kecamatan"):
        page.evaluate("() => {MAP.closePopup();PR.fit();}")
        page.wait_for_timeout(600)  # no double tap with the previous one
        js = _SQUARE_JS if what == "square" else _TAP_POINT_JS
        point = page.evaluate(js) if what == "square" else page.evaluate(js, "18.13.11")
        assert point is not None, what
        page.touchscreen.tap(point[0], point[1])
        page.wait_for_timeout(300)
        seen[what] = {
            "popup": page.evaluate("() => !!(MAP._popup && MAP.hasLayer(MAP._popup))"),
            "kode": page.evaluate(_OPEN_KODE_JS),
            "tooltips": page.evaluate(_TOOLTIPS_SEEN_JS),
        }
    context.close()
    assert seen["square"]["popup"] and seen["square"]["tooltips"] == 0, seen
    assert seen["kecamatan"]["kode"] == "18.13.11" and seen["kecamatan"]["tooltips"] == 0, seen
