"""plan_province on two small kab/kota (Metro 18.72, Pesisir Barat 18.13): pooled fit, BKO rules,
missing TPS lists and bad inputs. SYNTHETIC data."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

from pilkada_risk.config.bko import POOLS
from pilkada_risk.geo.boundaries import load_desa, load_kecamatan
from pilkada_risk.geo.polres import load_polres
from pilkada_risk.intake.incidents import read_incidents
from pilkada_risk.planning.province import plan_province
from pilkada_risk.scoring.model import RiskModel
from pilkada_risk.synthetic.province import _accepted_tps
from pilkada_risk.synthetic.simulate import simulate_incidents

KABS = ("18.72", "18.13")
FAST = {"n_bootstrap": 20, "permutations": 0}
POOLS_SMALL = {"bko_pam_tps": 40, "bko_brimob": 60, "bko_samapta": 30, "cadangan": 50}


@pytest.fixture(scope="module")
def province():
    areas = gpd.GeoDataFrame(pd.concat([load_kecamatan(k) for k in KABS], ignore_index=True))
    desa = gpd.GeoDataFrame(pd.concat([load_desa(k) for k in KABS], ignore_index=True))
    sim = simulate_incidents(areas, desa=desa, seed=1, messy=False, n_per_year=150)
    incidents = read_incidents(sim.incidents, areas=areas, desa=desa).accepted
    incidents.attrs["synthetic"] = True
    tps = {
        k: _accepted_tps(sim.context[sim.context["kode"].str.startswith(k)],
                         desa[desa["kec_kode"].str.startswith(k)], 80, 30_000, i)
        for i, k in enumerate(KABS)
    }  # fmt: skip
    polres = load_polres()
    polres = polres[polres["kab_kode"].isin(KABS)].reset_index(drop=True)
    model = RiskModel(overrides=FAST).fit(incidents, areas, context=sim.context)
    return {"areas": areas, "incidents": incidents, "tps": tps, "polres": polres, "model": model}


def _plan(p, **kw):
    args = {"strength": {"Polres Metro": 20, "Polres Pesisir Barat": 10}, "pools": POOLS_SMALL,
            "polres": p["polres"], "model": p["model"]}  # fmt: skip
    args.update(kw)
    tps = args.pop("tps", p["tps"])
    return plan_province(p["incidents"], p["areas"], tps, **args)


def test_pooled_fit_and_relative_classes(province) -> None:
    plan = _plan(province)
    scores = plan.scores
    assert len(scores) == len(province["areas"])  # one model, every kecamatan of both kab/kota
    top = scores.groupby("kab_kode")["risk_score_kab"].max()
    assert top.round(6).eq(100).all()  # relative within each kab/kota
    assert scores["risk_score_prov"].max() == pytest.approx(100)
    assert list(plan.skill["kab_kode"]) == ["", *sorted(KABS)]


def test_bko_within_pools_whole_units_reserve_untouched(province) -> None:
    plan = _plan(province)
    bko = plan.bko
    assert list(bko["kab_kode"]) == list(KABS) and len(plan.tps) == 160
    for pool in POOLS:
        assert bko[pool].sum() <= POOLS_SMALL[pool]
    assert (bko[["bko_brimob", "bko_samapta"]] % 30 == 0).all().all()
    assert (bko["bko_pam_tps"] % 2 == 0).all()
    ring = plan.ringkasan.set_index("butir")["nilai"]
    assert ring["cadangan_kapolda"] == 50
    assert int(ring["personel_bko"]) <= sum(POOLS_SMALL[p] for p in POOLS)
    for name, rec in plan.polres.set_index("polres").iterrows():
        assert plan.plans[name].total("personel_tersedia") == rec["personel_total"]


def test_infeasible_pools_warn_with_the_gap(province) -> None:
    zero = dict.fromkeys(["bko_pam_tps", "bko_brimob", "bko_samapta", "cadangan"], 0)
    plan = _plan(province, strength={"Polres Metro": 0, "Polres Pesisir Barat": 0}, pools=zero)
    top = plan.polres["tps_sangat_rawan"].sum() + plan.polres["tps_khusus"].sum()
    assert top > 0
    assert any(w.startswith("PERINGATAN") and "TPS sangat rawan" in w for w in plan.peringatan)


def test_kab_without_tps_list_is_named_and_left_out(province) -> None:
    plan = _plan(province, tps={"18.72": province["tps"]["18.72"]})
    row = plan.bko.set_index("kab_kode").loc["18.13"]
    assert "belum ada daftar TPS" in row["status"] and row[list(POOLS)].sum() == 0
    assert any("Pesisir Barat (18.13)" in w for w in plan.peringatan)


@pytest.mark.parametrize(
    ("kw", "pattern"),
    [
        ({"strength": {"Polres Metro": -5, "Polres Pesisir Barat": 10}}, r"Polres Metro = -5"),
        ({"strength": {"Polres Metro": 5, "Polres Bogor": 1}}, r"Polres Bogor"),
        ({"strength": {"Polres Metro": 5}}, r"Polres Pesisir Barat"),
        ({"pools": {"bko_brimob": 30}}, r"bko_pam_tps"),
        ({"pools": {**POOLS_SMALL, "bko_samapta": -30}}, r"bko_samapta = -30"),
    ],
)
def test_bad_inputs_named(province, kw, pattern) -> None:
    with pytest.raises(ValueError, match=pattern):
        _plan(province, **kw)


def test_register_of_another_province(province) -> None:
    other = province["incidents"].copy()
    other.loc[other.index[:3], "kec_kode"] = "16.01.01"
    with pytest.raises(ValueError, match=r"16\.01\.01.*provinsi 18"):
        plan_province(
            other,
            province["areas"],
            province["tps"],
            strength={"Polres Metro": 1, "Polres Pesisir Barat": 1},
            pools=POOLS_SMALL,
            polres=province["polres"],
        )


@pytest.mark.parametrize(
    "viewport", [{"width": 1366, "height": 768}, {"width": 390, "height": 844}]
)
def test_polda_map_offline_and_clickable(province, tmp_path, browser, viewport) -> None:
    from pilkada_risk.maps.export import export_html
    from pilkada_risk.maps.polda_map import polda_map
    from tests.browser import map_context

    plan = _plan(province)
    path = export_html(polda_map(plan), tmp_path / "peta_polda_sintetis.html")
    page_text = path.read_text(encoding="utf-8")
    assert "SINTETIS" in page_text and "Polres Pesisir Barat" in page_text
    context = map_context(browser, viewport)
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda r: r.url.startswith("file:") or requests.append(r.url))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_selector(".leaflet-overlay-pane path.pr-kec")
    assert page.locator("path.pr-kec").count() == len(province["areas"])
    assert page.locator("path.pr-kab").count() == len(KABS)
    assert page.locator(".pr-badge").count() == len(KABS)
    box = page.locator("path.pr-kab").nth(0).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    if viewport["width"] < 600:
        page.touchscreen.tap(x, y)
    else:
        page.mouse.click(x, y)
    page.wait_for_selector(".leaflet-popup-content", timeout=3000)
    popup = page.locator(".leaflet-popup-content").inner_text()
    assert "Polres" in popup and "BKO Brimob" in popup
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= viewport["width"]  # no sideways scrolling on the phone
    context.close()
    assert requests == [] and errors == []


def test_annex_sheets_and_printable_page(province, tmp_path) -> None:
    import openpyxl

    plan = _plan(province)
    xlsx = plan.to_excel(tmp_path / "polda.xlsx")
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["Ringkasan", "Polres", "BKO", "Kecamatan", "TPS"]
    header = [c.value for c in book["BKO"][1]]
    assert header[:2] == ["polres", "kab_kode"] and "bko_brimob" in header
    assert book["BKO"].cell(1, 2).comment.text == "Kode kab/kota"
    cells = [c.value for ws in book for row in ws.iter_rows() for c in row]
    assert not any(isinstance(v, str) and v.startswith("=") for v in cells)  # no live formula
    assert book["TPS"].max_row - 1 == len(plan.tps)
    page = plan.to_html(tmp_path / "polda.html").read_text(encoding="utf-8")
    assert "SINTETIS" in page and "<script" not in page and "http" not in page


def test_parallel_plans_equal_serial(province) -> None:
    one, two = _plan(province), _plan(province, n_jobs=2)
    pd.testing.assert_frame_equal(one.polres, two.polres)
    pd.testing.assert_frame_equal(one.tps, two.tps)


def test_lampung_demo_carries_the_polda_2024_classes() -> None:
    """The demo's TPS lists carry Polda Lampung's Sep 2024 classes (72 sangat rawan, 20 of them
    in Pesisir Barat; 580 rawan; 21 khusus), which plan_province deploys as given."""
    from pilkada_risk.synthetic.province import demo_polda_classes, demo_tps_counts

    classes = demo_polda_classes(demo_tps_counts())
    assert len(classes) == 15
    totals = {k: sum(c[k] for c in classes.values()) for k in ("sangat_rawan", "rawan", "khusus")}
    assert totals == {"sangat_rawan": 72, "rawan": 580, "khusus": 21}
    assert classes["18.13"]["sangat_rawan"] == 20 and classes["18.06"]["sangat_rawan"] == 22
    assert classes["18.07"]["rawan"] == 126 and classes["18.72"] == {
        "sangat_rawan": 0,
        "rawan": 0,
        "khusus": 1,
    }
