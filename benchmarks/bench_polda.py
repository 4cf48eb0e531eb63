"""Benchmark of the Polda view (issue 21): the Lampung demo end to end, and all of Indonesia.

1. **Lampung demo** (SYNTHETIC): ``load_province_demo`` (15 kab/kota, 13,282 TPS), the registers
   read together with ``read_incidents``, ``plan_province`` (one RiskModel on 229 kecamatan, TPS
   classes, BKO allocation, 15 Polres plans, held-out skill), the XLSX and HTML annexes and the
   Polda map. Target: under 30 s on 2 cores.
2. **All of Indonesia** (SYNTHETIC): 38 Polda, 514 kab/kota, ~435,000 TPS; TPS classes per
   Polres + the BKO allocation of every Polda. Target: under 3 minutes and 6 GB. Kecamatan come
   from the coarse national reference layer (``../shared/data/boundaries``, read in place); the
   kecamatan's expected incidents are drawn (gamma, seeded) instead of fitted, so this stage
   measures the TPS classes and the allocation, not the model (``bench_national`` measures the
   national fit). TPS per kab/kota are spread over its kecamatan (one synthetic desa per 4 TPS)
   with the Bawaslu indicator rates of Lampung 2024; one Polres per kab/kota; pools and own
   strength at Lampung's ratios per TPS.

Prints seconds and peak resident memory per stage. Run:
``.venv/bin/python -m benchmarks.bench_polda [--skip-lampung] [--skip-national]``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
os.environ.setdefault("PILKADA_RISK_MIRROR", str(REPO.parent / "shared" / "data" / "upstream"))

from benchmarks.bench_national import stage  # noqa: E402

NATIONAL_TPS = 435_000
#: The coarse national reference layer beside the upstream mirror (``../shared/data/boundaries``).
NATIONAL_LAYER = (
    Path(os.environ["PILKADA_RISK_MIRROR"]).parent / "boundaries" / "indonesia_kecamatan.parquet"
)
#: Lampung 2024 (DOMAIN.md): TPS flagged per indicator / 13,282 TPS.
RATES = {
    "pemilih_disabilitas": 3590, "tidak_memenuhi_syarat": 2145, "penyelenggara_domisili_lain": 1086,
    "internet": 704, "pemilih_pindahan": 698, "sulit_dijangkau": 172, "listrik": 119,
    "riwayat_kekerasan": 40, "intimidasi": 20,
}  # fmt: skip


def lampung(figures: list) -> None:
    from pilkada_risk.intake.incidents import read_incidents
    from pilkada_risk.maps.export import export_html
    from pilkada_risk.maps.polda_map import polda_map
    from pilkada_risk.planning.province import plan_province
    from pilkada_risk.synthetic.province import load_province_demo

    t0, cpu0 = time.perf_counter(), time.process_time()
    with stage("lampung: demo inputs (15 kab/kota)", figures) as extra:
        demo = load_province_demo()
        extra["tps"] = sum(len(t) for t in demo.tps.values())
    with stage("lampung: read_incidents (15 registers)", figures) as extra:
        intake = read_incidents(demo.registers, areas=demo.areas, desa=demo.desa)
        incidents = intake.accepted
        incidents.attrs["synthetic"] = True
        extra["accepted"], extra["quarantine"] = len(incidents), len(intake.quarantine)
    with stage("lampung: plan_province", figures) as extra:
        plan = plan_province(
            incidents, demo.areas, demo.tps, strength=demo.strength, pools=demo.pools,
            polres=demo.polres, context=demo.context, n_jobs=2,
        )  # fmt: skip
        extra["bko"] = int(plan.polres["bko_total"].sum())
    with (
        stage("lampung: annex XLSX + HTML + Polda map", figures),
        tempfile.TemporaryDirectory() as d,
    ):
        plan.to_excel(Path(d) / "polda.xlsx")
        plan.to_html(Path(d) / "polda_lampiran.html")
        export_html(polda_map(plan), Path(d) / "polda_peta.html")
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    print(f"lampung end to end: {wall:.1f} s wall, {cpu:.1f} s CPU of this process (target < 30 s)")
    print(
        f"load average now: {os.getloadavg()[0]:.1f} (2 cores; a wall time under load overstates)"
    )
    cols = ["polres", "personel_sendiri", "bko_pam_tps", "bko_brimob", "bko_samapta", "kekurangan"]
    print(plan.polres[cols].to_string(index=False))


def national_tps(areas: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """~435,000 SYNTHETIC TPS spread over the kecamatan, in ``read_tps`` shape (no points)."""
    per = rng.multinomial(NATIONAL_TPS, np.full(len(areas), 1.0 / len(areas)))
    kec = np.repeat(areas["kode"].to_numpy(), per)
    desa_no = np.concatenate([np.arange(n) // 4 for n in per])
    desa = [f"{k}.{2001 + d}" for k, d in zip(kec, desa_no, strict=True)]
    no = np.concatenate([np.arange(n) % 4 + 1 for n in per])
    frame = pd.DataFrame(
        {"tps_id": [f"{d.replace('.', '')}{n:03d}" for d, n in zip(desa, no, strict=True)],
         "no_tps": no, "kec_kode": kec, "desa_kode": desa, "desa_nama": desa,
         "dpt": rng.integers(150, 600, size=len(kec)), "khusus": rng.random(len(kec)) < 21 / 13282}
    )  # fmt: skip
    for name, count in RATES.items():
        frame[name] = rng.random(len(kec)) < count / 13282
    return frame


def national(figures: list) -> None:
    """All of Indonesia: synthetic TPS, classes per Polres, the BKO allocation of every Polda."""
    from pilkada_risk.config.bko import POOLS, load_bko
    from pilkada_risk.config.plan_profile import load_plan_profile
    from pilkada_risk.planning.bko import allocate_bko, need_segments
    from pilkada_risk.planning.tps_class import classify_tps

    rng = np.random.default_rng(0)
    with stage("national: kecamatan + TPS (synthetic)", figures) as extra:
        areas = pd.read_parquet(NATIONAL_LAYER, columns=["kode", "nama", "kab_kode", "prov_kode"])
        tps = national_tps(areas, rng)
        expected = rng.gamma(0.8, 3.0, size=len(areas))
        extra["kab"], extra["prov"], extra["tps"] = (
            areas["kab_kode"].nunique(),
            areas["prov_kode"].nunique(),
            len(tps),
        )
    sec, settings = load_plan_profile().tps, load_bko()
    areas["harapan"] = expected
    with stage("national: TPS classes + BKO allocation", figures) as extra:
        n_sr, bko = 0, 0
        for prov, kec in areas.groupby("prov_kode"):
            needs, own, names, brimob = [], [], [], []
            for kab, sub in kec.groupby("kab_kode"):
                e = sub["harapan"].to_numpy()
                scores = pd.DataFrame({"kode": sub["kode"], "nama": sub["nama"],
                                       "risk_score": 100 * e / e.max(), "kelas": "rawan",
                                       "expected": e})  # fmt: skip
                t = tps[tps["kec_kode"].str.startswith(kab + ".")]
                c = classify_tps(t, scores, sec)
                n_sr += int((c["kelas_kunci"] == "sangat_rawan").sum())
                needs.append(need_segments(c, sec))
                own.append(round(len(t) * 3891 / 13282))
                names.append(kab)
                brimob.append(bool((c["kelas_kunci"] == "sangat_rawan").any()))
            n_tps = int(tps["kec_kode"].str[:2].eq(prov).sum())
            pools = {
                p: round(n_tps * v / 13282) for p, v in zip(POOLS, (364, 466, 350), strict=True)
            }
            alloc = allocate_bko(
                np.array(own, float), needs, pools, settings, np.array(brimob), names
            )
            bko += int(alloc.table["bko_total"].sum())
        extra["sangat_rawan"], extra["bko"] = n_sr, bko


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-lampung", action="store_true")
    parser.add_argument("--skip-national", action="store_true")
    args = parser.parse_args()
    figures: list = []
    if not args.skip_lampung:
        lampung(figures)
    if not args.skip_national:
        national(figures)


if __name__ == "__main__":
    main()
