"""Shared fixtures: a small, complete and valid regions folder, and helpers to break it.

The fixture region ("leidse-regio") has every file kind and is complete on AS_OF: the validator
reports no errors and the completeness check no gaps. Tests change one file (inline YAML or a
small text replacement) and assert on the findings: message, file, line and column.

Every test uses the fixed date AS_OF; nothing depends on today's date.
"""
from __future__ import annotations

import datetime as dt
import os
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from generator.domain.findings import Finding
from generator.domain.model import RegionState
from generator.pipeline import Checked, check

AS_OF = dt.date(2026, 11, 26)
REGION = "leidse-regio"

# Hypothesis: quick by default; HYPOTHESIS_PROFILE=fuzz for long runs.
settings.register_profile(
    "default", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "fuzz", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def yaml_text(text: str) -> str:
    """Inline YAML in a test: dedented, without the first empty line. Line 1 is the first line."""
    return textwrap.dedent(text).lstrip("\n")


MUNICIPALITIES = yaml_text("""
    municipalities:
      - code: GM0546
        name: Leiden
        province: Zuid-Holland
        inhabitants: 128000
      - code: GM0547
        name: Leiderdorp
        province: Zuid-Holland
        inhabitants: 28000
      - code: GM0575
        name: Noordwijk
        province: Zuid-Holland
        inhabitants: 44000
      - code: GM0576
        name: Noordwijkerhout
        province: Zuid-Holland
        ended: 2019-01-01
        succeeded_by: GM0575
      - code: GM0579
        name: Oegstgeest
        province: Zuid-Holland
        inhabitants: 26000
      - code: GM0638
        name: Zoeterwoude
        province: Zuid-Holland
        inhabitants: 8500
    """)

REGION_YAML = yaml_text("""
    id: leidse-regio
    name: Jeugdregio Leidse regio
    kind: jeugdregio
    domains: [jeugd, wmo]
    legal_form: openbaar-lichaam
    founding_agreement: gr-jeugd
    summary: >
      In de Leidse regio werken gemeenten samen aan **jeugdhulp** en Wmo.
      Lees meer op [de website](https://example.org/leidse-regio).
    website: https://example.org/leidse-regio
    contact:
      position: regiosecretaris
      organisation: Regionaal secretariaat
      email: secretariaat@example.org
      phone: "+31 71 000 0000"
      address: Stationsweg 1, 2312 AV Leiden
    members:
      - municipality: GM0546
        since: 2015-01-01
        role: centrumgemeente
      - municipality: GM0547
        since: 2015-01-01
      - municipality: GM0576
        since: 2015-01-01
        until: 2018-12-31
        note: Opgegaan in Noordwijk.
      - municipality: GM0575
        since: 2019-01-01
      - municipality: GM0579
        since: 2015-01-01
        until: 2020-12-31
      - municipality: GM0579
        since: 2021-01-01
        domains: [jeugd]
        note: Oegstgeest doet sinds 2021 alleen mee voor jeugd.
      - municipality: GM0638
        since: 2016-01-01
        until: 2025-12-31
        note: Zoeterwoude is per 2026 uitgetreden.
    vision:
      mission: Kinderen en jongeren groeien veilig en gezond op.
      cooperation: Samen regelen wat één gemeente niet alleen kan.
      approach: Eén regionale inkoop, toegang in elke gemeente.
      goals:
        - id: passende-zorg
          title: Passende zorg dichtbij
          description: Hulp zo dicht mogelijk bij huis.
        - id: betaalbare-zorg
          title: Betaalbare zorg
    """)

ORGANISATION = yaml_text("""
    bodies:
      - id: ab
        name: Algemeen bestuur
        kind: algemeen-bestuur
        role: eigenaar
        composition: Eén wethouder per deelnemende gemeente.
        voting: gewogen
        meets: Vier keer per jaar
        reports_to: raden
        positions:
          - id: voorzitter-ab
            title: Voorzitter
            holders:
              - name: Anna de Vries
                municipality: GM0546
                since: 2022-06-01
                until: 2026-03-31
              - name: Bram Jansen
                municipality: GM0546
                since: 2026-04-01
      - id: db
        name: Dagelijks bestuur
        kind: dagelijks-bestuur
        role: opdrachtgever
        voting: meerderheid
        reports_to: ab
      - id: ambtelijk-overleg
        name: Ambtelijk overleg
        kind: ambtelijk-overleg
        role: adviseur
        reports_to: db
      - id: uitvoering
        name: Uitvoeringsorganisatie
        kind: uitvoeringsorganisatie
        role: opdrachtnemer
        reports_to: db
      - id: secretariaat
        name: Regionaal secretariaat
        kind: secretariaat
        role: adviseur
        reports_to: db
        positions:
          - id: regiosecretaris
            title: Regiosecretaris
            holders:
              - name: Carla Smit
                since: 2019-01-01
                until: 2027-06-30
    """)

DECISIONS = yaml_text("""
    decisions:
      - id: begroting
        topic: Vaststellen van de begroting
        description: Het algemeen bestuur stelt de begroting vast.
        decides: ab
        prepares: db
        consults: [ambtelijk-overleg]
        informs: [raden]
        council_role: zienswijze
        voting: gewogen
        basis:
          agreement: gr-jeugd
          article: "5"
        when: Jaarlijks, vóór 1 augustus
      - id: inkoop
        topic: Vaststellen van de inkoopstrategie
        decides: db
        prepares: uitvoering
        informs: [raden, colleges]
        council_role: wensen-en-bedenkingen
    escalation:
      - step: 1
        body: ambtelijk-overleg
        action: Bespreken en zoeken naar een oplossing.
        within_days: 14
      - step: 2
        body: db
        action: Het dagelijks bestuur bemiddelt.
      - step: 3
        body: gedeputeerde-staten
        action: Het geschil gaat naar Gedeputeerde Staten.
    """)

ACCOUNTABILITY = yaml_text("""
    information:
      - instrument: Kwartaalrapportage
        to: [raden]
        frequency: Per kwartaal
    council_instruments:
      - kind: zienswijze
        subject: Ontwerpbegroting
        applies_to: ontwerpbegroting
        term_days: 84
        description: De raden hebben twaalf weken voor hun zienswijze.
      - kind: informatiebijeenkomst
        subject: Regionale raadsavond
    planning_cycle:
      - document: Kaderbrief
        to: [raden]
        by: "01-15"
      - document: Ontwerpbegroting
        to: [raden]
        by: "04-15"
    evaluation:
      every_years: 4
      last: { date: 2023-06-01, report: https://example.org/evaluatie-2023.pdf, outcome: Positief. }
      next: 2027-06-01
    entry: Een gemeente treedt toe met instemming van alle raden.
    exit:
      notice_months: 12
      conditions: Uittreden kan per 1 januari, na een jaar opzegtermijn.
      costs: De uittredende gemeente betaalt de frictiekosten.
      assets: De uittredende gemeente krijgt haar deel van de reserves en draagt haar deel van de schulden.
    participation: Inwoners praten mee in een klankbordgroep jeugd.
    liability: Deelnemers staan naar rato van inwoners in voor tekorten.
    """)

FINANCE = yaml_text("""
    allocation:
      key: inwoners
      description: Naar rato van het aantal inwoners.
    contributions:
      - year: 2025
        budget: 1000000
        shares:
          - municipality: GM0546
            amount: 500000
            percentage: 50
          - municipality: GM0547
            amount: 150000
            percentage: 15
          - municipality: GM0575
            amount: 150000
            percentage: 15
          - municipality: GM0579
            amount: 150000
            percentage: 15
          - municipality: GM0638
            amount: 50000
            percentage: 5
      - year: 2026
        budget: 1000000
        shares:
          - municipality: GM0546
            amount: 550000
            percentage: 55
          - municipality: GM0547
            amount: 150000
            percentage: 15
          - municipality: GM0575
            amount: 150000
            percentage: 15
          - municipality: GM0579
            amount: 150000
            percentage: 15
    """)

PROGRESS = yaml_text("""
    indicators:
      - id: wachttijd
        goal: passende-zorg
        title: Gemiddelde wachttijd jeugd-GGZ
        unit: weken
        target: 6
        better: lower
        measurements:
          - { date: 2024-12-31, value: 9, source: https://example.org/cijfers }
          - { date: 2025-12-31, value: 8 }
    updates:
      - date: 2026-03-01
        goal: passende-zorg
        status: aandacht
        text: De wachttijd daalt, maar langzaam.
    """)

REFLECTION = yaml_text("""
    discussed: 2025-03-01
    balances:
      - act: inbedding-borging
        position: 2
        note: Stevig geregeld.
      - act: cocreatie-representatie
        position: 3
      - act: focus-breedte
        position: 2
      - act: ruimte-kaders
        position: 3
      - act: sturen-volgen
        position: 4
    questions:
      - question: Doen we de goede dingen?
        answer: Grotendeels wel.
    """)

AGREEMENT = yaml_text("""
    id: gr-jeugd
    title: Gemeenschappelijke regeling Jeugd Leidse regio
    kind: gemeenschappelijke-regeling
    parties: members
    versions:
      - version: "1.0"
        adopted: 2014-11-20
        adopted_by: [raden]
        effective: 2015-01-01
        publication: https://example.org/gr-jeugd-1-0
        changes: Eerste versie.
        articles:
          - number: "1"
            title: Begripsbepalingen
            text: In deze regeling staat *deelnemer* voor een gemeente die meedoet.
          - number: "2"
            title: Algemeen bestuur
            text: Elke deelnemer wijst één wethouder aan.
          - number: "3"
            title: Begroting
            text: Het algemeen bestuur stelt de begroting vast.
      - version: "1.1"
        adopted: 2018-11-15
        adopted_by: [raden]
        effective: 2019-01-01
        changes: Noordwijk neemt de plaats van Noordwijkerhout in.
        articles:
          - number: "1"
            title: Begripsbepalingen
            text: In deze regeling staat *deelnemer* voor een gemeente die meedoet.
          - number: "2"
            title: Algemeen bestuur
            text: Elke deelnemer wijst één wethouder aan.
          - number: "3"
            title: Begroting
            text: Het algemeen bestuur stelt de begroting vast.
          - number: "4"
            title: Uittreding
            text: Een deelnemer kan uittreden met een opzegtermijn van een jaar.
      - version: "2.0"
        adopted: 2025-10-30
        adopted_by: [ab]
        effective: 2026-01-01
        changes: Herziening; de begroting staat nu in artikel 5.
        articles:
          - number: "1"
            title: Begripsbepalingen
            text: In deze regeling staat *deelnemer* voor een gemeente die meedoet.
          - number: "2"
            title: Algemeen bestuur
            text: Elke deelnemer wijst één wethouder aan.
          - number: "5"
            title: Begroting
            text: Het algemeen bestuur stelt de begroting vast na de zienswijzen van de raden.
    """)

# File name (relative to the region folder; municipalities.yaml relative to the regions folder).
FILES = {
    "municipalities.yaml": MUNICIPALITIES,
    "region.yaml": REGION_YAML,
    "organisation.yaml": ORGANISATION,
    "decisions.yaml": DECISIONS,
    "accountability.yaml": ACCOUNTABILITY,
    "finance.yaml": FINANCE,
    "progress.yaml": PROGRESS,
    "reflection.yaml": REFLECTION,
    "agreements/gr-jeugd.yaml": AGREEMENT,
}


def describe(findings: list[Finding]) -> str:
    return "\n".join(f.format() for f in findings) or "(geen bevindingen)"


def find(findings: list[Finding], file: str, text: str, severity: str | None = None) -> Finding:
    """The one finding in `file` whose message contains `text` (fails with all findings listed)."""
    hits = [f for f in findings if f.path.replace(os.sep, "/").endswith(file) and text in f.message
            and (severity is None or f.severity == severity)]
    assert hits, f"no finding in {file!r} containing {text!r}; found:\n{describe(findings)}"
    assert len(hits) == 1, f"more than one finding in {file!r} containing {text!r}:\n{describe(hits)}"
    return hits[0]


class RegionsDir:
    """A regions folder in tmp_path with the fixture region; change a file and check it."""

    def __init__(self, root: Path):
        self.root = root
        self.folder = root / REGION
        for name, text in FILES.items():
            self.write(name, text)

    def path(self, name: str) -> Path:
        return self.root / name if name == "municipalities.yaml" else self.folder / name

    def text(self, name: str) -> str:
        return self.path(name).read_text(encoding="utf-8")

    def write(self, name: str, text: str | bytes) -> Path:
        """Overwrite one file; text is dedented so that tests can write inline YAML."""
        path = self.path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        # A new file rather than an overwritten one: truncating a file makes some file systems
        # (ext4 with auto_da_alloc) flush to disk, about ten times slower.
        path.unlink(missing_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else yaml_text(text).encode("utf-8"))
        return path

    def replace(self, name: str, old: str, new: str) -> Path:
        """Patch one file: `old` must occur exactly once, so a patch never silently does nothing."""
        text = self.text(name)
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
        return self.write(name, text.replace(old, new).encode("utf-8"))

    def remove(self, name: str) -> None:
        path = self.path(name)
        if path.is_dir():
            for child in path.iterdir():
                child.unlink()
            path.rmdir()
        else:
            path.unlink()

    def line(self, name: str, needle: str) -> int:
        """The 1-based number of the one line of a file that contains `needle`."""
        lines = [i for i, text in enumerate(self.text(name).splitlines(), start=1) if needle in text]
        assert len(lines) == 1, f"{needle!r} is on lines {lines} of {name}"
        return lines[0]

    def col(self, name: str, needle: str, on_line: str | None = None) -> int:
        """The 1-based column where `needle` starts on its line (the line containing `on_line`)."""
        text = self.text(name).splitlines()[self.line(name, on_line or needle) - 1]
        return text.index(needle) + 1

    # --- running the pipeline ------------------------------------------------------------

    def check(self, *only: str, on: dt.date = AS_OF) -> Checked:
        return check(self.root, list(only) or None, on)

    def findings(self, on: dt.date = AS_OF) -> list[Finding]:
        return self.check(on=on).findings

    def errors(self, on: dt.date = AS_OF) -> list[Finding]:
        return [f for f in self.findings(on) if f.severity == "error"]

    def gaps(self, on: dt.date = AS_OF) -> list[Finding]:
        return [f for f in self.findings(on) if f.severity == "gap"]

    def error(self, file: str, text: str, line: int | None = None, col: int | None = None,
              on: dt.date = AS_OF) -> Finding:
        """Check, and assert there is one error in `file` containing `text` (at line and col)."""
        found = find(self.findings(on), file, text, severity="error")
        if line is not None:
            assert found.line == line, f"expected line {line}: {found.format()}"
        if col is not None:
            assert found.col == col, f"expected column {col}: {found.format()}"
        return found

    def state(self, on: dt.date = AS_OF, *, checked_on: dt.date = AS_OF) -> RegionState:
        """The region's state on a date; the data must be free of errors."""
        checked = self.check(on=checked_on)
        assert not checked.errors, describe(checked.errors)
        (region,) = [r for r in checked.regions if r.id == REGION]
        return region.state(on)


@pytest.fixture
def regions(tmp_path: Path) -> RegionsDir:
    return RegionsDir(tmp_path / "regions")


@pytest.fixture(scope="session", autouse=True)
def _own_cache_folders(tmp_path_factory):
    """The build's caches and the key that seals them in folders of this test session, never the
    user's own (~/.cache/govsite, ~/.local/state/govsite): set in the environment (public interface),
    so that the commands run in subprocesses use them too."""
    base = tmp_path_factory.mktemp("user")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(base / "cache"))
        patch.setenv("XDG_STATE_HOME", str(base / "state"))
        patch.delenv("GOVSITE_CACHE", raising=False)
        yield base
