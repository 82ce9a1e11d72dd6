"""Every rule of the data format, each with a failing fixture: message, file, line and column.

The fixture region (conftest.py) is valid and complete; each test breaks one thing, either by a
small replacement (line numbers then come from the patched text) or by writing a short file
inline (line numbers are then written out in the test).
"""
from __future__ import annotations

import datetime as dt

import pytest

from conftest import AS_OF, REGION, describe, find


def test_fixture_is_valid_and_complete(regions):
    checked = regions.check()
    assert checked.findings == [], describe(checked.findings)
    assert [r.id for r in checked.regions] == [REGION]


# --- YAML syntax --------------------------------------------------------------------------

def test_duplicate_key(regions):
    regions.replace("region.yaml", "kind: jeugdregio\n", "kind: jeugdregio\nname: Andere naam\n")
    found = regions.error("region.yaml", "'name' komt twee keer voor", line=4, col=1)
    assert "eerder op regel 2" in found.message


def test_duplicate_key_nested(regions):
    regions.replace("region.yaml", "    since: 2019-01-01\n",
                    "    since: 2019-01-01\n    since: 2019-02-01\n")
    line = regions.line("region.yaml", "since: 2019-02-01")
    found = regions.error("region.yaml", "'since' komt twee keer voor", line=line, col=5)
    assert f"eerder op regel {line - 1}" in found.message


def test_tab_indentation(regions):
    regions.replace("region.yaml", "  email: secretariaat@example.org", "\temail: secretariaat@example.org")
    regions.error("region.yaml", "tab", line=regions.line("region.yaml", "email:"), col=1)


def test_tab_after_spaces(regions):
    regions.replace("organisation.yaml", "    reports_to: raden", "  \t  reports_to: raden")
    found = regions.error("organisation.yaml", "Gebruik spaties", line=regions.line("organisation.yaml", "raden"))
    assert found.col == 3


def test_bad_indentation_of_a_key(regions):
    regions.write("region.yaml", """
        id: leidse-regio
        name: Jeugdregio Leidse regio
        contact:
          title: Regiosecretaris
         email: secretariaat@example.org
        """)
    found = regions.error("region.yaml", "inspringen klopt niet", line=5)
    assert found.col >= 1


def test_bad_indentation_of_a_list_item(regions):
    regions.write("finance.yaml", """
        contributions:
          - year: 2026
            shares:
              - municipality: GM0546
                percentage: 50
             - municipality: GM0547
                percentage: 50
        """)
    regions.error("finance.yaml", "inspringen", line=6)


def test_colon_in_unquoted_text(regions):
    regions.replace("region.yaml", "name: Jeugdregio Leidse regio", "name: Jeugdregio: Leidse regio")
    found = regions.error("region.yaml", "Zet de tekst dan tussen aanhalingstekens", line=2)
    assert found.col == len("name: Jeugdregio:")


def test_unclosed_quote(regions):
    regions.replace("region.yaml", 'phone: "+31 71 000 0000"', 'phone: "+31 71 000 0000')
    found = regions.error("region.yaml", "aanhalingsteken")
    assert found.line >= regions.line("region.yaml", "phone:")


def test_undefined_alias(regions):
    regions.replace("region.yaml", "domains: [jeugd, wmo]", "domains: *domeinen")
    regions.error("region.yaml", "geen anker", line=4, col=10)


def test_multiple_documents(regions):
    regions.write("reflection.yaml", """
        discussed: 2025-03-01
        ---
        discussed: 2026-03-01
        """)
    regions.error("reflection.yaml", "meer dan één YAML-document", line=2, col=1)


def test_empty_file(regions):
    regions.write("progress.yaml", "")
    regions.error("progress.yaml", "het bestand is leeg", line=0, col=0)


def test_file_with_only_comments_is_empty(regions):
    regions.write("progress.yaml", "# nog in te vullen\n")
    regions.error("progress.yaml", "het bestand is leeg", line=0)


def test_top_level_list(regions):
    regions.write("reflection.yaml", """
        - discussed: 2025-03-01
        - balances: []
        """)
    found = regions.error("reflection.yaml", "bovenaan het bestand horen velden", line=1, col=1)
    assert "een lijst" in found.message


def test_top_level_text(regions):
    regions.write("reflection.yaml", "Dit is geen YAML met velden.\n")
    regions.error("reflection.yaml", "bovenaan het bestand horen velden", line=1)


def test_not_utf8(regions):
    line = regions.line("region.yaml", "cooperation:")  # the first 'é' of the file is on this line
    regions.write("region.yaml", regions.text("region.yaml").encode("latin-1"))
    found = regions.error("region.yaml", "niet in UTF-8 opgeslagen", line=line, col=1)
    assert "Sla het op als UTF-8" in found.message


def test_utf8_bom_is_accepted(regions):
    regions.write("reflection.yaml", b"\xef\xbb\xbf" + regions.text("reflection.yaml").encode("utf-8"))
    assert regions.errors() == []


def test_nul_character(regions):
    regions.write("reflection.yaml", b"discussed: 2025-03-01\n\x00\n")
    regions.error("reflection.yaml", "nul-teken")


# --- files and folders --------------------------------------------------------------------

def test_missing_region_yaml(regions):
    regions.remove("region.yaml")
    found = regions.error("region.yaml", "region.yaml ontbreekt", line=0, col=0)
    assert f"{REGION}/region.yaml" in found.path.replace("\\", "/")


def test_missing_municipalities_yaml(regions):
    regions.remove("municipalities.yaml")
    found = regions.error("municipalities.yaml", "gemeentelijst municipalities.yaml ontbreekt", line=0)
    assert found.path.endswith("regions/municipalities.yaml")


def test_unknown_file_in_region_folder_with_suggestion(regions):
    regions.write("organisatie.yaml", "bodies: []\n")
    found = regions.error("organisatie.yaml", "onbekend bestand of map 'organisatie.yaml'", line=0)
    assert "Bedoelt u 'organisation.yaml'?" in found.message


def test_unknown_folder_in_region_folder(regions):
    (regions.folder / "bijlagen").mkdir()
    regions.error("bijlagen", "onbekend bestand of map 'bijlagen'")


def test_yml_extension_is_unknown(regions):
    regions.path("reflection.yaml").rename(regions.folder / "reflection.yml")
    found = regions.error("reflection.yml", "onbekend bestand")
    assert "Bedoelt u 'reflection.yaml'?" in found.message


def test_non_yaml_file_in_agreements(regions):
    regions.write("agreements/gr-jeugd.pdf", "%PDF")
    regions.error("agreements/gr-jeugd.pdf", "alleen .yaml-bestanden")


def test_invalid_region_folder_name(regions):
    (regions.root / "Leidse_Regio").mkdir()
    regions.error("Leidse_Regio", "geen geldige regio-id")


def test_region_id_differs_from_folder(regions):
    regions.replace("region.yaml", "id: leidse-regio", "id: leiden-regio")
    regions.error("region.yaml", "moet gelijk zijn aan de mapnaam 'leidse-regio'", line=1, col=5)


