"""Helpers for the map tests and benchmarks: contract-shaped fake scores and incidents, and a
headless-chromium page loader (playwright driving Debian's /usr/bin/chromium) that counts
network requests and console errors.

Imported by tests/test_mapping.py, tests/test_export.py, tests/test_browser.py and
``python -m benchmarks.bench_export``.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from pilkada_risk.config.profile import COMPONENTS as PROFILE_COMPONENTS

CHROMIUM = os.environ.get("PILKADA_RISK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
COMPONENTS = tuple(f"komponen_{c}" for c in PROFILE_COMPONENTS)
#: Payloads that would run script if any user string reached the page unescaped.
XSS = (
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    "\"'><svg onload=window.__xss=1>",
    "</script><script>window.__xss=1</script>",
    "`${window.__xss=1}`",
    "javascript:window.__xss=1",
)
CATEGORIES = ("politik_uang", "curas", "curat", "curanmor", "penganiayaan", "narkotika")


def fake_scores(areas: gpd.GeoDataFrame, *, seed: int = 0) -> gpd.GeoDataFrame:
    """A scores frame with the columns and attrs of ``RiskModel.score()`` (random, seeded)."""
    rng = np.random.default_rng(seed)
    n = len(areas)
    parts = rng.dirichlet(np.ones(len(COMPONENTS)), size=n)
    score = np.sort(rng.uniform(5, 95, size=n))[::-1]
    kelas = np.where(score >= 60, "sangat rawan", np.where(score >= 30, "rawan", "kurang rawan"))
    out = gpd.GeoDataFrame(
        {
            "kode": areas["kode"].to_numpy(),
            "nama": areas["nama"].to_numpy(),
            "risk_score": score,
            "kelas": kelas,
            "kelas_ikp": np.where(kelas == "sangat rawan", "tinggi", "sedang"),
            "peringkat": np.arange(1, n + 1),
            "score_lower": score - 6,
            "score_upper": score + 6,
            "peringkat_lower": np.maximum(np.arange(1, n + 1) - 1, 1),
            "peringkat_upper": np.minimum(np.arange(1, n + 1) + 1, n),
            "peringkat_stabil": rng.random(n) > 0.3,
            "n_kejadian": rng.integers(0, 60, size=n),
            **{c: parts[:, i] * score for i, c in enumerate(COMPONENTS)},
            "tren": rng.choice(["baru", "meningkat", "menetap", "menurun", "sporadis"], size=n),
            "gi_z": rng.normal(size=n),
            "gi_p": rng.uniform(0, 0.2, size=n),
            "gi_label": ["hotspot"] * 2 + ["tidak_signifikan"] * (n - 3) + ["coldspot"],
            "lisa_q": rng.integers(1, 5, size=n),
            "lisa_p": rng.uniform(0, 0.2, size=n),
            "lisa_label": ["HH"] * n,
            "narasi": [f"Kecamatan {x} menurut data sintetis." for x in areas["nama"]],
            "narasi_en": [f"Sub-district {x} per synthetic data." for x in areas["nama"]],
        },
        geometry=areas.geometry.to_numpy(),
        crs=areas.crs,
    )
    out.attrs.update(
        profile_hash="f" * 64,
        as_of="2024-11-27",
        kab_kode="18.13",
        kab_nama="Kabupaten Pesisir Barat",
        source_sha256="a" * 64,
        source_name="register_sintetis.csv",
        n_incidents=int(out["n_kejadian"].sum()),
        software_version="0.1.0",
        boundary_source=dict(areas.attrs.get("source", {"name": "reference", "licence": "MIT"})),
    )
    return out


def fake_incidents(
    areas: gpd.GeoDataFrame, n: int, *, seed: int = 0, keterangan: str = "uraian"
) -> gpd.GeoDataFrame:
    """``n`` canonical-looking incidents with points inside ``areas`` (random, seeded)."""
    rng = np.random.default_rng(seed)
    pts = areas.to_crs(4326).sample_points(size=max(n // len(areas) + 1, 1), rng=rng)
    points = pts.explode(index_parts=False)
    kec = points.index.map(lambda i: str(areas.loc[i, "kode"]))
    points = points.reset_index(drop=True).iloc[:n]
    kec = list(kec)[:n]
    start = pd.Timestamp("2023-06-01")
    dates = start + pd.to_timedelta(rng.integers(0, 540, size=len(points)), unit="D")
    inc = gpd.GeoDataFrame(
        {
            "id": [f"INC-{i:05d}" for i in range(len(points))],
            "tanggal": dates,
            "kategori": rng.choice(CATEGORIES, size=len(points)),
            "kec_kode": kec,
            "desa_kode": pd.array([pd.NA] * len(points), dtype="string"),
            "korban": pd.array(rng.integers(0, 3, size=len(points)), dtype="Int64"),
            "sumber": "Polres",
            "keterangan": [f"{keterangan} {i}" for i in range(len(points))],
            "lokasi_presisi": "point",
        },
        geometry=points.to_numpy(),
        crs=4326,
    )
    inc.attrs["source_name"] = "register_sintetis.csv"
    return inc


@dataclass
class PageResult:
    """What happened when a page was opened."""

    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    load_seconds: float = 0.0
    screenshot: bytes = b""
    paths: int = 0
    values: dict[str, Any] = field(default_factory=dict)


def launch(playwright: Any) -> Any:
    """Launch Debian's chromium headless (never downloads a browser)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def open_page(browser: Any, path: Path, *, action: Any = None) -> PageResult:
    """Open ``path`` (file URL); abort and record every non-file request; screenshot.

    ``action(page)`` runs after load (e.g. open a popup); its return goes to ``values``.
    """
    res = PageResult()
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    page = context.new_page()
    url = Path(path).resolve().as_uri()

    def route(r: Any) -> None:
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            res.blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("request", lambda req: res.requests.append(req.url))
    page.on("console", lambda msg: msg.type == "error" and res.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: res.console_errors.append(str(exc)))

    def dialog(d: Any) -> None:
        res.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    t0 = time.perf_counter()
    page.goto(url, wait_until="load")
    page.wait_for_selector(".leaflet-overlay-pane path")
    res.load_seconds = time.perf_counter() - t0
    res.paths = page.locator(".leaflet-overlay-pane path.pr-kec").count()
    if action is not None:
        res.values = action(page) or {}
    res.screenshot = page.screenshot()
    res.values.setdefault("xss", page.evaluate("typeof window.__xss"))
    context.close()
    return res


