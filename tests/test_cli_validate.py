"""`govsite validate` and `govsite schema`: output, exit codes, never a traceback."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REGION
from generator import cli

AS_OF = "2026-11-26"
LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|gap): (?P<message>.+)$")
SUMMARY = re.compile(r"^\d+ (regio|regio's) gecontroleerd: \d+ (fout|fouten), \d+ (hiaat|hiaten)$")
REPO = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    """The command as a user runs it, in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("GOVSITE_DEBUG", None)
    result = subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=60)
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout
    return result


def main(capsys, *args: str) -> tuple[int, str, str]:
    """The command in this process, through generator.cli.main."""
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def parse(out: str) -> tuple[list[dict], str]:
    lines = out.rstrip("\n").split("\n")
    *findings, last = lines
    assert SUMMARY.match(last), last
    parsed = []
    for line in findings:
        match = LINE.match(line)
        assert match, f"not a finding line: {line!r}"
        parsed.append(match.groupdict())
    return parsed, last


def broken(regions) -> None:
    """One error (a dangling body reference) and, once the region is valid, nothing else."""
    regions.replace("decisions.yaml", "decides: ab", "decides: abb")


def with_gap(regions) -> None:
    regions.remove("reflection.yaml")


# --- subprocess -----------------------------------------------------------------------------

def test_valid_region_exits_0(regions):
    result = run("validate", "--regions", str(regions.root), "--as-of", AS_OF)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "1 regio gecontroleerd: 0 fouten, 0 hiaten\n"
    assert result.stderr == ""


def test_errors_exit_1_with_located_lines(regions):
    broken(regions)
    result = run("validate", "--regions", str(regions.root), "--as-of", AS_OF)
    assert result.returncode == 1
    findings, summary = parse(result.stdout)
    assert summary == "1 regio gecontroleerd: 1 fout, 0 hiaten"
    (finding,) = findings
    assert finding["path"].endswith(f"{REGION}/decisions.yaml")
    assert (int(finding["line"]), int(finding["col"])) == (regions.line("decisions.yaml", "abb"), 14)
    assert finding["severity"] == "error"
    assert "orgaan 'abb' bestaat niet" in finding["message"] and "Bedoelt u 'ab'?" in finding["message"]


def test_gaps_only_exit_0_and_strict_exits_1(regions):
    with_gap(regions)
    result = run("validate", "--regions", str(regions.root), "--as-of", AS_OF)
    assert result.returncode == 0
    findings, summary = parse(result.stdout)
    assert [(f["severity"], f["line"], f["col"]) for f in findings] == [("gap", "0", "0")]
    assert findings[0]["path"].endswith("reflection.yaml")
    assert summary == "1 regio gecontroleerd: 0 fouten, 1 hiaat"
    strict = run("validate", "--strict", "--regions", str(regions.root), "--as-of", AS_OF)
    assert strict.returncode == 1 and strict.stdout == result.stdout


def test_usage_errors_exit_2(regions, tmp_path):
    result = run("validate", "--regions", str(regions.root), "leidse-regi")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("govsite: regio 'leidse-regi' bestaat niet")
    assert f"Bedoelt u '{REGION}'?" in result.stderr
    result = run("validate", "--regions", str(tmp_path / "nergens"), "--as-of", AS_OF)
    assert (result.returncode, result.stdout) == (2, "")
    assert "de map met regio's" in result.stderr and "bestaat niet" in result.stderr
    result = run("validate", "--regions", str(regions.root), "--no-such-option")
    assert (result.returncode, result.stdout) == (2, "")
    assert "unrecognized arguments: --no-such-option" in result.stderr and "usage: govsite" in result.stderr


def test_relative_paths_in_output(regions):
    broken(regions)
    result = run("validate", "--regions", "regions", "--as-of", AS_OF, cwd=regions.root.parent)
    (finding,), _ = parse(result.stdout)
    assert finding["path"] == f"regions/{REGION}/decisions.yaml".replace("/", os.sep)


def test_schema_command_in_a_subprocess(tmp_path):
    out = tmp_path / "schema"
    result = run("schema", "--regions", str(tmp_path), "--out", str(out))
    assert result.returncode == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{kind}.schema.json" for kind in ["municipalities", "region", "organisation", "decisions",
                                           "accountability", "finance", "progress", "reflection", "agreement",
                                           "register", "register-links"])


# --- in process -----------------------------------------------------------------------------

def test_in_process_valid(regions, capsys):
    assert main(capsys, "validate", "--regions", str(regions.root), "--as-of", AS_OF) == (
        0, "1 regio gecontroleerd: 0 fouten, 0 hiaten\n", "")