def test_agreement_id_differs_from_file_name(regions):
    regions.replace("agreements/gr-jeugd.yaml", "id: gr-jeugd", "id: gr-jeugdhulp")
    found = regions.error("agreements/gr-jeugd.yaml", "moet gelijk zijn aan de bestandsnaam 'gr-jeugd'",
                          line=1, col=5)
    assert "gr-jeugdhulp" in found.message


def test_error_in_one_region_does_not_hide_another(regions):
    other = regions.root / "leidse-regio-2"
    other.mkdir()
    (other / "region.yaml").write_text("id: [\n", encoding="utf-8")
    checked = regions.check()
    assert [f.path.replace("\\", "/").split("/")[-2] for f in checked.errors] == ["leidse-regio-2"]
    assert [r.id for r in checked.regions] == [REGION]  # a sibling's broken file does not block it


# --- wrong types --------------------------------------------------------------------------

def test_text_where_a_list_is_expected(regions):
    regions.replace("region.yaml", "domains: [jeugd, wmo]", "domains: jeugd")
    found = regions.error("region.yaml", "verwacht een lijst", line=4, col=10)
    assert "'domains'" in found.message and "'jeugd'" in found.message


def test_number_where_text_is_expected(regions):
    regions.replace("region.yaml", "name: Jeugdregio Leidse regio", "name: 2015")
    found = regions.error("region.yaml", "verwacht tekst, maar hier staat een getal (2015)", line=2, col=7)
    assert "aanhalingstekens" in found.message


def test_text_where_a_group_is_expected(regions):
    regions.write("accountability.yaml", """
        entry: Met instemming van alle raden.
        exit: Met een jaar opzegtermijn.
        """)
    found = regions.error("accountability.yaml", "verwacht een groep velden", line=2, col=7)
    assert "'exit'" in found.message


def test_text_where_a_number_is_expected(regions):
    regions.replace("decisions.yaml", "within_days: 14", "within_days: veertien")
    regions.error("decisions.yaml", "verwacht een geheel getal, maar hier staat 'veertien'",
                  line=regions.line("decisions.yaml", "within_days"), col=18)


def test_fraction_where_a_whole_number_is_expected(regions):
    regions.replace("accountability.yaml", "term_days: 84", "term_days: 84.5")
    regions.error("accountability.yaml", "verwacht een geheel getal",
                  line=regions.line("accountability.yaml", "term_days"))


def test_text_where_an_amount_is_expected(regions):
    regions.replace("finance.yaml", "        amount: 550000", "        amount: vijf ton")
    regions.error("finance.yaml", "verwacht een getal, maar hier staat 'vijf ton'",
                  line=regions.line("finance.yaml", "vijf ton"), col=17)


def test_text_where_true_or_false_is_expected(regions):
    regions.replace("region.yaml", "kind: jeugdregio\n", "kind: jeugdregio\nexample: misschien\n")
    regions.error("region.yaml", "verwacht true of false", line=4, col=10)


def test_empty_value_where_text_is_required(regions):
    regions.replace("region.yaml", "name: Jeugdregio Leidse regio", "name:")
    regions.error("region.yaml", "hier staat niets", line=2)


def test_negative_number(regions):
    regions.replace("accountability.yaml", "notice_months: 12", "notice_months: -1")
    regions.error("accountability.yaml", "moet minstens 0 zijn",
                  line=regions.line("accountability.yaml", "notice_months"), col=18)


def test_number_too_large(regions):
    regions.replace("reflection.yaml", "    position: 4", "    position: 6")
    regions.error("reflection.yaml", "mag hoogstens 5 zijn", line=regions.line("reflection.yaml", "position: 6"))


def test_empty_title(regions):
    regions.replace("organisation.yaml", "title: Regiosecretaris", 'title: ""')
    regions.error("organisation.yaml", "mag niet leeg zijn", line=regions.line("organisation.yaml", 'title: ""'))


# --- unknown keys -------------------------------------------------------------------------

def test_unknown_key_with_suggestion(regions):
    regions.replace("region.yaml", "  email: secretariaat", "  emial: secretariaat")
    found = regions.error("region.yaml", "onbekend veld 'emial'", line=regions.line("region.yaml", "emial"), col=3)
    assert "Bedoelt u 'email'?" in found.message
    assert "Toegestaan zijn hier: position, title, organisation, email, phone, address" in found.message


def test_unknown_top_level_key(regions):
    regions.replace("region.yaml", "legal_form: openbaar-lichaam", "legalform: openbaar-lichaam")
    found = regions.error("region.yaml", "onbekend veld 'legalform'", line=5, col=1)
    assert "Bedoelt u 'legal_form'?" in found.message
    # the misspelt key also leaves the required field missing
    regions.error("region.yaml", "het verplichte veld 'legal_form' ontbreekt")


def test_unknown_key_in_agreement_article(regions):
    regions.replace("agreements/gr-jeugd.yaml", "        title: Uittreding", "        titel: Uittreding")
    found = regions.error("agreements/gr-jeugd.yaml", "onbekend veld 'titel'",
                          line=regions.line("agreements/gr-jeugd.yaml", "titel"), col=9)
    assert "Bedoelt u 'title'?" in found.message


def test_unknown_key_without_near_match(regions):
    regions.replace("reflection.yaml", "discussed: 2025-03-01", "discussed: 2025-03-01\nxyzzy: 1")
    found = regions.error("reflection.yaml", "onbekend veld 'xyzzy'", line=2, col=1)
    assert "Bedoelt u" not in found.message


# --- dates --------------------------------------------------------------------------------

def test_date_that_does_not_exist(regions):
    regions.replace("region.yaml", "since: 2019-01-01", "since: 2024-02-30")
    regions.error("region.yaml", "'2024-02-30' is geen bestaande datum",
                  line=regions.line("region.yaml", "2024-02-30"), col=12)


def test_quoted_date_that_does_not_exist(regions):
    regions.replace("reflection.yaml", "discussed: 2025-03-01", 'discussed: "2025-02-29"')
    regions.error("reflection.yaml", "'2025-02-29' is geen bestaande datum", line=1, col=12)


@pytest.mark.parametrize("written", ["2019-1-1", "01-01-2019", "1 januari 2019", "2019"])
def test_date_in_the_wrong_format(regions, written):
    regions.replace("region.yaml", "since: 2019-01-01", f"since: {written}")
    found = regions.error("region.yaml", "verwacht een datum als JJJJ-MM-DD",
                          line=regions.line("region.yaml", f"since: {written}"), col=12)
    assert "'members' (item 4) 'since'" in found.message


@pytest.mark.parametrize("written", ["2019-01-01 09:00:00", "2019-01-01T09:00:00Z"])
def test_datetime_instead_of_date(regions, written):
    regions.replace("region.yaml", "since: 2019-01-01", f"since: {written}")
    regions.error("region.yaml", "zonder tijd", line=regions.line("region.yaml", written), col=12)


