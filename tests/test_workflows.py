"""The repository automation as shipped: workflow files parse, and every govsite command in them exists."""
from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from generator.cli import parser

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def load(path: Path):
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))  # YAML 1.2: 'on' stays 'on'


def govsite_commands(text: str) -> list[list[str]]:
    """Every `govsite ...` command line in a shell script, as arguments, without redirections."""
    commands = []
    for line in text.splitlines():
        line = re.sub(r"\$\{\{[^}]*\}\}", "X", line)  # GitHub expressions become a plain word
        for part in re.split(r"&&|\|\||;", line):
            words = shlex.split(part, comments=True)
            if words and words[0] == "govsite":
                cut = next((i for i, w in enumerate(words) if w.startswith(">") or w == "|"), len(words))
                commands.append(words[1:cut])
    return commands


def steps(workflow) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_there_are_two_workflows():
    assert [p.name for p in WORKFLOWS] == ["publish.yml", "pull-request.yml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_govsite_command_exists(path: Path):
    workflow = load(path)
    found = [c for step in steps(workflow) if "run" in step for c in govsite_commands(step["run"])]
    assert found, f"{path.name} runs no govsite command"
    for command in found:
        try:
            parser().parse_args(command)
        except SystemExit:
            pytest.fail(f"{path.name}: 'govsite {' '.join(command)}' is not a valid govsite command")


def test_pull_request_workflow_validates_builds_and_summarises():
    workflow = load(ROOT / ".github" / "workflows" / "pull-request.yml")
    assert "pull_request" in workflow["on"]
    all_steps = steps(workflow)
    checkout = next(s for s in all_steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # diff needs the base branch
    runs = [c[0] for s in all_steps if "run" in s for c in govsite_commands(s["run"])]
    assert runs == ["validate", "fmt", "build", "diff"]
    diff = next(s["run"] for s in all_steps if "govsite diff" in s.get("run", ""))
    assert "origin/${{ github.base_ref }}" in diff and "$GITHUB_STEP_SUMMARY" in diff
    assert any(s.get("uses", "").startswith("actions/upload-artifact@") for s in all_steps)


def test_publish_workflow_deploys_to_pages_with_edit_links():
    workflow = load(ROOT / ".github" / "workflows" / "publish.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["permissions"]["pages"] == "write" and workflow["permissions"]["id-token"] == "write"
    uses = [s.get("uses", "") for s in steps(workflow)]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    build = next(s["run"] for s in steps(workflow) if "govsite build" in s.get("run", ""))
    assert "--source-url" in build and "/edit/${{ github.ref_name }}/" in build


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_the_checkout_never_provides_the_builds_output_or_caches(path: Path):
    """Issue 15: in both layouts (regions/ in the repository, or regions at the top of their own with
    --regions .) nothing a commit holds may be read as the build's own output or cache. The caches live
    outside the checkout; the CI cache restores the output folder, and restoring only writes the files
    it holds, so whatever the checkout has at the output's paths is removed before."""
    all_steps = steps(load(path))
    cached = next(i for i, s in enumerate(all_steps) if s.get("uses", "").startswith("actions/cache"))
    paths = all_steps[cached]["with"]["path"].split()
    build = next(c for s in all_steps if "run" in s for c in govsite_commands(s["run"]) if c[0] == "build")
    args = parser().parse_args(build)
    assert args.cache is None  # the default: the user's cache folder, outside the checkout
    assert ".build-cache" not in paths
    assert "~/.cache/govsite" in paths and "~/.local/state/govsite" in paths  # the caches and their key
    in_checkout = [p for p in paths if not p.startswith(("~", "/"))]
    assert in_checkout == [args.out]  # only the build's own output
    removed = [words[2:] for s in all_steps[:cached] if "run" in s for line in s["run"].splitlines()
               if (words := shlex.split(line, comments=True))[:2] == ["rm", "-rf"]]
    assert removed, f"{path.name} removes nothing before restoring the cache"
    removed = {name for words in removed for name in words}
    # the output, the folders the build keeps beside it, and the caches of earlier versions
    assert {args.out, f".{args.out}.*", ".build-cache"} <= removed


def test_pre_commit_hooks_name_existing_commands():
    hooks = {hook["id"]: hook for hook in load(ROOT / ".pre-commit-hooks.yaml")}
    assert set(hooks) == {"govsite-validate", "govsite-fmt"}
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert re.search(hook["files"], "regions/x/region.yaml") and re.search(hook["files"], "a.yml")
        words = shlex.split(hook["entry"])
        assert words[0] == "govsite"
        parser().parse_args(words[1:] + (["regions/x/region.yaml"] if hook["pass_filenames"] else []))
    assert hooks["govsite-validate"]["pass_filenames"] is False  # validate checks whole regions
    assert hooks["govsite-fmt"]["entry"] == "govsite fmt --check"
    assert re.search(hooks["govsite-fmt"]["exclude"], ".github/workflows/publish.yml")
    assert not re.search(hooks["govsite-fmt"]["exclude"], "regions/x/region.yaml")


# --- the contributor's guide quotes real messages --------------------------------------------

GUIDE = ROOT / "content" / "bijdragen" / "meldingen.md"

# The deliberate mistakes behind the examples in the guide, in groups (an error in the structure of
# a file hides the errors in its references, so those are made in a separate copy).
MISTAKES = [
    [("voorbeeldland-west-jeugd/decisions.yaml", "    council_role: informatie", "    councel_role: informatie"),
     ("voorbeeldland-west-jeugd/region.yaml", "  - municipality: GM9006\n    since: 2015-01-01",
      "  - municipality: GM9006\n    since: 2015-02-30"),
     ("voorbeeldland-west-jeugd/agreements/gr-jeugd.yaml", 'version: "2.0"', "version: 2.10"),
     ("voorbeeldland-noord-beschermd-wonen/reflection.yaml", "    note: ", "    note: Let op: dit is een test. "),
     ("voorbeeldland-oost-werk/reflection.yaml", "discussed:", "id: x\n\tname: y\ndiscussed:")],
    [("voorbeeldland-west-jeugd/decisions.yaml", "  - id: jaarrekening\n    topic: Vaststellen van de jaarrekening\n"
      "    decides: ab", "  - id: jaarrekening\n    topic: Vaststellen van de jaarrekening\n    decides: abb"),
     ("voorbeeldland-west-jeugd/region.yaml", "  - municipality: GM9007", "  - municipality: GM9070"),
     ("voorbeeldland-noord-beschermd-wonen/decisions.yaml", "  - step: 2", "  - step: 3")],
    [("voorbeeldland-noord-beschermd-wonen/decisions.yaml", "    council_role: wensen-en-bedenkingen",
      "    council_role: wensen-bedenkingen")],
    # the draft-budget term of the Wgr (art. 35): a rule that depends on the law in force on the date
    [("voorbeeldland-west-jeugd/accountability.yaml", "    term_days: 84\n    applies_to: ontwerpbegroting",
      "    term_days: 56\n    applies_to: ontwerpbegroting")],
    [("voorbeeldland-west-jeugd/accountability.yaml", "  - document: Kaderbrief",
      '  - document: "Kaderbrief\\LBEGIN:VEVENT"'),
     ("voorbeeldland-west-jeugd/region.yaml", "  - municipality: GM9002\n    since: 2015-01-01",
      "  - municipality: GM9002\n    since: 2015-01-01\n    until: 9999-12-31")],
]


def _messages(findings) -> set[str]:
    return {f"{Path(f.path).name}: {f.severity}: {f.message}" for f in findings}


def test_the_guide_quotes_messages_the_validator_really_prints(tmp_path: Path):
    from generator.pipeline import check

    from conftest import AS_OF

    printed = _messages(check(ROOT / "examples", None, AS_OF).findings)
    for number, group in enumerate(MISTAKES):
        root = tmp_path / str(number)
        shutil.copytree(ROOT / "examples", root)
        for file, old, new in group:
            path = root / file
            text = path.read_text(encoding="utf-8")
            assert old in text, f"{file} no longer contains {old!r}"
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
        printed |= _messages(check(root, None, AS_OF).findings)
    quoted = re.findall(r"^regions/\S+?([^/\s]+\.yaml):\d+:\d+: (error|gap): (.*)$",
                        GUIDE.read_text(encoding="utf-8"), re.MULTILINE)
    assert len(quoted) >= 10
    stale = [f"{name}: {severity}: {message}" for name, severity, message in quoted
             if f"{name}: {severity}: {message}" not in printed]
    assert not stale, "content/bijdragen/meldingen.md quotes messages the validator no longer prints:\n" + \
        "\n".join(stale)


def test_the_guide_names_exactly_the_reserved_folder_names():
    """The contributor's guide lists the names a region folder may not take; it must be the build's own list."""
    from generator.site import outputs

    guide = (ROOT / "content" / "bijdragen" / "dataformaat.md").read_text(encoding="utf-8")
    sentence = guide[guide.index("Een regio mag niet heten"):guide.index("(`govsite validate` noemt de lijst)")]
    assert set(re.findall(r"`([a-z0-9-]+)`", sentence)) == set(outputs.reserved())
