"""Issue 19: the map's title panel shows the verdict sentence at load, on desktop and phone.

The sentence is ``scores.attrs["verdict_<lang>"]`` (``pilkada_risk.scoring.skill``), the same
words ``score`` and ``backtest`` print; it must be on screen without opening anything.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

_SEEN_JS = """() => {var v=document.querySelector('.pr-verdict');if(!v)return null;
var r=v.getBoundingClientRect(),e=document.elementFromPoint(r.left+r.width/2,r.top+r.height/2);
return {text:v.innerText,seen:r.width>0&&r.top>=0&&r.bottom<=innerHeight&&v.contains(e),
closed:!!v.closest('details')};}"""


@pytest.fixture(scope="module")
def demo_map(tmp_path_factory):
    from pilkada_risk import RiskModel, load_demo
    from pilkada_risk.intake.incidents import read_incidents
    from pilkada_risk.maps.export import export_html
    from pilkada_risk.maps.risk_map import risk_map

    demo = load_demo("18.13")
    intake = read_incidents(demo.register, areas=demo.areas, desa=demo.desa)
    model = RiskModel(overrides={"n_bootstrap": 20, "permutations": 99})
    scores = model.fit(intake.accepted, demo.areas, as_of="2024-09-25").score()
    out = tmp_path_factory.mktemp("putusan") / "peta.html"
    return export_html(risk_map(scores, incidents=intake.accepted), out), scores


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_verdict_is_visible_at_load(browser, demo_map, viewport):
    from tests.browser import DESKTOP, PHONE, map_context

    path, scores = demo_map
    context = map_context(browser, DESKTOP if viewport == "desktop" else PHONE)
    page = context.new_page()
    page.goto(path.resolve().as_uri())
    page.wait_for_selector(".leaflet-overlay-pane path")
    seen = page.evaluate(_SEEN_JS)
    context.close()
    assert seen == {"text": scores.attrs["verdict_id"], "seen": True, "closed": False}
    assert seen["text"].startswith("Peringkat ini = hitungan kejadian dengan bobot waktu paruh")