@pytest.mark.parametrize("written,problem", [
    ('"02-30"', "'02-30'"), ('"4-15"', "'4-15'"), ("2025-04-15", "2025-04-15"), ('"15-04"', "'15-04'"),
])
def test_invalid_annual_date(regions, written, problem):
    regions.replace("accountability.yaml", 'by: "04-15"', f"by: {written}")
    found = regions.error("accountability.yaml", 'verwacht een jaarlijkse datum als "MM-DD"',
                          line=regions.line("accountability.yaml", f"by: {written}"), col=9)
    assert problem in found.message


def test_leap_day_is_a_valid_annual_date(regions):
    regions.replace("accountability.yaml", 'by: "04-15"', 'by: "02-29"')
    assert regions.errors() == []


# --- enums, ids, codes --------------------------------------------------------------------

def test_unknown_enum_value_lists_allowed_values(regions):
    regions.replace("region.yaml", "kind: jeugdregio", "kind: jeugd-regio")
    found = regions.error("region.yaml", "onbekende waarde 'jeugd-regio'", line=3, col=7)
    assert "Bedoelt u 'jeugdregio'?" in found.message
    assert ("Kies uit: jeugdregio, wmo-regio, beschermd-wonen-regio, arbeidsmarktregio, veiligheidsregio, "
            "ggd-regio, rmc-regio, omgevingsdienst, zorgkantoorregio, overig.") in found.message


def test_unknown_enum_value_in_a_list(regions):
    regions.replace("region.yaml", "domains: [jeugd, wmo]", "domains: [jeugd, wmo-jeugd]")
    found = regions.error("region.yaml", "onbekende waarde 'wmo-jeugd'", line=4, col=18)
    assert "Kies uit: jeugd, wmo, beschermd-wonen" in found.message


@pytest.mark.parametrize("file,old,new,allowed", [
    ("organisation.yaml", "role: opdrachtnemer", "role: uitvoerder",
     "eigenaar, opdrachtgever, opdrachtnemer, adviseur, toezichthouder"),
    ("decisions.yaml", "council_role: wensen-en-bedenkingen", "council_role: wensen",
     "geen, informatie, zienswijze, wensen-en-bedenkingen, toestemming, besluit"),
    ("finance.yaml", "key: inwoners", "key: inwonertal", "inwoners, gebruik, vast, solidariteit, mix"),
    ("progress.yaml", "better: lower", "better: lager", "lower, higher"),
    ("progress.yaml", "status: aandacht", "status: op koers", "op-koers, aandacht, achter"),
    ("reflection.yaml", "act: focus-breedte", "act: breedte-focus",
     "inbedding-borging, cocreatie-representatie, focus-breedte, ruimte-kaders, sturen-volgen"),
    ("agreements/gr-jeugd.yaml", "kind: gemeenschappelijke-regeling", "kind: gr", "gemeenschappelijke-regeling"),
    ("accountability.yaml", "kind: informatiebijeenkomst", "kind: raadsavond", "informatiebijeenkomst"),
    ("decisions.yaml", "voting: gewogen", "voting: gewogen stemmen", "unanimiteit, meerderheid, gewogen"),
    ("region.yaml", "role: centrumgemeente", "role: centrum", "centrumgemeente, deelnemer"),
])
def test_unknown_enum_values(regions, file, old, new, allowed):
    regions.replace(file, old, new)
    value = new.split(": ", 1)[1]
    found = regions.error(file, f"onbekende waarde '{value}'", line=regions.line(file, new),
                          col=regions.col(file, value, on_line=new))
    assert allowed in found.message


@pytest.mark.parametrize("written,suggestion", [
    ("Passende Zorg", "passende-zorg"), ("passende_zorg", "passende-zorg"), ("passende--zorg", "passende-zorg"),
    ("-passende-zorg", "passende-zorg"),
])
def test_invalid_id(regions, written, suggestion):
    regions.replace("region.yaml", "    - id: passende-zorg", f'    - id: "{written}"')
    found = regions.error("region.yaml", "is geen geldige id", line=regions.line("region.yaml", written), col=11)
    assert f"bijvoorbeeld '{suggestion}'" in found.message


def test_id_too_long(regions):
    long = "a" * 65
    regions.replace("decisions.yaml", "id: inkoop", f"id: {long}")
    regions.error("decisions.yaml", "te lang; maximaal 64 tekens", line=regions.line("decisions.yaml", long), col=9)


@pytest.mark.parametrize("written", ["GM546", "gm0546", "'0546'", "GM05467", "GM 0546"])
def test_invalid_cbs_code(regions, written):
    regions.replace("region.yaml", "municipality: GM0547", f"municipality: {written}")
    found = regions.error("region.yaml", "is geen CBS-gemeentecode",
                          line=regions.line("region.yaml", f"municipality: {written}"), col=19)
    assert "GM gevolgd door vier cijfers" in found.message


def test_cbs_code_as_number(regions):
    regions.replace("agreements/gr-jeugd.yaml", "parties: members", "parties: [GM0546, 547]")
    regions.error("agreements/gr-jeugd.yaml", "verwacht tekst, maar hier staat een getal (547)", line=4, col=19)


def test_parties_neither_members_nor_list(regions):
    regions.replace("agreements/gr-jeugd.yaml", "parties: members", "parties: alle gemeenten")
    found = regions.error("agreements/gr-jeugd.yaml", "schrijf 'members'", line=4, col=10)
    assert "lijst van CBS-codes" in found.message


# --- missing required fields --------------------------------------------------------------

def test_missing_top_level_field(regions):
    regions.replace("region.yaml", "legal_form: openbaar-lichaam\n", "")
    found = regions.error("region.yaml", "het verplichte veld 'legal_form' ontbreekt", line=1, col=1)
    assert "Juridische vorm" in found.message and "Voeg 'legal_form: ...' toe." in found.message


def test_missing_field_in_a_list_item(regions):
    regions.replace("region.yaml", "    since: 2019-01-01\n", "")
    regions.error("region.yaml", "het verplichte veld 'since' ontbreekt",
                  line=regions.line("region.yaml", "municipality: GM0575"), col=5)


def test_missing_article_text(regions):
    regions.replace("agreements/gr-jeugd.yaml",
                    "        text: Een deelnemer kan uittreden met een opzegtermijn van een jaar.\n", "")
    regions.error("agreements/gr-jeugd.yaml", "het verplichte veld 'text' ontbreekt",
                  line=regions.line("agreements/gr-jeugd.yaml", 'number: "4"'), col=9)


def test_agreement_without_versions(regions):
    regions.write("agreements/gr-jeugd.yaml", """
        id: gr-jeugd
        title: Gemeenschappelijke regeling
        kind: gemeenschappelijke-regeling
        versions: []
        """)
    regions.error("agreements/gr-jeugd.yaml", "minstens 1 item nodig", line=4, col=11)


