"""Offline laptops: one message naming every missing file, and a prepared folder that works as
the mirror with the network blocked. The network is never used: downloads are stand-ins."""

from __future__ import annotations

import io
import os
import urllib.error
from pathlib import Path

import pytest

from pilkada_risk.cli import main
from pilkada_risk.geo import upstream
from pilkada_risk.geo.boundaries import load_kecamatan, normalise_kab_kode
from pilkada_risk.geo.offline import base_files, prepare_offline, required_files
from pilkada_risk.geo.upstream import MIRROR_ENV, RAW_URL, DownloadError

MIRROR = Path(os.environ[MIRROR_ENV])  # the shared mirror, set by conftest


def _blocked(url: str, timeout: float) -> io.BytesIO:
    raise urllib.error.URLError("network blocked in tests")


def _served_from_mirror(url: str, timeout: float) -> io.BytesIO:
    """A stand-in internet that serves the pinned raw files from the shared mirror."""
    prefix = RAW_URL.split("{", 1)[0]
    return io.BytesIO((MIRROR / url.removeprefix(prefix)).read_bytes())


@pytest.fixture
def no_mirror(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.delenv(MIRROR_ENV, raising=False)
    monkeypatch.setenv("PILKADA_RISK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(upstream, "_urlopen", _blocked)
    return tmp_path


@pytest.mark.parametrize("lang", ["id", "en"])
def test_one_message_lists_every_missing_file(no_mirror: Path, lang: str, capsys) -> None:
    with pytest.raises(DownloadError) as info:
        load_kecamatan("18.13", lang=lang)
    message = str(info.value)
    for _, _, path in base_files("18.13"):
        assert path in message
    assert "--siapkan-offline" in message and MIRROR_ENV in message
    assert message.startswith("3 ")
    out = no_mirror / "kec.gpkg"
    assert main(["boundaries", "--kab", "18.13", "--out", str(out), "--lang", lang]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "wilayah_boundaries_kel_18.13.sql" in err
    assert "db/wilayah.sql" in err and not out.exists()


def test_prepared_folder_works_offline(
    no_mirror: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    folder = no_mirror / "offline"
    monkeypatch.setattr(upstream, "_urlopen", _served_from_mirror)  # the connected machine
    assert main(["boundaries", "--kab", "18.13", "--siapkan-offline", str(folder)]) == 0
    assert "terverifikasi" in capsys.readouterr().out
    written = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert written == sorted(f"{r}/{c}/{p}" for r, c, p in required_files("18.13"))
    # the offline laptop: no network, an empty cache, the copied folder as the mirror
    monkeypatch.setattr(upstream, "_urlopen", _blocked)
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
