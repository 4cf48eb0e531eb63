"""Filesystem locations and small I/O helpers shared by the edge modules."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

__all__ = [
    "copy_package_file",
    "atomic_path",
    "cache_dir",
    "output_folder",
    "package_data",
    "project_root",
    "sha256_bytes",
    "sha256_file",
]


def copy_package_file(parts: tuple[str, ...], path: str | os.PathLike[str]) -> Path:
    """Copy the shipped file ``package_data(*parts)`` to ``path`` (for the analyst to edit).

    Refuses to overwrite an existing file. Returns the written path.
    """
    target = Path(path)
    if target.exists():
        raise FileExistsError(
            f"{target} sudah ada (already exists); pilih nama lain / choose another"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(package_data(*parts), target)
    return target


def package_data(*parts: str) -> Path:
    """Return the path of a data file shipped inside the package (``pilkada_risk/data/...``)."""
    return Path(str(resources.files("pilkada_risk").joinpath("data", *parts)))


def project_root() -> Path | None:
    """The clone this package runs from (its ``pyproject.toml`` beside ``pilkada_risk/``), or
    ``None`` for an installed wheel."""
    root = Path(__file__).resolve().parents[2]
    return (
        root if (root / "pyproject.toml").is_file() and (root / "pilkada_risk").is_dir() else None
    )


def output_folder(
    output_dir: str | os.PathLike[str] | None = None, *, sub: str = "notebooks"
) -> Path:
    """Folder for notebook outputs, created when missing, whatever the working directory.

    ``None``: ``output/<sub>`` inside the clone (git-ignored), or under the working directory
    for an installed package. A relative path is taken inside the clone too; an absolute path is
    used as given.

    Examples
    --------
    >>> output_folder().parts[-2:]
    ('output', 'notebooks')
    """
    base = project_root() or Path.cwd()
    folder = base / "output" / sub if output_dir is None else base / Path(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def cache_dir() -> Path:
    """Return the user cache directory, creating it when missing.

    ``PILKADA_RISK_CACHE`` wins; otherwise ``$XDG_CACHE_HOME/pilkada-risk`` or
    ``~/.cache/pilkada-risk``.
    """
    env = os.environ.get("PILKADA_RISK_CACHE")
    if env:
        path = Path(env).expanduser()
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        path = Path(base) / "pilkada-risk"
    path.mkdir(parents=True, exist_ok=True)
    return path


def sha256_file(path: str | os.PathLike[str], *, chunk: int = 1 << 20) -> str:
    """Return the hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def sha256_bytes(data: bytes) -> str:
    """Return the hex sha256 of a bytes object."""
    return hashlib.sha256(data).hexdigest()


@contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; rename it onto ``target`` on success.

    An exception (or an interrupted process) leaves ``target`` untouched and removes the
    temporary file, so readers never see a truncated file.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        # mkstemp creates 0600; give the file the permissions a plain open() would have.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_path, 0o666 & ~umask)
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()
