"""`govsite fmt`: one canonical layout, comments and key order kept, broken files left alone."""
from __future__ import annotations

from pathlib import Path

from generator.cli import main
from generator.commands.fmt import format_files, format_text, yaml_files

from conftest import yaml_text

CANONICAL = yaml_text("""
    # yaml-language-server: $schema=../.schema/decisions.schema.json
    # De besluiten van de regio.
    decisions:
      - id: begroting  # het belangrijkste besluit
        topic: Vaststellen van de begroting
        informs: [raden, colleges]
        council_role: zienswijze
        basis: {agreement: gr-jeugd, article: "7"}
        description: >
          Het algemeen bestuur stelt de begroting vast nadat de raden hun zienswijze hebben gegeven.

      # Het tweede besluit.
      - id: inkoop
        topic: 'Inkoop: strategie'
        decides: db
    """)

MESSY = yaml_text("""
    # De besluiten van de regio.
    decisions:
    -   id: begroting     # het belangrijkste besluit
        topic: Vaststellen van de begroting
        council_role: zienswijze
        basis:   { agreement: gr-jeugd, article: "7" }
    # Het tweede besluit.
    -   id: inkoop
        decides:    db
    """)


def test_canonical_file_round_trips_unchanged():
    assert format_text(CANONICAL) == CANONICAL


def test_messy_file_is_fixed_keeping_comments_order_and_quotes():
    fixed = format_text(MESSY)
    assert fixed == yaml_text("""
        # De besluiten van de regio.
        decisions:
          - id: begroting     # het belangrijkste besluit
            topic: Vaststellen van de begroting
            council_role: zienswijze
            basis: {agreement: gr-jeugd, article: "7"}
        # Het tweede besluit.
          - id: inkoop
            decides: db
        """)
    assert format_text(fixed) == fixed  # canonical is a fixed point


def test_long_text_is_not_rewrapped():
    text = "summary: " + ("lange zin " * 30).strip() + "\n"
    assert format_text(text) == text


def test_check_reports_and_fmt_fixes(tmp_path: Path, capsys):
    root = tmp_path / "regions"
    (root / "r").mkdir(parents=True)
    good = root / "r" / "decisions.yaml"
    bad = root / "r" / "organisation.yaml"
    good.write_text(CANONICAL, encoding="utf-8")
    bad.write_text(MESSY, encoding="utf-8")
    (root / ".schema").mkdir()
    (root / ".schema" / "x.yaml").write_text("a:    1\n", encoding="utf-8")  # hidden folders are skipped

    assert main(["fmt", "--check", "--regions", str(root)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}: niet in de standaardopmaak; voer 'govsite fmt' uit" in out
    assert str(good) not in out and "x.yaml" not in out
    assert bad.read_text(encoding="utf-8") == MESSY  # --check changes nothing

    assert main(["fmt", "--regions", str(root)]) == 0
    assert "# Het tweede besluit." in bad.read_text(encoding="utf-8")
    assert main(["fmt", "--check", "--regions", str(root)]) == 0
    assert main(["fmt", "--check", "--regions", str(root), str(good)]) == 0


def test_broken_yaml_is_reported_with_place_and_left_alone(tmp_path: Path, capsys):
    (tmp_path / "r").mkdir()
    path = tmp_path / "r" / "region.yaml"
    broken = "name: Regio\nsummary: een: twee\n"
    path.write_text(broken, encoding="utf-8")
    assert main(["fmt", "--regions", str(tmp_path), str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:2:" in err and "error:" in err
    assert path.read_text(encoding="utf-8") == broken


def test_impossible_date_is_kept_as_written():
    text = "since: 2024-02-30  # de validator meldt dit\n"
    assert format_text(text) == text


def test_yaml_files_lists_regions_but_not_hidden(tmp_path: Path):
    (tmp_path / "a" / "agreements").mkdir(parents=True)
    (tmp_path / ".schema").mkdir()
    for name in ("municipalities.yaml", "a/region.yaml", "a/agreements/x.yaml", ".schema/s.yaml", "a/notes.md"):
        (tmp_path / name).write_text("a: 1\n", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in yaml_files(tmp_path)] == [
        "a/agreements/x.yaml", "a/region.yaml", "municipalities.yaml"]


def test_edges_keep_data_and_end_with_one_newline():
    assert format_text("# alleen commentaar\n") == "# alleen commentaar\n"  # never 'null'
    assert format_text("") == ""
    assert format_text("a: 1") == "a: 1\n"
    assert format_text("a: 1\n\n\n") == "a: 1\n"
    assert format_text("---\na: 1\n") == "a: 1\n"


def test_shipped_examples_are_canonical():
    """The pull-request workflow runs `govsite fmt --check`; the examples must pass it as shipped."""
    root = Path(__file__).resolve().parent.parent / "examples"
    outcomes = format_files(yaml_files(root), check=True)
    assert [o.message(True) for o in outcomes if o.status != "canonical"] == []
