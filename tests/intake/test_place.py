from __future__ import annotations

import numpy as np
import pandas as pd

from pilkada_risk.intake.place import locate, place_names, place_points


def test_points_inside_snapped_and_outside(kecamatan_pb, desa_pb) -> None:
    krui = kecamatan_pb.loc[kecamatan_pb["kode"] == "18.13.01"].geometry.iloc[0]
    inside = krui.representative_point()
    lon = np.array([inside.x, 103.93, 103.5, np.nan])
    lat = np.array([inside.y, -5.19, -5.0, np.nan])
    out = place_points(lon, lat, kecamatan_pb, desa_pb)
    assert out["kec_kode"].tolist() == ["18.13.01", "18.13.01", None, None]
    assert out["jarak_m"].iat[0] == 0 and 0 < out["jarak_m"].iat[1] < 2000
    assert out["desa_kode"].iat[0].startswith("18.13.01.")
    assert place_points(lon, lat, kecamatan_pb, tolerance_m=0)["kec_kode"].iat[1] is None


def test_names_aliases_and_ambiguous_pekon(kecamatan_pb, desa_pb) -> None:
    kec = pd.Series(
        [
            "Bengkunat",
            "Bengkunat",
            "Bengkunat Belimbing",
            None,
            "Krui Selatan",
            "Kec. Pulaupisang",
            None,
            None,
        ]
    )
    desa = pd.Series(
        [None, "Way Haru", None, "Sukarame", "Walur", None, "Antah Berantah", "Pekon Pahmungan"]
    )
    out = place_names(kec, desa, kecamatan_pb, desa_pb)
    assert out["kec_kode"].tolist()[:3] == ["18.13.10", "18.13.11", "18.13.11"]
    assert out["catatan"].iat[0][0][0] == "alias_kec_rancu"
    assert out["masalah"].iat[3] == "nama_ambigu"
    assert "18.13.02.2002" in out["kandidat"].iat[3] and "18.13.10.2019" in out["kandidat"].iat[3]
    assert out["desa_kode"].iat[4] == "18.13.08.2006"
    assert out["kec_kode"].iat[5] == "18.13.06"
    assert out["masalah"].iat[6] == "lokasi_tidak_ditemukan"
    # a desa name found in one kecamatan only places the row; the kecamatan follows
    assert out.iloc[7][["kec_kode", "desa_kode", "masalah"]].tolist() == [
        "18.13.01",
        "18.13.01.2007",
        None,
    ]


def test_utm_zone_of_the_layer(kecamatan_pb) -> None:
    from pilkada_risk.geo.geometry import utm_crs

    assert utm_crs(kecamatan_pb) == "EPSG:32748"  # Pesisir Barat: UTM 48S
    assert utm_crs(kecamatan_pb.to_crs(32748)) == "EPSG:32748"


def test_locate_repairs_swap_and_sign(kecamatan_pb, desa_pb) -> None:
    lat = pd.Series(["103,9285", "5.2099", "-5.2099"], dtype=object)
    lon = pd.Series(["-5,2099", "103.9285", "103.9285"], dtype=object)
    kec = pd.Series([None, None, "Lemong"], dtype=object)
    out = locate(lat, lon, kec, pd.Series([None] * 3, dtype=object), kecamatan_pb, desa_pb)
    assert (out["kec_kode"] == "18.13.01").all()
    keys = [[k for k, _ in notes] for notes in out["notes"]]
    assert keys == [["tukar_latlon"], ["balik_lintang"], ["konflik_kec"]]
    assert out["lat"].tolist() == [-5.2099] * 3
