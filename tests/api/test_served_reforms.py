"""``openfisca-sp serve --reform``: a ministry serves the law with a proposed reform (a real server), each answer
naming the reforms its law carries; the other jurisdictions answer as the law is."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from openfisca_sp import tax_benefit_system
from openfisca_sp.reforms import reformed
from tests.api.server import Server, start

BIN = Path(sys.executable).parent
# Lao PDR: 7 months of contributions before a live birth; the law asks 9, the C183 reform 6
MOTHER = {
    "sex": "female",
    "birth_date": "1994-09-30",
    "contribution_months": 7,
    "pregnancy_outcome": "live_birth",
    "child_birth_date": "2026-05-28",
    "number_of_children_born": 1,
    "insured_wage": {month: 3_000_000 for month in ("2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04")},
}


@pytest.fixture(scope="module")
def reformed_server() -> Iterator[Server]:
    server = start("--reform", "lao_maternity_c183")
    yield server
    server.stop()


def _maternity(server: Server, prefix: str = "") -> tuple[dict, dict]:
    with server.client() as client:
        answer = client.post(
            f"{prefix}/eligibility", json={"as_of": "2026-06-15", "persons": [MOTHER], "branches": ["maternity"]}
        )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    return body["persons"][0]["benefits"]["maternity"], {"rules": body["rules"], "headers": answer.headers}


def test_the_reformed_law_decides_and_every_answer_names_its_reforms(reformed_server: Server) -> None:
    for prefix in ("", "/lao"):
        decision, version = _maternity(reformed_server, prefix)
        assert (decision["decision"], decision["amount"]) == ("eligible", 2_400_000)  # 7 months: enough under C183
        assert version["rules"]["reforms"] == ["lao_maternity_c183"]
        assert version["headers"]["openfisca-sp-reforms"] == "lao_maternity_c183"
    decision, version = _maternity(reformed_server, "/vnm")  # not a Lao reform: Viet Nam's law as it is
    assert "reforms" not in version["rules"] and "openfisca-sp-reforms" not in version["headers"]
    month = "2026-05"
    person = {
        "sex": {"ETERNITY": "female"},
        "birth_date": {"ETERNITY": "1994-09-30"},
        "child_birth_date": {month: "2026-05-28"},
        "contribution_months": {month: 7},
        "pregnancy_outcome": {month: "live_birth"},
        "number_of_children_born": {month: 1},
        "insured_wage": MOTHER["insured_wage"],
        "maternity_benefit_eligible": {month: None},
    }
    with reformed_server.client() as client:
        calculated = client.post("/calculate", json={"persons": {"m": person}})
        ready = client.get("/ready").json()
    assert calculated.status_code == 200, calculated.text
    assert calculated.json()["persons"]["m"]["maternity_benefit_eligible"][month] is True
    assert calculated.headers["openfisca-sp-reforms"] == "lao_maternity_c183"
    lao = next(rules for rules in ready["rules"] if rules["jurisdiction"] == "lao")
    assert lao["reforms"] == ["lao_maternity_c183"] and ready["status"] == "ready"


def test_the_openfisca_routes_of_a_reformed_law_name_it_and_their_jurisdiction(reformed_server: Server) -> None:
    """``/parameter`` served the reformed value (6 months from 2026) without naming the reform or the jurisdiction;
    every route of the OpenFisca Web API now says both, as ``/calculate`` did."""
    qualifying = "maternity.qualifying_period.minimum_months.live_birth"
    with reformed_server.client() as client:
        for prefix in ("", "/lao"):
            answer = client.get(f"{prefix}/parameter/{qualifying}")
            assert answer.json()["values"]["2026-01-01"] == 6
            for path in (
                f"/parameter/{qualifying}",
                "/parameters",
                "/variables",
                "/variable/age",
                "/entities",
                "/spec",
            ):
                headers = client.get(prefix + path).headers
                assert headers["openfisca-sp-reforms"] == "lao_maternity_c183", prefix + path
                assert headers["openfisca-sp-jurisdiction"] == "lao", prefix + path
        for path in ("/vnm/parameters", "/vnm/spec"):
            headers = client.get(path).headers
            assert headers["openfisca-sp-jurisdiction"] == "vnm" and "openfisca-sp-reforms" not in headers


def test_no_reform_named_serves_the_law_as_it_is() -> None:
    systems = {"lao": tax_benefit_system("lao")}
    assert reformed(systems, []) == systems


def test_an_unknown_reform_or_one_for_no_served_jurisdiction_is_refused() -> None:
    refused = subprocess.run(
        [str(BIN / "openfisca-sp"), "serve", "--reform", "lao_maternity_c138"], capture_output=True, text=True
    )
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1, refused.stderr
    assert "OPENFISCA_SP_REFORMS='lao_maternity_c138'" in refused.stderr and "lao_maternity_c183" in refused.stderr
    with pytest.raises(ValueError, match="applies to lao: none of them is served"):
        reformed({"vnm": tax_benefit_system("vnm")}, ["lao_maternity_c183"])


MINISTRY_REFORM = '''
from openfisca_core.reforms import Reform


class six_months_for_mothers(Reform):
    """A ministry's own reform, installed as a Python module."""

    name = "Lao maternity after 6 months"
    jurisdictions = ("lao",)

    def apply(self):
        def lowered(parameters):
            node = parameters.maternity.qualifying_period.minimum_months.live_birth
            node.update(start="2026-01-01", value=6)
            return parameters

        self.modify_parameters(modifier_function=lowered)


class every_jurisdiction(Reform):
    """A reform that names no jurisdiction: it is for every one served."""

    def apply(self):
        pass
'''


def test_an_installed_reform_class_is_served_by_its_module_path(tmp_path: Path) -> None:
    """``openfisca serve --reforms`` takes an installed Reform class by its dotted path; ``--reform`` took only shipped
    names and YAML files. Now ``module:Class`` and ``module.Class`` serve it, for the jurisdictions it names."""
    (tmp_path / "ministry_reform.py").write_text(MINISTRY_REFORM)
    server = start("--reform", "ministry_reform.six_months_for_mothers", environment={"PYTHONPATH": str(tmp_path)})
    try:
        decision, version = _maternity(server, "/lao")
        assert (decision["decision"], decision["amount"]) == ("eligible", 2_400_000)
        assert version["rules"]["reforms"] == ["six_months_for_mothers"]
        assert version["headers"]["openfisca-sp-reforms"] == "six_months_for_mothers"
        _, untouched = _maternity(server, "/vnm")
        assert "reforms" not in untouched["rules"]
    finally:
        server.stop()


def test_a_reform_class_that_names_no_jurisdiction_applies_to_every_one_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ministry_reform.py").write_text(MINISTRY_REFORM)
    monkeypatch.syspath_prepend(str(tmp_path))
    systems = {code: tax_benefit_system(code) for code in ("lao", "vnm")}
    served = reformed(systems, ["ministry_reform:every_jurisdiction"])
    assert all(type(served[code]).__name__ == "every_jurisdiction" for code in systems)
    for name, cause in (
        ("no_such_module:Reform", "module 'no_such_module' cannot be imported"),
        ("ministry_reform.MINISTRY", "ministry_reform has no Reform class 'MINISTRY'"),
        ("proposal.yaml", "no such YAML reform file"),
    ):
        with pytest.raises(ValueError, match=re.escape(f"reform {name!r}: {cause}")):
            reformed(systems, [name])