def test_contact_without_position_or_title(regions):
    regions.replace("region.yaml", "  position: regiosecretaris\n", "")
    found = regions.error("region.yaml", "geef het aanspreekpunt een 'position'", line=regions.line(
        "region.yaml", "organisation: Regionaal"), col=3)
    assert found.message.startswith("'contact':")


def test_missing_contact(regions):
    text = regions.text("region.yaml")
    start, end = text.index("contact:"), text.index("members:")
    regions.write("region.yaml", text[:start] + text[end:])
    regions.error("region.yaml", "het verplichte veld 'contact' ontbreekt", line=1)


# --- Markdown and URLs --------------------------------------------------------------------

@pytest.mark.parametrize("target,scheme", [
    ("javascript:alert(1)", "javascript"),
    ("JaVaScRiPt:alert(1)", "javascript"),
    ("java\\tscript:alert(1)", "javascript"),
    ("<java\\tscript:alert(1)>", "javascript"),
    ("java&#115;cript:alert(1)", "javascript"),
    ("data:text/html;base64,PHNjcmlwdD4=", "data"),
    ("vbscript:msgbox(1)", "vbscript"),
    ("  javascript:alert(1)", "javascript"),
])
def test_unsafe_link_in_markdown(regions, target, scheme):
    # double quotes in YAML so that \t becomes a real tab inside the text
    regions.replace("region.yaml", "  mission: Kinderen en jongeren groeien veilig en gezond op.",
                    f'  mission: "Lees [dit]({target}) eerst."')
    found = regions.error("region.yaml", f"een link met '{scheme}:' is niet toegestaan",
                          line=regions.line("region.yaml", "mission:"), col=12)
    assert "https://, http:// of mailto:" in found.message


@pytest.mark.parametrize("text", [
    "Zie <javascript:alert(1)>.",
    "Zie [de regeling][r].\\n\\n[r]: javascript:alert(1)",
    "Zie [de regeling][r].\\n\\n[r]: java\\tscript:alert(1)",
    "![logo](data:image/svg+xml;base64,AAAA)",
])
def test_unsafe_link_forms(regions, text):
    regions.replace("agreements/gr-jeugd.yaml", "    changes: Eerste versie.", f'    changes: "{text}"')
    regions.error("agreements/gr-jeugd.yaml", "is niet toegestaan",
                  line=regions.line("agreements/gr-jeugd.yaml", "changes: \""), col=14)


def test_safe_links_in_markdown(regions):
    regions.replace("region.yaml", "  mission: Kinderen en jongeren groeien veilig en gezond op.",
                    '  mission: "[a](https://example.org), [b](http://example.org/x_(y)), '
                    '[c](mailto:info@example.org), [d](/relatief), <https://example.org>"')
    assert regions.errors() == []


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", '"java\\tscript:alert(1)"', "data:text/html,x",
    "vbscript:x", "www.example.org", "ftp://example.org/x", "https://", "https:// example.org",
])
def test_unsafe_or_invalid_url_field(regions, url):
    regions.replace("region.yaml", "website: https://example.org/leidse-regio", f"website: {url}")
    found = regions.error("region.yaml", "is geen geldig webadres", line=regions.line("region.yaml", "website:"),
                          col=10)
    assert "https://" in found.message


def test_unsafe_url_in_flow_mapping(regions):
    regions.replace("accountability.yaml", "report: https://example.org/evaluatie-2023.pdf",
                    "report: javascript:alert(1)")
    regions.error("accountability.yaml", "'javascript:alert(1)' is geen geldig webadres",
                  line=regions.line("accountability.yaml", "report:"),
                  col=regions.col("accountability.yaml", "javascript:"))


def test_invalid_email(regions):
    regions.replace("region.yaml", "email: secretariaat@example.org", "email: secretariaat(at)example.org")
    regions.error("region.yaml", "geen geldig e-mailadres", line=regions.line("region.yaml", "email:"), col=10)


# --- versions and numbers -----------------------------------------------------------------

def test_version_number_as_float(regions):
    regions.replace("agreements/gr-jeugd.yaml", 'version: "1.1"', "version: 1.10")
    found = regions.error("agreements/gr-jeugd.yaml", "zet het versienummer tussen aanhalingstekens",
                          line=regions.line("agreements/gr-jeugd.yaml", "version: 1.10"), col=14)
    assert 'zet het versienummer tussen aanhalingstekens: "1.10"' in found.message  # as written, not 1.1


def test_version_number_as_integer_is_accepted(regions):
    regions.replace("agreements/gr-jeugd.yaml", 'version: "2.0"', "version: 2")
    assert regions.errors() == []


def test_article_number_as_float(regions):
    regions.replace("agreements/gr-jeugd.yaml", '      - number: "4"', "      - number: 4.10")
    regions.error("agreements/gr-jeugd.yaml", 'zet het artikelnummer tussen aanhalingstekens: "4.10"',
                  line=regions.line("agreements/gr-jeugd.yaml", "number: 4.10"), col=17)


# --- municipalities.yaml ------------------------------------------------------------------

def test_duplicate_municipality_code(regions):
    regions.write("municipalities.yaml", """
        municipalities:
          - code: GM0546
            name: Leiden
            province: Zuid-Holland
          - code: GM0547
            name: Leiderdorp
            province: Zuid-Holland
          - code: GM0546
            name: Leiden (dubbel)
            province: Zuid-Holland
        """)
    found = regions.error("municipalities.yaml", "gemeentecode 'GM0546' komt twee keer voor", line=8, col=11)
    assert "eerder op regel 2" in found.message


def test_succeeded_by_without_ended(regions):
    regions.replace("municipalities.yaml", "    ended: 2019-01-01\n", "")
    regions.error("municipalities.yaml", "voeg ook 'ended: <datum>' toe",
                  line=regions.line("municipalities.yaml", "succeeded_by"), col=19)


def test_succeeded_by_unknown_municipality(regions):
    regions.replace("municipalities.yaml", "succeeded_by: GM0575", "succeeded_by: GM0574")
    found = regions.error("municipalities.yaml", "opvolger 'GM0574' bestaat niet",
                          line=regions.line("municipalities.yaml", "succeeded_by"), col=19)
    assert "Bedoelt u 'GM0579'?" in found.message  # one of the nearest codes
    assert "Bekend: GM0546, GM0547, GM0575, GM0576, GM0579, GM0638." in found.message


def test_succeeded_by_itself(regions):
    regions.replace("municipalities.yaml", "succeeded_by: GM0575", "succeeded_by: GM0576")
    regions.error("municipalities.yaml", "niet haar eigen opvolger")


def test_municipality_missing_name(regions):
    regions.replace("municipalities.yaml", "    name: Zoeterwoude\n", "")
    regions.error("municipalities.yaml", "het verplichte veld 'name' ontbreekt",
                  line=regions.line("municipalities.yaml", "GM0638"), col=5)


