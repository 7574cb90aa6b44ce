"""The package works as OpenFisca users expect, and as an installed wheel outside the repo."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from openfisca_sp.rules import jurisdictions
from tests.shared_wheel import run_folder, shared_wheel

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@pytest.mark.parametrize("code", sorted(jurisdictions.registry()))
def test_openfisca_test_passes_on_the_yaml_rules(code: str) -> None:
    """`openfisca test` (openfisca-core's runner) passes on each jurisdiction's YAML tests."""
    environment = dict(os.environ, OPENFISCA_SP_JURISDICTION=code)
    result = subprocess.run(
        [str(BIN / "openfisca"), "test", str(ROOT / "tests" / "rules" / code), "-c", "openfisca_sp"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert " passed" in result.stdout


def test_openfisca_test_runs_one_jurisdictions_cases_under_its_rules_or_says_which_rules_ran() -> None:
    """Without ``OPENFISCA_SP_JURISDICTION``, Viet Nam's law cases ran under Lao PDR's rules and failed on amounts
    (an outside review: 7 of 8 failed); their folder now chooses the rules. With the variable naming another
    jurisdiction, the run stops, none run, and says how to choose (it warned, then ran them: "8 failed")."""
    cases = ROOT / "tests" / "rules" / "vnm" / "maternity"
    command = [str(BIN / "openfisca"), "test", str(cases), "-c", "openfisca_sp"]
    plain = {key: value for key, value in os.environ.items() if key != "OPENFISCA_SP_JURISDICTION"}
    unset = subprocess.run(command, capture_output=True, text=True, env=plain, cwd=ROOT, timeout=600)
    assert unset.returncode == 0 and " passed" in unset.stdout and "openfisca-sp:" not in unset.stderr, unset.stdout
    other = subprocess.run(
        command, capture_output=True, text=True, env=dict(plain, OPENFISCA_SP_JURISDICTION="lao"), cwd=ROOT
    )
    assert other.returncode == 1 and "passed" not in other.stdout and "failed" not in other.stdout, other.stdout
    assert other.stderr == (
        "openfisca-sp: these law cases are in the folder of vnm, but the rules loaded are those of 'lao' "
        "(OPENFISCA_SP_JURISDICTION): none was run; run them with OPENFISCA_SP_JURISDICTION=vnm openfisca test …, "
        "or without the variable (their folder names the rules)\n"
    )


def test_openfisca_test_over_several_jurisdictions_cases_is_refused_in_one_line(tmp_path: Path) -> None:
    """An outside review: ``openfisca test tests/rules`` ran every jurisdiction's cases under Lao PDR's rules (91
    failed), and cases outside any jurisdiction's folder ran on the default's rules without a word."""
    plain = {key: value for key, value in os.environ.items() if key != "OPENFISCA_SP_JURISDICTION"}
    command = [str(BIN / "openfisca"), "test", str(ROOT / "tests" / "rules"), "-c", "openfisca_sp"]
    mixed = subprocess.run(command, capture_output=True, text=True, env=plain, cwd=ROOT, timeout=600)
    assert mixed.returncode == 1 and "Traceback" not in mixed.stderr, mixed.stderr[-3000:]
    assert mixed.stderr.startswith(
        "openfisca-sp: these law cases are in the folders of ilo_c102, lao, tjk, vnm; one openfisca test run loads "
        "one jurisdiction's rules"
    )
    for case in (ROOT / "tests" / "rules" / "lao" / "maternity").glob("*.yaml"):
        (tmp_path / case.name).write_text(case.read_text(encoding="utf-8"), encoding="utf-8")
    command = [str(BIN / "openfisca"), "test", str(tmp_path), "-c", "openfisca_sp"]
    elsewhere = subprocess.run(command, capture_output=True, text=True, env=plain, cwd=ROOT, timeout=600)
    assert elsewhere.returncode == 0 and " passed" in elsewhere.stdout
    assert "they are run on the rules of 'lao', the default; name another with OPENFISCA_SP_JURISDICTION" in (
        elsewhere.stderr
    )


def test_openfisca_test_tells_a_law_case_s_mistake_at_its_line_and_runs_nothing(tmp_path: Path) -> None:
    """An outside review: a misspelt enumeration name in a law case gave openfisca-core's traceback of some 40
    lines, with no line of the case; only openfisca-sp check named it."""
    folder = tmp_path / "tests" / "rules" / "lao"
    folder.mkdir(parents=True)
    case = (ROOT / "tests" / "rules" / "lao" / "maternity" / "nssf_maternity_benefit.yaml").read_text(encoding="utf-8")
    (folder / "cases.yaml").write_text(case.replace("live_birth", "livebirth", 1), encoding="utf-8")
    line = next(number for number, text in enumerate(case.splitlines(), 1) if "live_birth" in text)
    plain = {key: value for key, value in os.environ.items() if key != "OPENFISCA_SP_JURISDICTION"}
    command = [str(BIN / "openfisca"), "test", "tests/rules/lao", "-c", "openfisca_sp"]
    done = subprocess.run(command, capture_output=True, text=True, env=plain, cwd=tmp_path, timeout=600)
    assert done.returncode == 1 and "Traceback" not in done.stderr + done.stdout, done.stderr[-3000:]
    assert done.stderr.startswith(
        f"openfisca-sp: tests/rules/lao/cases.yaml:{line}: 'livebirth' of 'pregnancy_outcome' is not one of its names; "
        "did you mean 'live_birth'?"
    ), done.stderr
    assert "1 problem in these law cases: none was run" in done.stderr and " passed" not in done.stdout


def test_openfisca_test_leaves_a_reform_that_is_not_openfisca_sp_s_to_openfisca_core(tmp_path: Path) -> None:
    """openfisca-sp check does not import another package's reform; openfisca test may run it: its law cases are
    not refused by the check that runs first."""
    folder = tmp_path / "tests" / "rules" / "lao"
    folder.mkdir(parents=True)
    case = "- name: another package's reform\n  period: 2024-06\n  reforms: other_package.reforms.raise\n"
    (folder / "cases.yaml").write_text(case + "  input: {}\n  output: {old_age_pension_eligible: false}\n")
    plain = {key: value for key, value in os.environ.items() if key != "OPENFISCA_SP_JURISDICTION"}
    command = [str(BIN / "openfisca"), "test", "tests/rules/lao", "-c", "openfisca_sp"]
    done = subprocess.run(command, capture_output=True, text=True, env=plain, cwd=tmp_path, timeout=600)
    assert "none was run" not in done.stderr and "other_package" in done.stdout + done.stderr


def test_openfisca_test_with_an_unknown_jurisdiction_says_so_in_one_line() -> None:
    """``OPENFISCA_SP_JURISDICTION=vn`` printed openfisca-core's traceback of a KeyError; now one line naming the
    known jurisdictions, and the run fails."""
    command = [
        str(BIN / "openfisca"),
        "test",
        str(ROOT / "tests" / "rules" / "lao" / "maternity"),
        "-c",
        "openfisca_sp",
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, env=dict(os.environ, OPENFISCA_SP_JURISDICTION="vn"), cwd=ROOT
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.strip() == (
        "openfisca-sp: unknown jurisdiction 'vn'; known jurisdictions: ilo_c102, lao, tjk, vnm "
        "(from OPENFISCA_SP_JURISDICTION)"
    )


def test_openfisca_test_without_the_country_package_option_is_told_to_name_it() -> None:
    """The test extras install openfisca-country-template, which openfisca-core's runner takes first when ``-c`` is
    left out: every law case failed with "Simulation should be properly initialized". Now the run stops at once
    and says which rules it loaded and what to add."""
    assert metadata.version("openfisca-country-template")  # the package the runner would take
    command = [str(BIN / "openfisca"), "test", str(ROOT / "tests" / "rules" / "lao" / "maternity")]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode == 2
    assert (
        "openfisca-sp: these are openfisca-sp's law cases, but openfisca test loaded the rules of "
        "openfisca_country_template (the first country package installed); run them with -c openfisca_sp"
    ) in result.stdout
    assert "failed" not in result.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_openfisca_serve_serves_the_default_jurisdiction() -> None:
    """`openfisca serve --country-package openfisca_sp` answers /spec and /calculate."""
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "openfisca"), "serve", "--country-package", "openfisca_sp", "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                with urllib.request.urlopen(base + "/spec", timeout=2) as response:
                    spec = json.load(response)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(server.stdout.read().decode())
                time.sleep(0.1)
        else:
            pytest.fail("openfisca serve did not start")
        assert spec["info"]["title"]
        body = json.dumps(
            {
                "persons": {
                    "p": {
                        "birth_date": {"ETERNITY": "1952-01-01"},
                        "contribution_months": {"2012-01": 60},
                        "pension_points": {"2012-01": 10},
                        "insured_wage": {"2011": 1200000},
                        "old_age_pension": {"2012-01": None},
                    }
                },
            }
        ).encode()
        request = urllib.request.Request(base + "/calculate", data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            answer = json.load(response)
        assert answer["persons"]["p"]["old_age_pension"]["2012-01"] == pytest.approx(180000)
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package built as a wheel from a copy of the repo's files, once for the run: the processes of a run whose
    modules install it (this one, ``test_container.py``) share one build (:mod:`tests.shared_wheel`)."""
    return shared_wheel(run_folder(tmp_path_factory.getbasetemp()))


# the folders of the repo that are packages of the wheel, by the name they are installed under
PACKAGE_FOLDERS = {"openfisca_sp": "openfisca_sp", "api": "openfisca_sp/api", "reforms": "openfisca_sp/reforms"}


def test_the_wheel_holds_every_package_of_the_source(wheel: Path) -> None:
    """Each folder with an ``__init__.py`` is in the wheel (``openfisca_sp.projection`` was left out of the
    package list, and the import tests found it through the editable install)."""
    expected = set()
    for folder, installed in PACKAGE_FOLDERS.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            if "__pycache__" not in init.parts:
                expected.add(f"{installed}/{init.relative_to(ROOT / folder).as_posix()}")
    with zipfile.ZipFile(wheel) as archive:
        shipped = set(archive.namelist())
    assert "openfisca_sp/projection/__init__.py" in expected
    assert sorted(expected - shipped) == []


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    """The package built as a wheel from the repo and installed (without its dependencies) in a folder of its own."""
    site = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return site


def _run_installed(site: Path, folder: Path, script: str) -> dict:
    """Run ``script`` (which prints a JSON object with the ``file`` it imported) from ``folder`` against the
    installed wheel, and return that object, checked to come from the wheel.

    Python runs without its ``site`` module (``-S``): the test environment's editable install of the repo is a
    ``.pth`` hook that would find, in the repo, any module the wheel lacks. The dependencies are read from the
    environment's site-packages, put on the path after the wheel's folder."""
    dependencies = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), *dependencies]))
    result = subprocess.run(
        [sys.executable, "-S", "-c", script], capture_output=True, text=True, cwd=folder, env=environment, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["file"].startswith(str(site))
    return answer


def test_the_built_wheel_works_outside_the_repo(site: Path, tmp_path: Path) -> None:
    """A wheel built from the repo carries its parameters and variables and runs from elsewhere."""
    script = (
        "import openfisca_sp, json\n"
        "from openfisca_sp import tax_benefit_system\n"
        "from openfisca_sp.rules import jurisdictions\n"
        "from openfisca_core.simulations import SimulationBuilder\n"
        "codes = sorted(jurisdictions.registry())\n"
        "sim = SimulationBuilder().build_from_entities(tax_benefit_system('lao'), {'persons': {'p': {"
        "'birth_date': {'ETERNITY': '1952-01-01'}, 'contribution_months': {'2012-01': 60},"
        "'pension_points': {'2012-01': 10}, 'insured_wage': {'2011': 1200000}}}})\n"
        "print(json.dumps({'file': openfisca_sp.__file__, 'codes': codes,"
        " 'pension': float(sim.calculate('old_age_pension', '2012-01')[0])}))\n"
    )
    answer = _run_installed(site, tmp_path, script)
    assert answer["codes"] == sorted(jurisdictions.registry())
    assert answer["pension"] == pytest.approx(180000)


def test_the_built_wheel_ships_the_dci_specifications_with_their_licence(site: Path, tmp_path: Path) -> None:
    """The DCI v1.0.0 specifications the records are read from travel with the package, licence beside them."""
    script = (
        "import openfisca_sp, json\n"
        "from importlib import resources\n"
        "folder = resources.files('openfisca_sp') / 'data' / 'dci'\n"
        "print(json.dumps({'file': openfisca_sp.__file__, 'names': sorted(p.name for p in folder.iterdir()),"
        " 'licence': (folder / 'LICENSE.md').read_text().split()[:2]}))\n"
    )
    answer = _run_installed(site, tmp_path, script)
    assert {"LICENSE.md", "README.md", "social_api_v1.0.0.yaml", "ibr_api_v1.0.0.yaml", "dr_api_v1.0.0.yaml"} <= set(
        answer["names"]
    )
    assert answer["licence"] == ["Apache", "License"]


def test_the_built_wheel_projects_a_shipped_scenario_with_its_population_data(site: Path, tmp_path: Path) -> None:
    """The scenarios, the UN WPP 2024 files and the report's templates travel with the package."""
    script = (
        "import openfisca_sp, json, dataclasses\n"
        "from openfisca_sp.projection import project, read_scenario, shipped_scenario\n"
        "from openfisca_sp.report.projection import render_projection\n"
        "scenario = dataclasses.replace(read_scenario(shipped_scenario('lao')), last_year=2027)\n"
        "projection = project(scenario)\n"
        "html = render_projection(projection.to_dict())\n"
        "print(json.dumps({'file': openfisca_sp.__file__, 'years': sorted(set(projection.years.year)),"
        " 'population': float(projection.years.population.iloc[0]), 'charts': html.count('<svg')}))\n"
    )
    answer = _run_installed(site, tmp_path, script)
    assert answer["years"] == [2026, 2027]
    assert answer["population"] > 7_000_000  # Lao PDR in UN WPP 2024
    assert answer["charts"] >= 4


def test_the_installed_wheel_diffs_the_law_at_two_dates_outside_any_checkout(site: Path, tmp_path: Path) -> None:
    """A hunt (stop 78): ``openfisca-sp diff --dates`` from a folder that is no git checkout said "a diff of
    revisions needs one", though the rules it reads at two dates ship with the package."""
    script = (
        "import openfisca_sp, json, contextlib, io\n"
        "from openfisca_sp.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    code = main(['diff', '--jurisdiction', 'lao', '--dates', '2010-01-01', '2020-01-01', '--format', 'json'])\n"
        "diff = json.loads(out.getvalue())\n"
        "print(json.dumps({'file': openfisca_sp.__file__, 'code': code, 'notes': diff['notes'],"
        " 'changed': sorted({item['parameter'] for item in diff['values']})}))\n"
    )
    answer = _run_installed(site, tmp_path, script)
    assert answer["code"] == 0
    assert answer["notes"] == [f"rules: the rules installed with openfisca-sp {metadata.version('openfisca-sp')}"]
    assert "insured_wage.ceiling" in answer["changed"]


def test_the_installed_wheel_serves_the_docs_pages_offline(site: Path, tmp_path: Path) -> None:
    """Installed from its wheel outside the repo, the API serves /docs and /redoc with their files, none from a CDN
    (a real uvicorn server on 127.0.0.1, in the installed environment)."""
    script = (
        "import json, re, socket, threading, time, urllib.error, urllib.request\n"
        "import uvicorn\n"
        "from openfisca_sp import tax_benefit_system\n"
        "from openfisca_sp.api import app, docs\n"
        "probe = socket.socket(); probe.bind(('127.0.0.1', 0)); port = probe.getsockname()[1]; probe.close()\n"
        "config = uvicorn.Config(app.create_app(tax_benefit_system('lao')), host='127.0.0.1', port=port,"
        " log_level='warning')\n"
        "server = uvicorn.Server(config)\n"
        "thread = threading.Thread(target=server.run, daemon=True); thread.start()\n"
        "deadline = time.monotonic() + 60\n"
        "while not server.started and time.monotonic() < deadline: time.sleep(0.05)\n"
        "def get(url):\n"
        "    try:\n"
        "        with urllib.request.urlopen(f'http://127.0.0.1:{port}{url}', timeout=30) as answer:\n"
        "            return answer.status, dict(answer.headers), answer.read()\n"
        "    except urllib.error.HTTPError as error:\n"
        "        return error.code, dict(error.headers), error.read()\n"
        "pages = {url: get(url) for url in ('/docs', '/redoc', '/docs/oauth2-redirect')}\n"
        "links = sorted({link for _, _, page in pages.values()"
        " for link in re.findall(r'(?:src|href)=[\"\\']([^\"\\']+)', page.decode())})\n"
        "files = {link: get(link) for link in links}\n"
        "server.should_exit = True; thread.join(timeout=30)\n"
        "print(json.dumps({'file': docs.__file__, 'pages': {url: page[0] for url, page in pages.items()},"
        " 'csp': {k.lower(): v for k, v in pages['/docs'][1].items()}.get('content-security-policy'),"
        " 'links': links, 'files': {link: [answer[0], len(answer[2])] for link, answer in files.items()}}))\n"
    )
    answer = _run_installed(site, tmp_path, script)
    assert answer["pages"] == {"/docs": 200, "/redoc": 200, "/docs/oauth2-redirect": 200}
    assert answer["csp"].startswith("default-src 'self'")
    assert {
        "/docs/static/swagger-ui-bundle.js",
        "/docs/static/swagger-ui.css",
        "/docs/static/redoc.standalone.js",
        "/docs/static/favicon.png",
    } <= set(answer["links"])
    assert all(link.startswith("/") and not link.startswith("//") for link in answer["links"]), answer["links"]
    assert all(status == 200 and size > 0 for status, size in answer["files"].values()), answer["files"]


def test_the_readme_and_the_api_guide_show_the_version_of_the_package() -> None:
    """Their examples showed 0.9.0 three releases later: every version they show is this package's."""
    version = metadata.version("openfisca-sp")
    for name in ("README.md", "docs/api.md"):
        text = (ROOT / name).read_text(encoding="utf-8")
        shown = set(re.findall(r"openfisca-sp (\d+\.\d+\.\d+)", text)) | set(
            re.findall(r'"package": "openfisca-sp", "version": "(\d+\.\d+\.\d+)"', text)
        )
        assert shown == {version}, name
