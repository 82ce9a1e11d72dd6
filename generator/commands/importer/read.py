"""Reading what the import reads, in one way each: the snapshots' CSV and YAML files, and the
register.yaml files an earlier import wrote (their ids stay)."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ...domain.load import REGISTER_FILE
from .write import ImportError_

# libyaml's safe loader when it is installed: a snapshot holds thousands of YAML files
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
UNREADABLE = (OSError, UnicodeDecodeError, yaml.YAMLError)  # what read_yaml raises for a file it cannot read


def read_csv(path: Path, need: tuple[str, ...], download: str) -> list[dict[str, str]]:
    """The rows of a snapshot's CSV file; an ImportError_ in Dutch when it is missing or lacks a column
    in `need`. `download` names the snapshot for the message ("CBS", "ROO")."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in need if c not in (reader.fieldnames or [])]
            if missing:
                raise ImportError_(f"{path}: de kolommen {', '.join(missing)} ontbreken. "
                                   f"Is dit de {download}-download?")
            return list(reader)
    except OSError as err:
        raise ImportError_(f"{path} kan niet gelezen worden ({err.strerror}). "
                           f"Geef de map van de {download}-download.") from None


def read_yaml(path: Path) -> Any:
    """A YAML file's data, safely loaded; raises one of UNREADABLE when it cannot be read."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)


@dataclass(frozen=True)
class Existing:
    """What an earlier import wrote in a region folder: enough to keep its id."""

    id: str
    kind: str | None
    code: str | None
    roo_ids: frozenset[str]


def existing_registers(root: Path) -> tuple[list[Existing], set[str]]:
    """The register.yaml files under root, and every folder name in use (also secretariats' folders)."""
    found, folders = [], set()
    if not root.is_dir():
        return found, folders
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or folder.name.startswith("."):
            continue
        folders.add(folder.name)
        path = folder / REGISTER_FILE
        if not path.is_file():
            continue
        try:
            data = read_yaml(path)
        except UNREADABLE:
            data = None
        data = data if isinstance(data, dict) else {}
        versions = data.get("versions") if isinstance(data.get("versions"), list) else []
        roo_ids = frozenset(str(v["roo_id"]) for v in versions if isinstance(v, dict) and v.get("roo_id"))
        found.append(Existing(folder.name, data.get("kind"), data.get("code"), roo_ids))
    return found, folders