# --- region.yaml: members -----------------------------------------------------------------

def test_until_before_since(regions):
    regions.replace("region.yaml", "    until: 2025-12-31", "    until: 2015-12-31")
    found = regions.error("region.yaml", "'until' (2015-12-31) ligt vóór 'since' (2016-01-01)",
                          line=regions.line("region.yaml", "until: 2015-12-31"), col=12)
    assert "Draai de data om" in found.message


def test_member_municipality_unknown_with_suggestion(regions):
    regions.replace("region.yaml", "municipality: GM0547", "municipality: GM0548")
    found = regions.error("region.yaml", "gemeente GM0548 staat niet in municipalities.yaml",
                          line=regions.line("region.yaml", "GM0548"), col=19)
    assert "Bedoelt u 'GM0547'?" in found.message


def test_member_joined_after_the_municipality_ended(regions):
    regions.replace("region.yaml", "    since: 2015-01-01\n    until: 2018-12-31",
                    "    since: 2019-01-01\n    until: 2019-12-31")
    found = regions.error("region.yaml", "gemeente Noordwijkerhout bestond op 2019-01-01 niet meer",
                          line=regions.line("region.yaml", "until: 2019-12-31") - 1, col=12)
    assert "opgeheven per 2019-01-01" in found.message


def test_membership_continues_past_the_end_of_the_municipality(regions):
    regions.replace("region.yaml", "    until: 2018-12-31\n", "")
    found = regions.error("region.yaml", "gemeente Noordwijkerhout is opgeheven per 2019-01-01",
                          line=regions.line("region.yaml", "GM0576"), col=5)
    assert "'until: 2018-12-31'" in found.message and "opvolger" in found.message


def test_membership_until_the_end_date_itself_is_too_long(regions):
    regions.replace("region.yaml", "    until: 2018-12-31\n", "    until: 2019-01-01\n")
    regions.error("region.yaml", "is opgeheven per 2019-01-01", line=regions.line("region.yaml", "GM0576"))


def test_member_twice_at_overlapping_dates(regions):
    regions.replace("region.yaml", "    since: 2021-01-01\n", "    since: 2020-12-31\n")
    found = regions.error("region.yaml", "gemeente GM0579 is in deze periode al deelnemer",
                          line=regions.line("region.yaml", "since: 2020-12-31") - 1, col=5)
    first = regions.line("region.yaml", "until: 2020-12-31") - 2
    assert f"(regel {first})" in found.message


def test_member_twice_without_end(regions):
    regions.replace("region.yaml", "  - municipality: GM0547\n    since: 2015-01-01\n",
                    "  - municipality: GM0547\n    since: 2015-01-01\n"
                    "  - municipality: GM0547\n    since: 2020-01-01\n")
    regions.error("region.yaml", "gemeente GM0547 is in deze periode al deelnemer")


def test_member_domain_outside_the_region(regions):
    regions.replace("region.yaml", "    domains: [jeugd]", "    domains: [jeugd, onderwijs]")
    found = regions.error("region.yaml", "domein 'onderwijs' hoort niet bij de regio",
                          line=regions.line("region.yaml", "onderwijs"), col=22)
    assert "(domains: jeugd, wmo)" in found.message


def test_fewer_than_two_members(regions):
    text = regions.text("region.yaml")
    start, end = text.index("  - municipality: GM0547"), text.index("vision:")
    regions.write("region.yaml", text[:start] + text[end:])
    regions.error("region.yaml", "'members': hier zijn minstens 2 items nodig",
                  line=regions.line("region.yaml", "- municipality: GM0546"), col=3)


def test_two_periods_of_one_municipality_are_not_two_members(regions):
    text = regions.text("region.yaml")
    start, end = text.index("  - municipality: GM0547"), text.index("vision:")
    only_leiden = text[:start] + "  - { municipality: GM0546, since: 2000-01-01, until: 2009-12-31 }\n" + text[end:]
    regions.write("region.yaml", only_leiden)
    regions.error("region.yaml", "minstens twee verschillende gemeenten",
                  line=regions.line("region.yaml", "- municipality: GM0546"), col=3)


def test_region_without_domains(regions):
    regions.replace("region.yaml", "domains: [jeugd, wmo]", "domains: []")
    regions.error("region.yaml", "'domains': hier is minstens 1 item nodig", line=4, col=10)


def test_duplicate_goal_id(regions):
    regions.replace("region.yaml", "    - id: betaalbare-zorg", "    - id: passende-zorg")
    found = regions.error("region.yaml", "doel 'passende-zorg' komt twee keer voor",
                          line=regions.line("region.yaml", "title: Betaalbare zorg") - 1, col=11)
    assert f"eerder op regel {regions.line('region.yaml', 'title: Passende zorg') - 1}" in found.message


def test_contact_position_unknown_with_suggestion(regions):
    regions.replace("region.yaml", "position: regiosecretaris", "position: regio-secretaris")
    found = regions.error("region.yaml", "positie 'regio-secretaris' bestaat niet in organisation.yaml",
                          line=regions.line("region.yaml", "position:"), col=13)
    assert "Bedoelt u 'regiosecretaris'?" in found.message


def test_contact_position_without_organisation_file(regions):
    regions.remove("organisation.yaml")
    found = find(regions.errors(), "region.yaml", "er is geen organisation.yaml")
    assert found.line == regions.line("region.yaml", "position:")
    assert "Gebruik 'title'" in found.message


def test_founding_agreement_unknown_with_suggestion(regions):
    regions.replace("region.yaml", "founding_agreement: gr-jeugd", "founding_agreement: gr-jeugdhulp")
    found = regions.error("region.yaml", "afspraak 'gr-jeugdhulp' bestaat niet in agreements/", line=6, col=21)
    assert "Bedoelt u 'gr-jeugd'?" in found.message


# --- organisation.yaml --------------------------------------------------------------------

def test_duplicate_body_id(regions):
    regions.replace("organisation.yaml", "  - id: uitvoering", "  - id: db")
    found = regions.error("organisation.yaml", "orgaan 'db' komt twee keer voor",
                          line=regions.line("organisation.yaml", "name: Uitvoeringsorganisatie") - 1, col=9)
    assert f"eerder op regel {regions.line('organisation.yaml', 'name: Dagelijks bestuur') - 1}" in found.message


def test_duplicate_position_id_across_bodies(regions):
    regions.replace("organisation.yaml", "      - id: regiosecretaris", "      - id: voorzitter-ab")
    regions.replace("region.yaml", "position: regiosecretaris", "title: Regiosecretaris")
    regions.error("organisation.yaml", "positie 'voorzitter-ab' komt twee keer voor",
                  line=regions.line("organisation.yaml", "title: Regiosecretaris") - 1, col=13)