def pixel_std(png: bytes) -> float:
    """Standard deviation of the greyscale pixels of a PNG (0 for a blank image)."""
    import io

    from matplotlib import image

    arr = image.imread(io.BytesIO(png), format="png")
    return float(np.asarray(arr)[..., :3].mean(axis=-1).std())


def check_offline_map(
    path: Path, *, expected_units: int | None = None, browser: Any = None
) -> PageResult:
    """Open an exported leadership map and assert what every offline export must satisfy.

    The page renders (non-blank screenshot, ``expected_units`` kecamatan paths or at least one),
    shows the class legend, logs no console error, and makes no request but the file itself.
    Pass a running ``browser`` to reuse it; otherwise one is launched and closed here.
    """

    def legend(page: Any) -> dict[str, Any]:
        return {"legend": page.inner_text(".pr-legend"), "title": page.inner_text(".pr-head")}

    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            own = launch(p)
            try:
                return check_offline_map(path, expected_units=expected_units, browser=own)
            finally:
                own.close()
    res = open_page(browser, path, action=legend)
    assert res.requests == [Path(path).resolve().as_uri()], res.requests
    assert res.blocked == [] and res.console_errors == [], (res.blocked, res.console_errors)
    assert res.paths == expected_units if expected_units is not None else res.paths > 0
    assert "rawan" in res.values["legend"]
    assert pixel_std(res.screenshot) > 0.05
    return res