def test_in_process_errors_and_gaps(regions, capsys):
    with_gap(regions)
    code, out, err = main(capsys, "validate", "--regions", str(regions.root), "--as-of", AS_OF)
    assert (code, err) == (0, "")
    broken(regions)
    code, out, err = main(capsys, "validate", "--regions", str(regions.root), "--as-of", AS_OF)
    assert code == 1
    findings, summary = parse(out)
    # a region with errors is not modelled, so its gaps are not reported until the errors are fixed
    assert [f["severity"] for f in findings] == ["error"]


def test_in_process_strict(regions, capsys):
    with_gap(regions)
    assert main(capsys, "validate", "--strict", "--regions", str(regions.root), "--as-of", AS_OF)[0] == 1
    assert main(capsys, "validate", "--regions", str(regions.root), "--as-of", AS_OF)[0] == 0


def test_in_process_as_of_changes_the_result(regions, capsys):
    code, out, _ = main(capsys, "validate", "--regions", str(regions.root), "--as-of", "2028-01-01")
    findings, summary = parse(out)
    assert code == 0 and findings and {f["severity"] for f in findings} == {"gap"}
    assert any("De evaluatie had op 1 juni 2027 moeten plaatsvinden" in f["message"] for f in findings)


@pytest.mark.parametrize("args,needle", [
    (["--bogus"], "unrecognized arguments: --bogus"),
    (["--as-of", "26-11-2026"], "'26-11-2026' is geen datum; schrijf JJJJ-MM-DD"),
    (["--as-of", "2026-02-30"], "is geen datum"),
    (["--format", "xml"], "invalid choice: 'xml'"),
])
def test_in_process_argument_errors(regions, capsys, args, needle):
    with pytest.raises(SystemExit) as exit:
        cli.main(["validate", "--regions", str(regions.root), *args])
    assert exit.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and needle in err and "Traceback" not in err


def test_in_process_usage_errors(regions, capsys, tmp_path):
    code, out, err = main(capsys, "validate", "--regions", str(tmp_path / "nergens"))
    assert (code, out) == (2, "") and err.startswith("govsite: de map met regio's")
    code, out, err = main(capsys, "validate", "--regions", str(regions.root), REGION, "onbekend")
    assert (code, out) == (2, "") and "regio 'onbekend' bestaat niet" in err


def test_in_process_named_region(regions, capsys):
    other = regions.root / "andere-regio"
    other.mkdir()
    (other / "region.yaml").write_text("id: [\n", encoding="utf-8")
    assert main(capsys, "validate", "--regions", str(regions.root), "--as-of", AS_OF, REGION) == (
        0, "1 regio gecontroleerd: 0 fouten, 0 hiaten\n", "")
    code, out, _ = main(capsys, "validate", "--regions", str(regions.root), "--as-of", AS_OF)
    assert code == 1 and out.endswith("2 regio's gecontroleerd: 1 fout, 0 hiaten\n")


def test_regions_dir_from_the_environment(regions, capsys, monkeypatch):
    monkeypatch.setenv("GOVSITE_REGIONS", str(regions.root))
    assert main(capsys, "validate", "--as-of", AS_OF)[0] == 0


def test_json_holds_the_same_findings_as_text(regions, capsys):
    broken(regions)
    regions.replace("region.yaml", "kind: jeugdregio", "kind: jeugd")  # a second error, in another file
    code, text, _ = main(capsys, "validate", "--regions", str(regions.root), "--as-of", AS_OF)
    json_code, out, err = main(capsys, "validate", "--format", "json", "--regions", str(regions.root),
                               "--as-of", AS_OF)
    assert code == json_code == 1 and err == ""
    data = json.loads(out)
    assert (data["regions"], data["errors"], data["gaps"]) == (1, 1, 0)
    lines, _ = parse(text)
    assert [(f["path"], f["line"], f["col"], f["severity"], f["message"]) for f in data["findings"]] == [
        (f["path"], int(f["line"]), int(f["col"]), f["severity"], f["message"]) for f in lines]
    (finding,) = data["findings"]
    assert "onbekende waarde 'jeugd'" in finding["message"]


def test_json_with_gaps(regions, capsys):
    with_gap(regions)
    code, out, _ = main(capsys, "validate", "--format", "json", "--regions", str(regions.root), "--as-of", AS_OF)
    data = json.loads(out)
    assert code == 0 and (data["errors"], data["gaps"]) == (0, 1)
    (finding,) = data["findings"]
    assert set(finding) == {"path", "line", "col", "severity", "message"}
    assert finding["severity"] == "gap" and finding["path"].endswith("reflection.yaml")


