"""Issue 15: nothing a repository holds is read as the build's cache or output, and no region folder
takes a name the portal uses itself.

The attacks use the layout in which they worked: the regions at the top of their own repository,
built there with `govsite build --regions . --out site`, so that the build's folders beside the
output lay inside the repository (a pull request could commit them). Every build runs the command
in a subprocess, as CI does.
"""
from __future__ import annotations

import hashlib
import io
import os
import pickle
import shutil
import subprocess
from pathlib import Path

import pytest
from jinja2.bccache import bc_magic

import payloads
from govsite_cli import govsite
from generator.site import outputs
from generator.engine.cache import cache_folder

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
REGION = "voorbeeldland-oost-werk"
AS_OF = "2026-11-26"


def _repository(folder: Path, regions: str = ".") -> Path:
    """A regions repository with the regions at its top (or in the folder `regions` of it):
    municipalities.yaml and one region."""
    (folder / regions).mkdir(parents=True)
    shutil.copy(EXAMPLES / "municipalities.yaml", folder / regions)
    shutil.copytree(EXAMPLES / REGION, folder / regions / REGION)
    return folder


def _govsite(*args: str, cwd: Path, user: Path | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
    """The command, as in CI: in the repository; `user` stands for a runner's own home folders."""
    env: dict[str, str | None] = {"PYTHONDONTWRITEBYTECODE": "1", "GOVSITE_DEBUG": None}
    if user is not None:
        env.update(XDG_CACHE_HOME=str(user / "cache"), XDG_STATE_HOME=str(user / "state"))
    return govsite(*args, cwd=cwd, timeout=timeout, env=env)


def _build(repo: Path, user: Path | None = None, *more: str, regions: str = ".") -> subprocess.CompletedProcess:
    return _govsite("build", "--regions", regions, "--out", "site", "--as-of", AS_OF, "--jobs", "1", *more,
                    cwd=repo, user=user)


def _committed_check_cache(repo: Path, data: bytes) -> None:
    """A check cache file where the build kept it beside the output, under the name it looked for
    (a hash of the region folder's name)."""
    check = repo / ".build-cache" / "check"
    check.mkdir(parents=True, exist_ok=True)
    for name in (REGION,):
        (check / f"{hashlib.blake2b(name.encode(), digest_size=16).hexdigest()}.pickle").write_bytes(data)


# --- code execution from a cache the repository provides ---------------------------------------------

def test_a_committed_check_cache_pickle_is_never_unpickled(tmp_path):
    repo = _repository(tmp_path / "repo")
    marker = tmp_path / "uitgevoerd-pickle"
    _committed_check_cache(repo, payloads.pickle_that_writes(marker))
    result = _build(repo)
    assert not marker.exists(), "the build unpickled a file from the repository"
    assert result.returncode == 0, result.stderr
    assert (repo / "site" / REGION / "index.html").is_file()


def test_committed_compiled_templates_are_never_loaded(tmp_path):
    """Variant: Jinja's bytecode cache (code objects, marshal) instead of the check cache's pickles:
    a compiled file for every template of the theme, with the right name and source checksum."""
    repo = _repository(tmp_path / "repo")
    marker = tmp_path / "uitgevoerd-bytecode"
    templates = repo / ".build-cache" / "templates"
    templates.mkdir(parents=True)
    for name, source in payloads.theme_template_files().items():
        (templates / name).write_bytes(payloads.jinja_bytecode_that_writes(marker, source))
    result = _build(repo)
    assert not marker.exists(), "the build ran compiled templates from the repository"
    assert result.returncode == 0, result.stderr


def test_a_committed_manifest_and_site_are_not_published_as_they_are(tmp_path):
    """A forged manifest (as the build writes it, with the keys a build of this data has) beside a
    committed site/ whose portal page says something else: the build must not reuse that page. In
    the other layout, regions/ in the repository that holds govsite's workflows: the build's folders
    were in the repository there too."""
    repo = _repository(tmp_path / "repo", "regions")
    first = tmp_path / "runner-1"
    assert _build(repo, first, regions="regions").returncode == 0
    page = repo / "site" / "index.html"
    text = page.read_text(encoding="utf-8")
    forged = text.replace("Regionale samenwerking", "Regionale oplichterij!", 1)
    assert forged != text and len(forged.encode()) == len(text.encode())
    stamp = page.stat()
    page.write_text(forged, encoding="utf-8")
    os.utime(page, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # exactly as the manifest describes it
    manifests = sorted(first.glob("cache/govsite/*/manifest.json")) or [repo / ".build-cache" / "site.json"]
    committed = repo / ".build-cache" / "site.json"
    committed.parent.mkdir(exist_ok=True)
    if manifests[0] != committed:
        shutil.copy(manifests[0], committed)
    result = _build(repo, tmp_path / "runner-2", regions="regions")  # another runner: its cache holds nothing yet
    assert result.returncode == 0, result.stderr
    assert "oplichterij" not in page.read_text(encoding="utf-8")
    assert "Regionale samenwerking" in page.read_text(encoding="utf-8")


def test_cache_files_govsite_did_not_write_are_ignored(tmp_path):
    """Defence in depth, in the build's own cache folder: a check cache file or a compiled template
    that someone else wrote (or changed) does not verify, and is never loaded; the build still works."""
    repo = _repository(tmp_path / "repo")
    user = tmp_path / "runner"
    assert _build(repo, user).returncode == 0
    folder = next((user / "cache" / "govsite").iterdir())
    assert folder.name.startswith("site-")
    marker = tmp_path / "uitgevoerd"
    pickles = sorted((folder / "check").iterdir())  # a file per region, the registry's, the municipalities'
    assert {"registry.sealed", "municipalities.sealed"} <= {p.name for p in pickles}
    compiled = sorted((folder / "templates").iterdir())
    assert pickles and compiled
    for path in pickles:
        path.write_bytes(payloads.pickle_that_writes(marker))
    for path in compiled:  # the header kept (and the seal in front of it), the code replaced
        data = path.read_bytes()
        start = data.index(bc_magic)
        checksum = pickle.load(io.BytesIO(data[start + len(bc_magic):]))
        path.write_bytes(data[:start] + bc_magic + pickle.dumps(checksum, 2) + payloads.code_that_writes(marker))
    (repo / REGION / "region.yaml").write_text(
        (repo / REGION / "region.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = _build(repo, user)
    assert not marker.exists(), "the build loaded a cache file govsite did not write"
    assert result.returncode == 0, result.stderr


def test_the_user_cache_key_is_private(tmp_path):
    repo = _repository(tmp_path / "repo")
    user = tmp_path / "runner"
    assert _build(repo, user).returncode == 0
    key = user / "state" / "govsite" / "cache-key"
    assert key.is_file() and key.stat().st_mode & 0o077 == 0


# --- the output folder is never read as data -------------------------------------------------------

def test_regions_at_the_top_build_twice_and_validate_after(tmp_path):
    repo = _repository(tmp_path / "repo")
    for _ in range(2):
        result = _build(repo)
        assert result.returncode == 0, result.stderr
        assert "zoekindex" not in result.stderr
    assert not (repo / ".build-cache").exists()  # nothing of the cache in the repository
    result = _govsite("validate", "--regions", ".", "--as-of", AS_OF, cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "gecontroleerd: 0 fouten" in result.stdout.splitlines()[-1]


def test_an_output_folder_with_another_name_is_not_a_region_either(tmp_path):
    """Variant: --out public, and a fresh (empty) output folder made before the first build."""
    repo = _repository(tmp_path / "repo")
    (repo / "public").mkdir()
    for _ in range(2):
        result = _govsite("build", "--regions", ".", "--out", "public", "--as-of", AS_OF, "--jobs", "1", cwd=repo)
        assert result.returncode == 0, result.stderr
    result = _govsite("validate", "--regions", ".", "--as-of", AS_OF, cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("out", [".", "..", REGION, f"{REGION}/site"])
def test_an_output_folder_that_would_replace_the_data_is_refused(tmp_path, out):
    repo = _repository(tmp_path / "repo")
    before = sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*"))
    result = _govsite("build", "--regions", ".", "--out", out, "--as-of", AS_OF, cwd=repo)
    assert result.returncode == 2, result.stderr
    assert "doelmap" in result.stderr and "Kies een andere doelmap" in result.stderr
    assert sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*")) == before


@pytest.mark.parametrize("cache", [".build-cache", f"{REGION}/cache", "site/cache"])
def test_a_cache_folder_in_the_repository_or_the_output_is_refused(tmp_path, cache):
    repo = _repository(tmp_path / "repo")
    result = _build(repo, None, "--cache", cache)
    assert result.returncode == 2, result.stderr
    assert "cachemap" in result.stderr and "Kies een map daarbuiten" in result.stderr
    assert not (repo / "site").exists()


def test_the_cache_folder_can_be_chosen(tmp_path):
    repo = _repository(tmp_path / "repo")
    chosen = tmp_path / "elders"
    result = _build(repo, None, "--cache", str(chosen))
    assert result.returncode == 0, result.stderr
    assert cache_folder(repo / "site", chosen).joinpath("manifest.json").is_file()


# --- region folders named like the portal's own paths ----------------------------------------------

def _region_named(repo: Path, name: str) -> Path:
    folder = repo / name
    shutil.copytree(repo / REGION, folder)
    region = folder / "region.yaml"
    region.write_text(region.read_text(encoding="utf-8").replace(f"id: {REGION}", f"id: {name}", 1), encoding="utf-8")
    return region


ISSUE_NAMES = ["assets", "gemeenten", "pagefind", "zoeken", "overlap", "bijdragen", "zoekindex"]


@pytest.mark.parametrize("name", ISSUE_NAMES + ["begrippen", "over"])
def test_a_region_folder_named_like_the_portals_own_paths_is_refused(tmp_path, name):
    repo = _repository(tmp_path / "repo")
    _region_named(repo, name)
    result = _govsite("validate", "--regions", ".", "--as-of", AS_OF, cwd=repo)
    assert result.returncode == 1, result.stdout
    line = next((line for line in result.stdout.splitlines() if "gereserveerd" in line), "")
    assert line.startswith(f"{name}/region.yaml:1:5: error: de mapnaam '{name}' is gereserveerd"), result.stdout
    assert "assets" in line and "zoekindex" in line and "Kies een andere mapnaam" in line


@pytest.mark.parametrize("name", ["assets", "zoekindex"])
def test_a_build_with_such_a_folder_never_starts(tmp_path, name):
    """The build stops at the finding: no internal error (OSError), no wait on Pagefind."""
    repo = _repository(tmp_path / "repo")
    _region_named(repo, name)
    result = _govsite("build", "--regions", ".", "--out", "site", "--as-of", AS_OF, cwd=repo, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "interne fout" not in result.stderr
    assert f"{name}/region.yaml:1:5: error: de mapnaam '{name}' is gereserveerd" in result.stderr
    assert not (repo / "site").exists()


def test_the_reserved_names_are_what_the_build_writes_at_the_root(tmp_path):
    """Every folder the build puts at the output's root besides the regions is reserved, and every
    reserved name but the content's is one the build writes (a new page or theme folder must be added)."""
    repo = _repository(tmp_path / "repo")
    assert _build(repo).returncode == 0
    written = {p.name for p in (repo / "site").iterdir() if p.is_dir()} - {REGION}
    assert written <= outputs.reserved()
    assert set(ISSUE_NAMES) <= outputs.reserved()
