"""Where the editable reference data is found: the environment variable, a frozen bundle, the repository."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from coordinator_app.domain.errors import ValidationError
from coordinator_app.infra import resources
from coordinator_app.infra.resources import load_kommuner, resources_dir


class TestResourcesDir:
    def test_defaults_to_the_repository_resources(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv(resources.RESOURCES_ENV, raising=False)
        assert resources_dir() == Path(resources.__file__).resolve().parents[2] / "resources"
        assert (resources_dir() / "kommuner.csv").is_file()

    def test_environment_variable_wins(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        monkeypatch.setenv(resources.RESOURCES_ENV, str(tmp_path))
        monkeypatch.setattr(sys, "_MEIPASS", "/bundle", raising=False)
        assert resources_dir() == tmp_path

    def test_pyinstaller_bundle(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv(resources.RESOURCES_ENV, raising=False)
        monkeypatch.setattr(sys, "_MEIPASS", "/bundle", raising=False)
        assert resources_dir() == Path("/bundle") / "resources"

    def test_missing_file_is_a_danish_error(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        monkeypatch.setenv(resources.RESOURCES_ENV, str(tmp_path))
        with pytest.raises(ValidationError, match="findes ikke"):
            load_kommuner()