def test_json_is_valid_for_broken_yaml_in_every_file(regions, capsys):
    for name in ["region.yaml", "organisation.yaml", "decisions.yaml", "accountability.yaml", "finance.yaml",
                 "progress.yaml", "reflection.yaml", "agreements/gr-jeugd.yaml", "municipalities.yaml"]:
        regions.write(name, 'x: "niet afgesloten\n')
    code, out, _ = main(capsys, "validate", "--format", "json", "--regions", str(regions.root), "--as-of", AS_OF)
    data = json.loads(out)
    assert code == 1 and data["errors"] == 9
    assert all("aanhalingsteken" in f["message"] or "houdt onverwacht op" in f["message"]
               for f in data["findings"])


# --- govsite schema -------------------------------------------------------------------------

@pytest.fixture
def schemas(tmp_path, capsys) -> dict[str, dict]:
    out = tmp_path / "schema"
    code, printed, _ = main(capsys, "schema", "--regions", str(tmp_path), "--out", str(out))
    assert code == 0
    assert sorted(printed.split()) == sorted(str(p) for p in out.iterdir())
    return {p.name.removesuffix(".schema.json"): json.loads(p.read_text(encoding="utf-8")) for p in out.iterdir()}


def test_schema_per_file_kind_with_dutch_descriptions(schemas):
    assert set(schemas) == {"municipalities", "region", "organisation", "decisions", "accountability", "finance",
                            "progress", "reflection", "agreement", "register", "register-links"}
    region = schemas["region"]
    assert region["title"] == "region.yaml"
    assert region["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert region["properties"]["members"]["description"] == "Deelnemende gemeenten, ook vroegere."
    assert region["properties"]["contact"]["description"].startswith("Het ene aanspreekpunt")
    assert schemas["agreement"]["title"] == "agreements/<id>.yaml"
    assert "jeugdregio" in json.dumps(region)


def test_schema_forbids_unknown_keys_everywhere(schemas):
    def objects(node):
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                yield node
            for value in node.values():
                yield from objects(value)
        elif isinstance(node, list):
            for value in node:
                yield from objects(value)

    for kind, schema in schemas.items():
        found = list(objects(schema))
        assert found, kind
        assert all(o.get("additionalProperties") is False for o in found), kind


def test_schema_lists_required_fields(schemas):
    assert set(schemas["region"]["required"]) == {"id", "name", "kind", "domains", "legal_form", "summary",
                                                  "contact", "members"}


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].removeprefix("#/$defs/")]
    return node


def _unknown_keys(schema: dict, node: dict, data, path=()) -> list[tuple]:
    """The places where data has a key that the schema does not allow (a small part of JSON Schema:
    enough to follow properties, items and $ref, as the schemas from pydantic use them)."""
    node = _resolve(schema, node)
    found = []
    if isinstance(data, dict) and "properties" in node:
        for key, value in data.items():
            if key in node["properties"]:
                found += _unknown_keys(schema, node["properties"][key], value, path + (key,))
            elif node.get("additionalProperties") is False:
                found.append(path + (key,))
    elif isinstance(data, list) and "items" in node:
        for i, value in enumerate(data):
            found += _unknown_keys(schema, node["items"], value, path + (i,))
    return found


def test_region_schema_rejects_an_unknown_key(schemas, regions):
    from generator.domain.load import load_yaml

    doc, _ = load_yaml(regions.path("region.yaml"))
    data = json.loads(json.dumps(doc.data, default=str))
    region = schemas["region"]
    assert _unknown_keys(region, region, data) == []
    data["contact"]["emial"] = "x@example.org"
    data["members"][1]["sinds"] = "2015-01-01"
    data["extra"] = True
    assert _unknown_keys(region, region, data) == [("contact", "emial"), ("members", 1, "sinds"), ("extra",)]
    import jsonschema

    valid = json.loads(json.dumps(doc.data, default=str))
    jsonschema.validate(valid, region)  # the shipped data passes the editor's schema
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, region)


def test_default_schema_folder(regions, capsys, monkeypatch):
    code, _, _ = main(capsys, "schema", "--regions", str(regions.root))
    assert code == 0 and (regions.root / ".schema" / "region.schema.json").is_file()
    # the schema folder is hidden, so validation does not treat it as a region
    assert main(capsys, "validate", "--regions", str(regions.root), "--as-of", AS_OF)[0] == 0


def test_shipped_editor_schemas_are_up_to_date(tmp_path):
    """regions/.schema and examples/.schema are what editors read: they must match the format, so regenerate
    and compare."""
    assert cli.main(["schema", "--out", str(tmp_path)]) == 0
    fresh = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()}
    for folder in ("regions", "examples"):
        shipped = Path(__file__).resolve().parent.parent / folder / ".schema"
        assert fresh == {p.name: p.read_text(encoding="utf-8") for p in shipped.iterdir()}, \
            f"run `govsite schema --regions {folder}` and commit {folder}/.schema"
