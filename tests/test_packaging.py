"""A non-editable install (the Docker image's) holds every data file the code reads: each file of
service/ that is not Python is matched by pyproject.toml's package-data."""
from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def package_of(path: Path) -> Path:
    """The nearest folder above the file that is a Python package."""
    folder = path.parent
    while not (folder / "__init__.py").exists():
        folder = folder.parent
    return folder


def test_every_data_file_of_the_service_is_package_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["*"]
    data_files = [p for p in (ROOT / "service").rglob("*")
                  if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts]
    assert any("model" in p.parts for p in data_files)     # the learned layer's model is among them
    missing = [str(p.relative_to(ROOT)) for p in data_files
               if not any(fnmatch.fnmatch(p.relative_to(package_of(p)).as_posix(), pattern) for pattern in patterns)]
    assert not missing, missing