PREV_KELAS = ["rawan", "sangat rawan", "rawan", "rawan", "kurang rawan", "rawan"]
PREV_KELAS += ["rawan", "rawan", "sangat rawan", "kurang rawan", "kurang rawan"]


def earlier(scores: gpd.GeoDataFrame, as_of: str = "2024-08-29") -> gpd.GeoDataFrame:
    """Scores of the same kecamatan at ``as_of``: ranks 1-3 and 9-10 swapped, classes changed.

    Against ``fake_scores`` (seed 0): 6 kecamatan moved up a class, 1 moved down.
    """
    prev = scores.copy()
    prev["peringkat"] = scores["peringkat"].to_numpy()[[2, 0, 1, 3, 4, 5, 6, 7, 9, 8, 10]]
    prev["kelas"] = PREV_KELAS
    prev["risk_score"] = scores["risk_score"] - 5
    prev.attrs = {**scores.attrs, "as_of": as_of}
    return prev


#: A four-class quantile profile, as an analyst would set in the profile's ``[classes]``.
QUARTILE_CLASSES = {
    "scheme": "quantiles",
    "cutoffs": [],
    "labels_id": ["rendah", "sedang", "tinggi", "sangat tinggi"],
    "labels_en": ["low", "medium", "high", "very high"],
}