@pytest.mark.parametrize("reserved", ["raden", "colleges", "burgemeesters"])
def test_reserved_body_id(regions, reserved):
    regions.replace("organisation.yaml", "  - id: uitvoering", f"  - id: {reserved}")
    regions.replace("decisions.yaml", "prepares: uitvoering", "prepares: db")
    found = regions.error("organisation.yaml", f"'{reserved}' is gereserveerd",
                          line=regions.line("organisation.yaml", f"id: {reserved}"), col=9)
    assert "kies een andere id" in found.message


def test_reports_to_unknown_body(regions):
    regions.replace("organisation.yaml", "    reports_to: ab\n", "    reports_to: abb\n")
    found = regions.error("organisation.yaml", "orgaan 'abb' bestaat niet",
                          line=regions.line("organisation.yaml", "reports_to: abb"), col=17)
    assert "Bedoelt u 'ab'?" in found.message


def test_reports_to_itself(regions):
    line = regions.line("organisation.yaml", "reports_to: ab")  # in the body 'db'
    regions.replace("organisation.yaml", "    reports_to: ab\n", "    reports_to: db\n")
    regions.error("organisation.yaml", "niet aan zichzelf rapporteren", line=line, col=17)


def test_overlapping_holder_periods(regions):
    regions.replace("organisation.yaml", "since: 2026-04-01", "since: 2026-03-31")
    found = regions.error("organisation.yaml", "de termijn van Bram Jansen overlapt met die van Anna de Vries",
                          line=regions.line("organisation.yaml", "name: Bram Jansen"), col=13)
    assert "Laat de ene termijn eindigen" in found.message


def test_holder_until_before_since(regions):
    regions.replace("organisation.yaml", "until: 2027-06-30", "until: 2018-06-30")
    regions.error("organisation.yaml", "'until' (2018-06-30) ligt vóór 'since' (2019-01-01)",
                  line=regions.line("organisation.yaml", "until: 2018-06-30"), col=20)


def test_holder_municipality_unknown(regions):
    regions.replace("organisation.yaml", "municipality: GM0546\n            since: 2026-04-01",
                    "municipality: GM0645\n            since: 2026-04-01")
    found = regions.error("organisation.yaml", "gemeente GM0645 staat niet in municipalities.yaml",
                          line=regions.line("organisation.yaml", "GM0645"), col=27)
    assert "Bedoelt u 'GM0" in found.message


# --- decisions.yaml -----------------------------------------------------------------------

@pytest.mark.parametrize("old,new,value", [
    ("decides: ab", "decides: abb", "abb"),
    ("prepares: uitvoering", "prepares: uitvoeringen", "uitvoeringen"),
    ("consults: [ambtelijk-overleg]", "consults: [ambtelijk-overlag]", "ambtelijk-overlag"),
    ("informs: [raden]", "informs: [raad]", "raad"),
    ("informs: [raden, colleges]", "informs: [raden, college]", "college"),
    ("    body: db", "    body: dbb", "dbb"),
])
def test_dangling_body_reference_in_decisions(regions, old, new, value):
    regions.replace("decisions.yaml", old, new)
    found = regions.error("decisions.yaml", f"orgaan '{value}' bestaat niet in organisation.yaml",
                          line=regions.line("decisions.yaml", new), col=regions.col("decisions.yaml", value))
    assert "Bedoelt u '" in found.message
    assert "Bekend: ab, db, ambtelijk-overleg, uitvoering, secretariaat, raden, colleges, burgemeesters, gedeputeerde-staten" \
        in found.message


def test_collective_body_references_always_resolve(regions):
    regions.write("decisions.yaml", """
        decisions:
          - id: begroting
            topic: Begroting
            decides: raden
            prepares: colleges
            informs: [burgemeesters]
            council_role: besluit
        """)
    assert regions.errors() == []


def test_dangling_agreement_in_basis(regions):
    regions.replace("decisions.yaml", "  agreement: gr-jeugd", "  agreement: gr-jeugt")
    found = regions.error("decisions.yaml", "afspraak 'gr-jeugt' bestaat niet in agreements/",
                          line=regions.line("decisions.yaml", "gr-jeugt"), col=18)
    assert "Bedoelt u 'gr-jeugd'?" in found.message


def test_article_must_exist_in_the_version_in_force(regions):
    # article 4 exists in version 1.1 but not in 2.0, which is in force on AS_OF
    regions.replace("decisions.yaml", 'article: "5"', 'article: "4"')
    found = regions.error("decisions.yaml", "artikel '4' bestaat niet in versie 2.0 van 'gr-jeugd' (de geldende)",
                          line=regions.line("decisions.yaml", "article:"), col=16)
    assert "Bekend: 1, 2, 5." in found.message
    # ... and on a date when 1.1 was in force it is fine, while article 5 did not exist yet
    assert [f for f in regions.errors(on=dt.date(2024, 1, 1))] == []
    regions.replace("decisions.yaml", 'article: "4"', 'article: "5"')
    regions.error("decisions.yaml", "artikel '5' bestaat niet in versie 1.1", on=dt.date(2025, 12, 31))
    assert regions.errors(on=dt.date(2026, 1, 1)) == []


def test_article_with_suggestion(regions):
    regions.replace("decisions.yaml", 'article: "5"', 'article: "5a"')
    found = regions.error("decisions.yaml", "artikel '5a' bestaat niet")
    assert "Bedoelt u '5'?" in found.message


def test_basis_in_an_agreement_without_a_version_in_force(regions):
    regions.replace("agreements/gr-jeugd.yaml", "parties: members", "parties: members\nends: 2026-06-01")
    found = regions.error("decisions.yaml", "afspraak 'gr-jeugd' heeft op 2026-11-26 geen geldende versie",
                          line=regions.line("decisions.yaml", "agreement: gr-jeugd"), col=18)
    assert "vervallen" in found.message


def test_duplicate_decision_id(regions):
    regions.replace("decisions.yaml", "  - id: inkoop", "  - id: begroting")
    regions.error("decisions.yaml", "besluit 'begroting' komt twee keer voor",
                  line=regions.line("decisions.yaml", "topic: Vaststellen van de inkoopstrategie") - 1, col=9)


def test_escalation_steps_with_a_gap(regions):
    regions.write("decisions.yaml", """
        escalation:
          - step: 1
            body: ambtelijk-overleg
            action: Bespreken.
          - step: 3
            body: db
            action: Bemiddelen.
        """)
    regions.error("decisions.yaml", "doorlopend genummerd zijn vanaf 1; hier verwacht: 2", line=5, col=11)


def test_escalation_steps_not_starting_at_one(regions):
    regions.write("decisions.yaml", """
        escalation:
          - step: 2
            body: ambtelijk-overleg
            action: Bespreken.
        """)
    regions.error("decisions.yaml", "hier verwacht: 1", line=2, col=11)


def test_escalation_step_zero(regions):
    regions.replace("decisions.yaml", "  - step: 1", "  - step: 0")
    regions.error("decisions.yaml", "moet minstens 1 zijn", line=regions.line("decisions.yaml", "step: 0"), col=11)


