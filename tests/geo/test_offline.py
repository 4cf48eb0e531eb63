"""Offline laptops: one message naming every missing file, and a prepared folder that works as
the mirror with the network blocked. The "internet" is a local web server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pilkada_risk.cli import main
from pilkada_risk.geo.boundaries import load_kecamatan, normalise_kab_kode
from pilkada_risk.geo.offline import base_files, prepare_offline, required_files
from pilkada_risk.geo.upstream import MIRROR_ENV, URL_ENV, DownloadError
from tests.geo.conftest import Served


@pytest.fixture
def no_mirror(empty_cache: Path, unreachable: str, tmp_path: Path) -> Path:
    """A laptop without mirror, with an empty cache and no reachable server; returns tmp_path."""
    return tmp_path


@pytest.mark.parametrize("lang", ["id", "en"])
def test_one_message_lists_every_missing_file(no_mirror: Path, lang: str, capsys) -> None:
    with pytest.raises(DownloadError) as info:
        load_kecamatan("18.13", lang=lang)
    message = str(info.value)
    for _, _, path in base_files("18.13"):
        assert path in message
    assert "--siapkan-offline" in message and MIRROR_ENV in message and URL_ENV in message
    assert "ConnectionRefusedError" in message and "http://127.0.0.1:" in message  # URL tried
    assert message.startswith("3 ")
    out = no_mirror / "kec.gpkg"
    assert main(["boundaries", "--kab", "18.13", "--out", str(out), "--lang", lang]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "wilayah_boundaries_kel_18.13.sql" in err
    assert "db/wilayah.sql" in err and not out.exists()


def test_prepared_folder_works_offline(
    no_mirror: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys,
    serve: Callable[..., Served],
    pinned_mirror: Path,
    unreachable: str,
) -> None:
    folder = no_mirror / "offline"
    serve(pinned_mirror)  # the connected machine
    assert main(["boundaries", "--kab", "18.13", "--siapkan-offline", str(folder)]) == 0
    assert "terverifikasi" in capsys.readouterr().out
    written = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert written == sorted(f"{r}/{c}/{p}" for r, c, p in required_files("18.13"))
    # the offline laptop: no network, an empty cache, the copied folder as the mirror
    monkeypatch.setenv(URL_ENV, unreachable)
    monkeypatch.setenv("PILKADA_RISK_CACHE", str(no_mirror / "laptop-cache"))
    monkeypatch.setenv(MIRROR_ENV, str(folder))
    kec = load_kecamatan(18.13)  # a number, as papermill passes it
    assert len(kec) == 11 and set(kec["kab_kode"]) == {"18.13"}


def test_prepare_offline_refuses_with_every_missing_file(no_mirror: Path) -> None:
    with pytest.raises(DownloadError, match="wilayah_boundaries_kel_18.01.sql") as info:
        prepare_offline("18.13", no_mirror / "offline", lang="en")
    assert str(info.value).startswith(f"{len(required_files('18.13'))} boundary source files")
    assert not (no_mirror / "offline").exists()


def test_kab_codes_typed_as_numbers() -> None:
    assert normalise_kab_kode(18.01) == "18.01"
    assert normalise_kab_kode(18.1) == "18.10"
    assert normalise_kab_kode(" 18.13") == "18.13"