def with_classes(scores: gpd.GeoDataFrame, classes: dict[str, Any]) -> gpd.GeoDataFrame:
    """``scores`` re-classed by the profile ``classes`` (quantiles of ``risk_score``).

    ``kelas`` gets ``classes["labels_id"]`` by rank of the score, highest class first, and
    ``attrs["profile"]["classes"]`` the given classes, as ``RiskModel(classes=...)`` would.
    """
    labels = list(classes["labels_id"])
    order = scores["risk_score"].rank(method="first").to_numpy() - 1
    out = scores.copy()
    out["kelas"] = [labels[int(i * len(labels) // len(scores))] for i in order]
    profile = dict(scores.attrs.get("profile", {}))
    out.attrs = {**scores.attrs, "profile": {**profile, "classes": dict(classes)}}
    return out


#: Viewports of the acceptance checks: a common laptop and a common phone (CSS px).
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

_LABELS_JS = """() => Array.from(document.querySelectorAll('.pr-label')).map(function(e){
var s=e.firstChild,r=s.getBoundingClientRect();return {kode:s.dataset.kode,
shown:!e.classList.contains('pr-off'),x:r.left+r.width/2,y:r.top+r.height/2};})"""
_OPEN_KODE_JS = """() => {var p=MAP._popup&&MAP.hasLayer(MAP._popup)?MAP._popup.getElement():null;
var d=p?p.querySelector('.pr-popup'):null;return d?d.dataset.kode:null;}"""
#: A point of kecamatan ``kode`` where a tap reaches its polygon: its label point if possible, else
#: the one nearest the middle of its box (a reader taps the middle of a ring, not its rim).
_TAP_POINT_JS = """(kode) => {var l=null;KEC.eachLayer(function(x){
if(x.feature.properties.kode===kode)l=x;});var path=l.getElement(),c=MAP.getContainer(),
ring=RNG.filter(function(r){return r.k===kode&&RG.hasLayer(r.m);}).map(function(r){
return r.m.getElement();})[0];function ok(x,y){var e=document.elementFromPoint(x,y);
return e===path||(ring&&e===ring);}
var lab=document.querySelector('.pr-label span[data-kode="'+kode+'"]');
if(lab){var r=lab.getBoundingClientRect(),x=r.left+r.width/2,y=r.top+r.height/2;
if(ok(x,y))return [x,y];}
var b=(ring||path).getBoundingClientRect(),best=null;for(var i=1;i<24;i++)for(var j=1;j<24;j++){
var x=b.left+b.width*j/24,y=b.top+b.height*i/24,d=Math.abs(i-12)+Math.abs(j-12);
if(x>0&&y>0&&x<innerWidth&&y<innerHeight&&(!best||d<best[2])&&ok(x,y))best=[x,y,d];}
return best&&[best[0],best[1]];}"""
#: Share of the open popup's box that is visible (sampled on a 24 x 24 grid).
_POPUP_VISIBLE_JS = """() => {
var p=MAP._popup&&MAP.hasLayer(MAP._popup)?MAP._popup.getElement():null;if(!p)return 0;
var r=p.querySelector('.leaflet-popup-content-wrapper').getBoundingClientRect(),n=0,hit=0;
for(var i=0;i<24;i++)for(var j=0;j<24;j++){var x=r.left+(j+0.5)*r.width/24,
y=r.top+(i+0.5)*r.height/24;n++;var e=document.elementFromPoint(x,y);if(e&&p.contains(e))hit++;}
return hit/n;}"""


def map_context(browser: Any, viewport: dict[str, int]) -> Any:
    """A browser context of ``viewport``; below 600 px wide a touch phone."""
    phone = viewport["width"] < 600
    return browser.new_context(viewport=viewport, has_touch=phone, is_mobile=phone)


#: Pause after a phone tap (ms). Two taps on nearby kecamatan less than Chromium's double-tap
#: interval apart become a double tap, and Leaflet zooms in: a cadence no reader taps at, so
#: the check waits it out instead of measuring a zoomed view.
PHONE_TAP_GAP_MS = 550
#: Wait after closing a popup and refitting the view (a closed popup fades out for 200 ms).
RESET_MS = 260


def _tap(page: Any, x: float, y: float, phone: bool) -> None:
    if phone:
        page.touchscreen.tap(x, y)
        page.wait_for_timeout(PHONE_TAP_GAP_MS - RESET_MS)  # reset() waits the rest
    else:
        page.mouse.click(x, y)
    page.wait_for_timeout(60)


def check_labels_and_popups(browser: Any, path: Path, viewport: dict[str, int]) -> dict[str, Any]:
    """Open the map at ``viewport`` and measure what the leadership-map acceptance asks.

    Returns ``n`` kecamatan, ``shown`` labels visible at load, ``label_hits`` (clicks at the
    centre of each visible label that open that kecamatan's popup), ``label_misses`` (label kode
    → popup kode opened instead), ``popup_visible`` (kode → visible share of the popup opened by
    tapping the polygon) and ``popup_wrong`` (taps that opened another popup or none). The view
    is reset (``PR.fit()``) before every click.
    """
    phone = viewport["width"] < 600
    context = map_context(browser, viewport)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(Path(path).resolve().as_uri(), wait_until="load")
    page.wait_for_selector(".leaflet-overlay-pane path")
    page.wait_for_timeout(150)

    def reset() -> None:
        page.evaluate("() => {MAP.closePopup();PR.fit();}")
        page.wait_for_timeout(RESET_MS)

    labels = page.evaluate(_LABELS_JS)
    out: dict[str, Any] = {"n": len(labels), "shown": 0, "label_hits": 0, "label_misses": {}}
    for kode in [lab["kode"] for lab in labels if lab["shown"]]:
        reset()
        now = {lab["kode"]: lab for lab in page.evaluate(_LABELS_JS)}[kode]
        out["shown"] += 1
        _tap(page, now["x"], now["y"], phone)
        opened = page.evaluate(_OPEN_KODE_JS)
        if opened == kode:
            out["label_hits"] += 1
        else:
            out["label_misses"][kode] = opened
    out["popup_visible"], out["popup_wrong"] = {}, {}
    for kode in [lab["kode"] for lab in labels]:
        reset()
        point = page.evaluate(_TAP_POINT_JS, kode)
        if point is None:
            out["popup_wrong"][kode] = "no visible point"
            continue
        _tap(page, point[0], point[1], phone)
        opened = page.evaluate(_OPEN_KODE_JS)
        if opened != kode:
            out["popup_wrong"][kode] = opened
        out["popup_visible"][kode] = page.evaluate(_POPUP_VISIBLE_JS)
    out["errors"] = errors
    context.close()
    return out


#: Every kecamatan label as the reader sees it: its text, whether it is shown, its box on screen
#: and the kecamatan under the point it names (the label centre, or the end of its leader line),
#: found with ``elementsFromPoint`` (the first kecamatan polygon under that point).
_NAMES_JS = """() => {var paths=new Map();KEC.eachLayer(function(l){
if(l.getElement())paths.set(l.getElement(),l.feature.properties.kode);});
function under(x,y){var es=document.elementsFromPoint(x,y);for(var i=0;i<es.length;i++){
if(paths.has(es[i]))return paths.get(es[i]);}return null;}
return Array.from(document.querySelectorAll('.pr-label')).map(function(e){
var s=e.firstChild,r=s.getBoundingClientRect(),a=e.getBoundingClientRect(),
led=e.classList.contains('pr-led'),x=led?a.left:r.left+r.width/2,y=led?a.top:r.top+r.height/2;
return {kode:s.dataset.kode,text:(function(){var c=s.cloneNode(true);
c.querySelectorAll('br,.pr-up-mark')
.forEach(function(b){b.replaceWith(' ');});return c.textContent.replace(/\\s+/g,' ').trim();})(),
shown:!e.classList.contains('pr-off')&&getComputedStyle(s).visibility!=='hidden',led:led,
box:{l:r.left,t:r.top,r:r.right,b:r.bottom},under:under(x,y)};});}"""
_CONTROLS_JS = """() => Array.from(document.querySelectorAll('.leaflet-control')).filter(
function(e){var r=e.getBoundingClientRect();return r.width>0&&r.height>0&&
getComputedStyle(e).visibility!=='hidden';}).map(function(e){var r=e.getBoundingClientRect();
return {l:r.left,t:r.top,r:r.right,b:r.bottom};})"""


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["l"] < b["r"] and b["l"] < a["r"] and a["t"] < b["b"] and b["t"] < a["b"]


def visible_names(browser: Any, path: Path, viewport: dict[str, int]) -> dict[str, Any]:
    """The kecamatan names a reader sees at first view of the map at ``viewport``.

    Measured from the page as drawn, not from the page script's own bookkeeping: a name counts
    as visible when its label is shown, its whole box lies inside the viewport, off every
    control and off every other visible label. Returns ``n`` labels, ``visible`` (codes),
    ``names`` (kode → full name as written), ``wrong`` (kode → kecamatan under the point the
    label names, when that is another one), ``overlaps`` (pairs of visible labels that overlap)
    and ``led`` (codes whose label sits outside its polygon with a leader line).
    """
    context = map_context(browser, viewport)
    page = context.new_page()
    page.goto(Path(path).resolve().as_uri(), wait_until="load")
    page.wait_for_selector(".leaflet-overlay-pane path")
    page.wait_for_timeout(150)
    labels = page.evaluate(_NAMES_JS)
    controls = page.evaluate(_CONTROLS_JS)
    context.close()
    view = {"l": 0.0, "t": 0.0, "r": float(viewport["width"]), "b": float(viewport["height"])}
    shown = [lab for lab in labels if lab["shown"]]
    overlaps = [
        (a["kode"], b["kode"])
        for i, a in enumerate(shown)
        for b in shown[i + 1 :]
        if _overlap(a["box"], b["box"])
    ]
    visible = [
        lab["kode"]
        for lab in shown
        if lab["box"]["l"] >= view["l"]
        and lab["box"]["t"] >= view["t"]
        and lab["box"]["r"] <= view["r"]
        and lab["box"]["b"] <= view["b"]
        and not any(_overlap(lab["box"], c) for c in controls)
    ]
    return {
        "n": len(labels),
        "visible": visible,
        "names": {lab["kode"]: lab["text"] for lab in labels},
        "wrong": {lab["kode"]: lab["under"] for lab in shown if lab["under"] != lab["kode"]},
        "overlaps": overlaps,
        "led": [lab["kode"] for lab in shown if lab["led"]],
    }