def test_escalation_step_with_body_and_title(regions):
    regions.replace("decisions.yaml", "    body: db\n", "    body: db\n    title: Dagelijks bestuur\n")
    found = regions.error("decisions.yaml", "óf 'body' (een orgaan) óf 'title'",
                          line=regions.line("decisions.yaml", "step: 2"), col=5)
    assert "niet allebei" in found.message


def test_escalation_step_without_body_or_title(regions):
    regions.replace("decisions.yaml", "    body: gedeputeerde-staten\n", "")
    found = regions.error("decisions.yaml", "óf 'body' (een orgaan) óf 'title'",
                          line=regions.line("decisions.yaml", "step: 3"), col=5)
    assert "'escalation' (item 3)" in found.message


# --- accountability.yaml ------------------------------------------------------------------

def test_dangling_planning_cycle_recipient(regions):
    regions.replace("accountability.yaml", "    to: [raden]\n    by: \"01-15\"", "    to: [radenn]\n    by: \"01-15\"")
    found = regions.error("accountability.yaml", "orgaan 'radenn' bestaat niet",
                          line=regions.line("accountability.yaml", "radenn"), col=10)
    assert "Bedoelt u 'raden'?" in found.message


def test_dangling_information_recipient(regions):
    regions.replace("accountability.yaml", "    to: [raden]\n    frequency", "    to: [dagelijks-bestuur]\n    frequency")
    regions.error("accountability.yaml", "orgaan 'dagelijks-bestuur' bestaat niet",
                  line=regions.line("accountability.yaml", "dagelijks-bestuur"), col=10)


def test_next_evaluation_not_after_last(regions):
    regions.replace("accountability.yaml", "next: 2027-06-01", "next: 2023-06-01")
    regions.error("accountability.yaml", "de volgende evaluatie ligt niet na de laatste",
                  line=regions.line("accountability.yaml", "next:"), col=9)


# --- finance.yaml -------------------------------------------------------------------------

FINANCE_2026 = """
    allocation:
      key: inwoners
    contributions:
      - year: 2026
        budget: 1000000
        shares:
          - municipality: GM0546
            amount: 600000
            percentage: 60
          - municipality: GM0547
            amount: 300000
            percentage: 30
          - municipality: GM0575
            amount: 100000
            percentage: 10
    """


def test_valid_inline_finance(regions):
    regions.write("finance.yaml", FINANCE_2026)
    assert regions.findings() == []


def test_percentages_do_not_add_up_to_100(regions):
    regions.write("finance.yaml", FINANCE_2026.replace("percentage: 10", "percentage: 10.2"))
    regions.error("finance.yaml", "de percentages van 2026 tellen op tot 100.20, niet tot 100", line=6, col=5)


def test_percentages_within_a_tenth_are_accepted(regions):
    regions.write("finance.yaml", FINANCE_2026.replace("percentage: 10", "percentage: 10.09"))
    assert regions.errors() == []


def test_amounts_do_not_add_up_to_the_budget(regions):
    regions.write("finance.yaml", FINANCE_2026.replace("budget: 1000000", "budget: 1100000"))
    found = regions.error("finance.yaml", "de bijdragen van 2026 tellen op tot 1.000.000 euro", line=5, col=13)
    assert "de begroting is 1.100.000 euro" in found.message


def test_share_for_a_municipality_that_was_no_member_that_year(regions):
    # Zoeterwoude left at the end of 2025
    regions.write("finance.yaml", FINANCE_2026.replace("GM0575", "GM0638"))
    found = regions.error("finance.yaml", "gemeente GM0638 was in 2026 geen deelnemer van de regio",
                          line=13, col=23)
    assert "members in region.yaml" in found.message


def test_share_for_a_municipality_that_left_during_the_year_is_accepted(regions):
    regions.replace("region.yaml", "until: 2025-12-31", "until: 2026-06-30")
    regions.write("finance.yaml", FINANCE_2026.replace("GM0575", "GM0638"))
    assert regions.errors() == []


def test_share_for_an_unknown_municipality_with_suggestion(regions):
    regions.write("finance.yaml", FINANCE_2026.replace("GM0575", "GM0565"))
    found = regions.error("finance.yaml", "gemeente GM0565 staat niet in municipalities.yaml", line=13, col=23)
    assert "Bedoelt u 'GM0" in found.message
    assert "geen deelnemer" not in " ".join(f.message for f in regions.errors())


def test_share_without_amount_and_percentage(regions):
    regions.write("finance.yaml", FINANCE_2026.replace("amount: 100000\n", "").replace("percentage: 10\n", "")
                  .replace("            \n", ""))
    found = regions.error("finance.yaml", "geef een 'amount'", line=13, col=9)
    assert "of een 'percentage'" in found.message


def test_duplicate_contribution_year(regions):
    regions.replace("finance.yaml", "  - year: 2025", "  - year: 2026")
    second = [i for i, t in enumerate(regions.text("finance.yaml").splitlines(), 1) if "year: 2026" in t][1]
    found = regions.error("finance.yaml", "jaar '2026' komt twee keer voor", line=second, col=11)
    assert "eerder op regel 5" in found.message


def test_duplicate_share_in_a_year(regions):
    regions.write("finance.yaml", FINANCE_2026.replace("GM0575", "GM0547"))
    found = regions.error("finance.yaml", "gemeente 'GM0547' komt twee keer voor", line=13, col=23)
    assert "eerder op regel 10" in found.message


def test_negative_amount(regions):
    regions.write("finance.yaml", FINANCE_2026.replace("amount: 100000", "amount: -100000"))
    regions.error("finance.yaml", "'amount': moet minstens 0 zijn, niet -100000", line=14, col=17)


# --- progress.yaml ------------------------------------------------------------------------

def test_dangling_goal_in_indicator(regions):
    regions.replace("progress.yaml", "    goal: passende-zorg\n    title", "    goal: passende-hulp\n    title")
    found = regions.error("progress.yaml", "doel 'passende-hulp' bestaat niet in region.yaml (vision.goals)",
                          line=regions.line("progress.yaml", "passende-hulp"), col=11)
    assert "Bedoelt u 'passende-zorg'?" in found.message


def test_dangling_goal_in_update(regions):
    regions.replace("progress.yaml", "    goal: passende-zorg\n    status", "    goal: betaalbare-zorgen\n    status")
    found = regions.error("progress.yaml", "doel 'betaalbare-zorgen' bestaat niet",
                          line=regions.line("progress.yaml", "betaalbare-zorgen"), col=11)
    assert "Bedoelt u 'betaalbare-zorg'?" in found.message


def test_goal_reference_without_vision(regions):
    text = regions.text("region.yaml")
    regions.write("region.yaml", text[: text.index("vision:")])
    found = [f for f in regions.errors() if "doel 'passende-zorg' bestaat niet" in f.message]
    assert [(f.path.endswith("progress.yaml"), f.line, f.col) for f in found] == [(True, 3, 11), (True, 13, 11)]


