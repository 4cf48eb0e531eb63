from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pilkada_risk.synthetic.demo import DEMO_DIR, Inputs, load_demo, load_inputs, read_context

SHIPPED = DEMO_DIR / "kejadian_sintetis_pesisir_barat.csv"


def test_load_demo_uses_the_shipped_files() -> None:
    demo = load_demo("18.13")
    assert isinstance(demo, Inputs) and demo.synthetic
    assert demo.name == "sintetis_pesisir_barat" and demo.kab_kode == "18.13"
    assert Path(demo.register) == SHIPPED
    assert demo.context is not None and demo.context["kode"].dtype == "string"
    assert set(demo.context["kode"]) <= set(demo.areas["kode"])
    assert len(demo.desa) > len(demo.areas)


def test_load_demo_generates_other_seeds() -> None:
    demo = load_demo("18.13", seed=1, messy=False)
    assert isinstance(demo.register, pd.DataFrame) and len(demo.register) > 0
    assert demo.synthetic and demo.name.startswith("sintetis_")


def test_load_inputs_without_register_is_the_demo() -> None:
    inputs = load_inputs("18.13")
    assert inputs.synthetic and Path(inputs.register) == SHIPPED


def test_load_inputs_with_a_register_and_semicolon_context(tmp_path) -> None:
    register = tmp_path / "register.csv"
    register.write_text("Tanggal,Jenis,Kecamatan\n01/05/2023,judi,Ngaras\n", encoding="utf-8")
    context = tmp_path / "konteks.csv"
    context.write_bytes(
        "kode;nama;tps_rawan;jarak_ibukota_km\n"
        "18.13.01;Pesisir Tengah;12;0,5\n"
        "18.13.02;Pesisir Selatan;3;41,25\n".encode("cp1252")
    )
    inputs = load_inputs("18.13", register=register, context=context)
    assert not inputs.synthetic and inputs.register == register
    assert inputs.name == "pesisir_barat"
    ctx = inputs.context
    assert ctx is not None and list(ctx.columns) == [
        "kode",
        "nama",
        "tps_rawan",
        "jarak_ibukota_km",
    ]
    assert ctx["kode"].tolist() == ["18.13.01", "18.13.02"]
    assert ctx["jarak_ibukota_km"].tolist() == pytest.approx([0.5, 41.25])
    assert ctx["tps_rawan"].tolist() == [12, 3]
    # The demo register with the analyst's own context.
    mixed = load_inputs("18.13", context=context)
    assert mixed.synthetic and mixed.context is not None and len(mixed.context) == 2


def test_read_context_keeps_codes_as_text(tmp_path) -> None:
    path = tmp_path / "k.csv"
    path.write_text("kode\tpopulasi\n18.13.10\t1000\n", encoding="utf-8-sig")
    ctx = read_context(path)
    assert ctx["kode"].tolist() == ["18.13.10"] and ctx["populasi"].tolist() == [1000]
