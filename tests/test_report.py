"""Analyst charts and tables used by the notebooks (pilkada_risk.report)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure

from pilkada_risk import RiskModel, load_demo, read_incidents, report
from pilkada_risk.maps.export import export_html
from pilkada_risk.maps.risk_map import risk_map


@pytest.fixture(scope="module")
def demo():
    data = load_demo("18.13")
    intake = read_incidents(data.register, areas=data.areas, desa=data.desa)
    return data, intake


def test_plot_monthly_shades_the_election_windows(demo) -> None:
    _, intake = demo
    fig = report.plot_monthly(intake.accepted, lang="en")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert len(ax.patches) >= 72  # six years of monthly bars
    texts = {t.get_text() for t in ax.texts}
    assert {"2019 general election", "2024 regional election"} <= texts


@pytest.mark.parametrize("by", ["kategori", "kec_kode", "lokasi_presisi"])
def test_plot_breakdown_uses_labels(demo, by: str) -> None:
    data, intake = demo
    fig = report.plot_breakdown(intake.accepted, by, areas=data.areas)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    if by == "kec_kode":
        assert "Bangkunat" in labels
    if by == "kategori":
        assert any("curanmor" in t for t in labels)


def test_plot_breakdown_rejects_unknown_column(demo) -> None:
    _, intake = demo
    with pytest.raises(ValueError, match="by='kecamatan' is not supported; use one of kategori"):
        report.plot_breakdown(intake.accepted, "kecamatan")


def test_sensitivity_and_comparison_tables(demo) -> None:
    data, intake = demo
    kwargs = {"as_of": "2024-09-25", "context": data.context}
    table = report.sensitivity(
        intake.accepted,
        data.areas,
        variants={"a": {}, "b": {"half_life_days": 60}},
        **kwargs,
    )
    assert list(table.columns) == ["nama", "a", "b", "rentang_peringkat"]
    assert sorted(table["a"]) == list(range(1, 12))
    assert (table["rentang_peringkat"] == (table["a"] - table["b"]).abs()).all()
    changes = report.compare_periods(
        intake.accepted, data.areas, previous_as_of="2024-03-01", **kwargs
    )
    assert len(changes) == 11
    assert set(changes["pendorong"]) <= {
        "intensitas",
        "kekinian",
        "laju",
        "limpahan",
        "struktural",
        "tren",
    }
    expected = (changes["skor"] - changes["skor_lalu"]).round(1)
    assert (changes["perubahan_skor"] - expected).abs().max() < 0.051


def test_plot_explanation_sums_to_the_score(demo) -> None:
    data, intake = demo
    model = RiskModel().fit(intake.accepted, data.areas, as_of="2024-09-25")
    fig = report.plot_explanation(model, "18.13.11")
    bars = [p.get_width() for p in fig.axes[0].patches]
    score = model.score().set_index("kode").loc["18.13.11", "risk_score"]
    assert sum(bars) == pytest.approx(score)
    assert "Bangkunat" in fig.axes[0].get_title()


def test_export_checklist_passes_a_real_export_and_flags_a_cdn(demo, tmp_path: Path) -> None:
    data, intake = demo
    scores = RiskModel().fit(intake.accepted, data.areas).score()
    path = export_html(risk_map(scores, incidents=intake.accepted), tmp_path / "peta_sintetis.html")
    table = report.export_checklist(path, scores=scores, incidents=intake.accepted)
    assert (table["hasil"] == "ya").all(), table
    assert len(table) == 6
    bad = tmp_path / "cdn.html"
    bad.write_text(
        path.read_text(encoding="utf-8").replace(
            "</head>", '<script src="https://cdn.example/x.js"></script></head>'
        ),
        encoding="utf-8",
    )
    flagged = report.export_checklist(bad, lang="en").set_index("butir")
    assert flagged.loc["Loads nothing from the internet", "hasil"] == "NO"


def test_sensitivity_explorer_builds_widgets(demo) -> None:
    data, intake = demo
    box = report.sensitivity_explorer(intake.accepted, data.areas, as_of="2024-09-25")
    assert [type(w).__name__ for w in box.children] == ["IntSlider", "Dropdown", "HTML"]
    assert isinstance(report.PRESET_VARIANTS, dict) and pd.notna(box.children[0].value)
    table = box.children[2]
    first = table.value
    assert "<table" in first and "Pulau Pisang" in first
    # both controls reach settings the forecast model uses: a change recomputes the table
    box.children[0].value = 45
    box.children[1].value = "count"
    assert table.value != first and "<table" in table.value


def test_export_checklist_finds_details_whatever_their_encoding(demo, tmp_path: Path) -> None:
    """Quotes, & and < in a description are JSON/HTML-escaped in the page; still found."""
    data, intake = demo
    scores = RiskModel().fit(intake.accepted, data.areas).score()
    incidents = intake.accepted.copy()
    incidents["keterangan"] = [
        f'Korban "Budi" & istri <dianiaya> di rumah {i}' for i in range(len(incidents))
    ]
    m = risk_map(scores, incidents=incidents, include_incident_details=True)
    path = export_html(m, tmp_path / "rinci.html", include_incident_details=True)
    table = report.export_checklist(path, incidents=incidents).set_index("butir")
    row = table.loc["Tidak ada uraian kejadian (keterangan) maupun nomor LP di dalam berkas"]
    assert row["hasil"] == "TIDAK" and int(row["rincian"]) > 100
    clean = export_html(risk_map(scores, incidents=incidents), tmp_path / "agregat.html")
    table = report.export_checklist(clean, incidents=incidents, scores=scores)
    assert (table["hasil"] == "ya").all(), table