def test_duplicate_indicator_id(regions):
    regions.write("progress.yaml", """
        indicators:
          - id: wachttijd
            goal: passende-zorg
            title: Wachttijd
            better: lower
          - id: wachttijd
            goal: betaalbare-zorg
            title: Kosten per jeugdige
            better: lower
        """)
    found = regions.error("progress.yaml", "indicator 'wachttijd' komt twee keer voor", line=6, col=9)
    assert "eerder op regel 2" in found.message


def test_measurement_value_not_a_number(regions):
    regions.replace("progress.yaml", "value: 8 }", "value: acht }")
    regions.error("progress.yaml", "verwacht een getal, maar hier staat 'acht'",
                  line=regions.line("progress.yaml", "value: acht"),
                  col=regions.col("progress.yaml", "acht", on_line="value: acht"))


# --- reflection.yaml ----------------------------------------------------------------------

def test_duplicate_balance(regions):
    regions.write("reflection.yaml", """
        discussed: 2025-03-01
        balances:
          - act: focus-breedte
            position: 2
          - act: focus-breedte
            position: 4
        """)
    regions.error("reflection.yaml", "balans 'focus-breedte' komt twee keer voor", line=5, col=10)


# --- agreements ---------------------------------------------------------------------------

def test_duplicate_version(regions):
    regions.replace("agreements/gr-jeugd.yaml", 'version: "1.1"', 'version: "1.0"')
    found = regions.error("agreements/gr-jeugd.yaml", "versie '1.0' komt twee keer voor",
                          line=regions.line("agreements/gr-jeugd.yaml", "adopted: 2018-11-15") - 1, col=14)
    assert "eerder op regel 6" in found.message


def test_duplicate_article_within_a_version(regions):
    regions.replace("agreements/gr-jeugd.yaml", '      - number: "5"', '      - number: "2"')
    regions.error("agreements/gr-jeugd.yaml", "artikelnummer '2' komt twee keer voor",
                  line=regions.line("agreements/gr-jeugd.yaml", "na de zienswijzen") - 2, col=17)


def test_same_article_number_in_different_versions_is_fine(regions):
    assert regions.text("agreements/gr-jeugd.yaml").count('number: "1"') == 3
    assert regions.errors() == []


def test_versions_effective_dates_must_increase(regions):
    regions.replace("agreements/gr-jeugd.yaml", "effective: 2019-01-01", "effective: 2015-01-01")
    regions.replace("agreements/gr-jeugd.yaml", "adopted: 2018-11-15", "adopted: 2014-11-15")
    found = find(regions.errors(), "agreements/gr-jeugd.yaml", "later in werking treden dan de vorige")
    lines = [i for i, t in enumerate(regions.text("agreements/gr-jeugd.yaml").splitlines(), 1)
             if "effective: 2015-01-01" in t]
    assert (found.line, found.col) == (lines[1], 16)


def test_versions_in_the_wrong_order(regions):
    regions.replace("agreements/gr-jeugd.yaml", "effective: 2026-01-01", "effective: 2018-01-01")
    regions.replace("agreements/gr-jeugd.yaml", "adopted: 2025-10-30", "adopted: 2017-10-30")
    regions.error("agreements/gr-jeugd.yaml", "zet de versies op volgorde, oudste eerst",
                  line=regions.line("agreements/gr-jeugd.yaml", "effective: 2018-01-01"), col=16)


def test_adopted_after_effective(regions):
    regions.replace("agreements/gr-jeugd.yaml", "adopted: 2025-10-30", "adopted: 2026-01-02")
    regions.error("agreements/gr-jeugd.yaml", "vastgesteld op 2026-01-02, na de inwerkingtreding (2026-01-01)",
                  line=regions.line("agreements/gr-jeugd.yaml", "adopted: 2026-01-02"), col=14)


def test_adopted_on_the_effective_date_is_fine(regions):
    regions.replace("agreements/gr-jeugd.yaml", "adopted: 2025-10-30", "adopted: 2026-01-01")
    assert regions.errors() == []


def test_dangling_adopted_by(regions):
    regions.replace("agreements/gr-jeugd.yaml", "adopted_by: [ab]", "adopted_by: [ab, raaden]")
    found = regions.error("agreements/gr-jeugd.yaml", "orgaan 'raaden' bestaat niet",
                          line=regions.line("agreements/gr-jeugd.yaml", "raaden"), col=22)
    assert "Bedoelt u 'raden'?" in found.message and "Bekend: ab, db," in found.message


def test_agreement_parties_unknown_municipality(regions):
    regions.replace("agreements/gr-jeugd.yaml", "parties: members", "parties: [GM0546, GM0574]")
    found = regions.error("agreements/gr-jeugd.yaml", "gemeente GM0574 staat niet in municipalities.yaml",
                          line=4, col=19)
    assert "Bedoelt u 'GM0" in found.message


def test_agreement_ends_before_first_version(regions):
    regions.replace("agreements/gr-jeugd.yaml", "parties: members", "parties: members\nends: 2014-12-31")
    regions.replace("region.yaml", "founding_agreement: gr-jeugd\n", "")
    regions.error("agreements/gr-jeugd.yaml", "vervalt voordat de eerste versie in werking treedt", line=5, col=7)


# --- only valid regions are built ---------------------------------------------------------

def test_region_with_errors_is_not_built_but_reported(regions):
    regions.replace("decisions.yaml", "decides: ab", "decides: abb")
    checked = regions.check()
    assert checked.regions == []
    assert [f.severity for f in checked.findings] == ["error"]  # no gaps for a region that is not built


def test_findings_are_sorted_and_unique(regions):
    regions.replace("decisions.yaml", "council_role: zienswijze", "council_role: zienswijs")
    regions.replace("region.yaml", "kind: jeugdregio", "kind: jeugd")
    findings = regions.findings()
    assert findings == sorted(set(findings))
    assert len(findings) == 2


def test_only_named_regions_are_checked(regions):
    other = regions.root / "andere-regio"
    other.mkdir()
    (other / "region.yaml").write_text("id: [\n", encoding="utf-8")
    assert regions.check(REGION).findings == []
    assert regions.check("andere-regio").errors
    assert regions.check().errors


def test_as_of_is_used_not_today(regions):
    # on AS_OF the fixture is complete; a year later the evaluation is overdue
    assert regions.findings(on=AS_OF) == []
    assert find(regions.findings(on=dt.date(2028, 1, 1)), "accountability.yaml", "te laat", severity="gap")


def test_placeholder_left_by_govsite_new_is_a_gap(regions):
    text = regions.text("region.yaml")
    summary_line = next(line for line in text.splitlines() if line.startswith("summary:"))
    regions.replace("region.yaml", summary_line, "summary: INVULLEN korte beschrijving")
    assert regions.errors() == []
    gap = find(regions.gaps(), "region.yaml", "hier staat nog 'INVULLEN'", severity="gap")
    assert gap.line == regions.line("region.yaml", "summary: INVULLEN")
