"""``/eligibility/by-identifier`` on a real server, searching real registry processes on 127.0.0.1
(:mod:`tests.api.registry_server`): facts fetched then decided, a registry down, slow or failing then answering,
searches signed and with our bearer token, pages followed, the registries' signed answers verified (the Social
Registry's keys fetched from the JWK Set it publishes, the Disability Registry's from the senders' keys file), and
a DCI sender's keys fetched from a published JWK Set (the CRVS process serves it), rotated, or unreachable."""

from __future__ import annotations

import asyncio
import copy
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema_rs
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from openfisca_sp.api.registry_client import RegistryClient
from openfisca_sp.api.settings import Settings, SettingsError
from tests.api.registry_server import (
    CRVS_EVENTS,
    DECEASED,
    FATHER,
    JWKS_PATH,
    KID,
    MOTHER,
    RECORDS,
    TOKEN,
    TOKEN_PATH,
    _spec_example,
    public_jwk,
)
from tests.api.server import ROOT, Server, free_port, start
from tests.api.test_dci_security import SENDER, _message, _sign, _verify_ours

AS_OF = "2024-06-15"
TIMEOUT, ATTEMPTS = 0.5, 3
REFRESH = 1.0  # seconds at least between two fetches of a sender's keys
NAMES = {"social": "social_registry", "disability": "disability_registry", "crvs": "crvs"}
ALICE = {"identifier_type": "UIN", "identifier_value": MOTHER}
CONTRIBUTIONS = {
    "@type": "ContributionRecord",
    "identifier": MOTHER,
    "contribution_months": 60,
    "wage_history": [{"month": f"2024-{month:02d}", "insured_wage": 2_600_000} for month in range(1, 6)],
}


SENDER_IDS = {name: f"{name}-registry.example.org" for name in NAMES}  # in their answers' header
REGISTRY_KEYS = {name: Ed25519PrivateKey.generate() for name in NAMES}  # each signs its answers
GONE = "gone.example.org"  # a sender whose JWK Set nobody serves


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of keys: the registries' private keys, ours, the senders' keys file (the Disability Registry's)."""
    folder = tmp_path_factory.mktemp("registry-keys")
    for name, key in REGISTRY_KEYS.items():
        (folder / f"{name}.pem").write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    pem = Ed25519PrivateKey.generate().private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    (folder / "ours.pem").write_bytes(pem)
    (folder / "client-secret").write_text("registry-client-secret\n", encoding="utf-8")
    disability = public_jwk(REGISTRY_KEYS["disability"], f"{SENDER_IDS['disability']}|{KID}")
    (folder / "senders.json").write_text(json.dumps({"keys": [disability]}), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def registries(keys: Path) -> Iterator[dict[str, str]]:
    """The three registries, each its own process, each signing its answers with its key."""
    processes, urls = [], {}
    for name in NAMES:
        port = free_port()
        command = [sys.executable, "-m", "tests.api.registry_server", name, str(port)]
        environment = dict(
            os.environ, REGISTRY_SENDER_ID=SENDER_IDS[name], REGISTRY_SIGNING_KEY=str(keys / f"{name}.pem")
        )
        processes.append(subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, env=environment))
        urls[name] = f"http://127.0.0.1:{port}"
    for url in urls.values():
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/count", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "a registry did not start"
                time.sleep(0.1)
    yield urls
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def service(registries: dict[str, str], keys: Path) -> Iterator[Server]:
    """The service searching the registries, signing with its key and sending a token of the Social Registry's;
    verifying the Social Registry's answers by the JWK Set it publishes, the Disability Registry's by the keys
    file, and the messages of SENDER by the JWK Set the CRVS process serves (refetched after a second)."""
    folder = keys
    published = {
        SENDER_IDS["social"]: registries["social"] + JWKS_PATH,
        SENDER: registries["crvs"] + JWKS_PATH,
        GONE: f"http://127.0.0.1:{free_port()}{JWKS_PATH}",
        **{sender: registries["crvs"] + JWKS_PATH for sender in ("large.example.org", "mixed.example.org")},
        "moved.example.org": registries["crvs"] + "/moved",
    }
    running = start(
        "--workers",
        "1",  # the keys fetched are kept per worker
        environment={
            "OPENFISCA_SP_DCI_SENDER_JWKS_URLS": ",".join(f"{sender}={url}" for sender, url in published.items()),
            "OPENFISCA_SP_DCI_SENDER_JWKS_REFRESH": str(REFRESH),
            "OPENFISCA_SP_DCI_SENDER_KEYS_FILE": str(folder / "senders.json"),
            "OPENFISCA_SP_DCI_SIGNING_KEY_FILE": str(folder / "ours.pem"),
            "OPENFISCA_SP_DCI_SENDER_ID": "openfisca-sp.example.org",
            "OPENFISCA_SP_DCI_CLIENT_TOKEN_URL": registries["social"] + TOKEN_PATH,
            "OPENFISCA_SP_DCI_CLIENT_ID": "openfisca-sp",
            "OPENFISCA_SP_DCI_CLIENT_SECRET_FILE": str(folder / "client-secret"),
            "OPENFISCA_SP_SOCIAL_REGISTRY_URL": registries["social"],
            "OPENFISCA_SP_DISABILITY_REGISTRY_URL": registries["disability"],
            "OPENFISCA_SP_CRVS_URL": registries["crvs"],
            "OPENFISCA_SP_REGISTRY_TIMEOUT": str(TIMEOUT),
            "OPENFISCA_SP_REGISTRY_ATTEMPTS": str(ATTEMPTS),
            "OPENFISCA_SP_API_KEYS": "",
        },
    )
    yield running
    running.stop()


@pytest.fixture
def http(service: Server, registries: dict[str, str]) -> Iterator[httpx.Client]:
    for url in registries.values():  # every registry up, its count at 0
        httpx.post(f"{url}/control", json={}, timeout=5).raise_for_status()
    with service.client() as client:
        yield client


def _control(registries: dict[str, str], name: str, **state: Any) -> None:
    httpx.post(f"{registries[name]}/control", json=state, timeout=5).raise_for_status()


def _count(registries: dict[str, str], name: str) -> int:
    return httpx.get(f"{registries[name]}/count", timeout=5).json()["searches"]


def _last(registries: dict[str, str], name: str) -> dict[str, Any]:
    """The ``Authorization`` header and the envelope of the registry's last search."""
    return httpx.get(f"{registries[name]}/count", timeout=5).json()["last"]


def _ask(http: httpx.Client, *identifiers: dict[str, str], **extra: Any) -> dict[str, Any]:
    answer = http.post("/eligibility/by-identifier", json={"as_of": AS_OF, "identifiers": list(identifiers), **extra})
    assert answer.status_code == 200, answer.text
    return answer.json()


def _searches(answer: dict[str, Any], index: int = 0) -> dict[str, dict[str, Any]]:
    return {item["registry"]: item for item in answer["registries"][index]["searches"]}


def _person(answer: dict[str, Any], value: str) -> dict[str, Any]:
    (found,) = [person for person in answer["persons"] if value in str(person["identifier"])]
    return found


def test_facts_are_fetched_then_decided_as_the_law_says(http, registries) -> None:
    answer = _ask(http, ALICE, records=[CONTRIBUTIONS])
    searches = _searches(answer)
    assert {name: item["status"] for name, item in searches.items()} == {
        "social_registry": "found",  # the Group of the social specification's example
        "disability_registry": "not_found",  # its example is another person
        "crvs": "found",  # the birth of Alice's child
    }
    assert all(item["attempts"] == 1 and item["truncated"] is False for item in searches.values())
    group = _spec_example("social", RECORDS + "/items")
    direct = http.post("/eligibility", json={"as_of": AS_OF, "persons": [group, CRVS_EVENTS[0], CONTRIBUTIONS]})
    assert direct.status_code == 200, direct.text
    assert [person["benefits"] for person in answer["persons"]] == [
        person["benefits"] for person in direct.json()["persons"]
    ]
    alice = _person(answer, MOTHER)
    assert alice["benefits"]["maternity"]["event"] == {"kind": "confinement", "date": "2024-05-02"}
    assert "registries_unavailable" not in alice
    assert _person(answer, FATHER)["benefits"]["maternity"]["reason"] == "not_female"


def test_a_death_the_crvs_registered_ends_the_entitlements(http) -> None:
    answer = _ask(http, {"identifier_type": "UIN", "identifier_value": DECEASED})
    assert _searches(answer)["social_registry"]["status"] == "not_found"
    (person,) = answer["persons"]
    assert person["deceased_on"] == "2024-03-10"
    assert {decision["reason"] for decision in person["benefits"].values()} == {"deceased"}


def test_a_record_found_for_two_identifiers_is_read_once(http) -> None:
    """Alice and Bob: their Group and their child's birth come back for each, and are one Group and one birth."""
    bob = {"identifier_type": "UIN", "identifier_value": FATHER}
    answer = _ask(http, ALICE, bob, records=[CONTRIBUTIONS])
    alone = _ask(http, ALICE, records=[CONTRIBUTIONS])
    assert [person["benefits"] for person in answer["persons"]] == [person["benefits"] for person in alone["persons"]]
    assert all(_searches(answer, index)["crvs"]["status"] == "found" for index in (0, 1))
    assert _person(answer, MOTHER)["benefits"]["maternity"]["decision"] == "eligible"


def test_a_registry_down_is_named_and_its_facts_undetermined(http, registries) -> None:
    _control(registries, "social", mode="down")
    answer = _ask(http, ALICE, records=[CONTRIBUTIONS])
    social = _searches(answer)["social_registry"]
    assert (social["status"], social["attempts"], social["reason"]) == ("unavailable", ATTEMPTS, "answered HTTP 503")
    assert _count(registries, "social") == ATTEMPTS
    (alice,) = answer["persons"]  # no Group: the person asked, her contributions and the CRVS's birth
    assert alice["registries_unavailable"] == ["social_registry"]
    old_age = alice["benefits"]["old_age"]
    assert (old_age["decision"], old_age["reason"]) == ("undetermined", "registry_unavailable")
    assert old_age["registries_unavailable"] == ["social_registry"] and "birth_date" in old_age["missing_facts"]


def test_a_slow_registry_times_out_after_its_attempts(http, registries) -> None:
    _control(registries, "crvs", mode="slow", delay=TIMEOUT * 4)
    started = time.monotonic()
    answer = _ask(http, ALICE, records=[CONTRIBUTIONS])
    assert time.monotonic() - started < TIMEOUT * ATTEMPTS + 3
    crvs = _searches(answer)["crvs"]
    assert (crvs["status"], crvs["attempts"]) == ("unavailable", ATTEMPTS)
    assert crvs["reason"] == f"no answer within {TIMEOUT:g} s"
    maternity = _person(answer, MOTHER)["benefits"]["maternity"]
    assert (maternity["reason"], maternity["registries_unavailable"]) == ("registry_unavailable", ["crvs"])
    assert _searches(answer)["social_registry"]["status"] == "found"  # the others answered meanwhile


def test_a_failing_registry_is_retried_until_it_answers(http, registries) -> None:
    _control(registries, "social", failures=ATTEMPTS - 1)
    answer = _ask(http, ALICE, records=[CONTRIBUTIONS])
    social = _searches(answer)["social_registry"]
    assert (social["status"], social["attempts"]) == ("found", ATTEMPTS)
    assert _count(registries, "social") == ATTEMPTS
    assert len(answer["persons"]) == 4


def test_searches_are_signed_as_our_callbacks_and_carry_our_token(http, registries) -> None:
    _ask(http, ALICE)
    jwks = http.get("/.well-known/jwks.json").json()
    for name in NAMES:
        last = _last(registries, name)
        assert last["authorization"] == f"Bearer {TOKEN}"
        envelope = last["envelope"]
        assert next(iter(envelope)) == "signature" and envelope["header"]["sender_id"] == "openfisca-sp.example.org"
        _verify_ours(envelope, jwks)  # exactly the documented bytes, by the key jwks.json publishes


def test_pages_are_followed_then_what_is_left_is_said_truncated(http, registries) -> None:
    _control(registries, "social", page_size=1, copies=3)
    urls = {"social_registry": registries["social"]}
    whole = asyncio.run(RegistryClient(urls, TIMEOUT, 1, max_pages=5).search_all("UIN", MOTHER))["social_registry"]
    assert (whole.status, len(whole.records), whole.attempts, whole.truncated) == ("found", 3, 3, False)
    criteria = _last(registries, "social")["envelope"]["message"]["search_request"][0]["search_criteria"]
    assert criteria["pagination"] == {"page_size": 1, "page_number": 3}
    cut = asyncio.run(RegistryClient(urls, TIMEOUT, 1, max_pages=2).search_all("UIN", MOTHER))["social_registry"]
    assert (cut.status, len(cut.records), cut.summary()["truncated"]) == ("found", 2, True)
    assert cut.reason == "more than 2 pages of records: the rest not read"


def test_twins_answered_one_a_page_are_two_children(http, registries) -> None:
    """A review: a CRVS answering one twin a page was followed (two pages) but decided as one child, where the
    same twins in one answer are two. Paging does not change the facts; one child on two pages is one child."""
    first, second = (_twin(identifier) for identifier in ("BRN-1", "BRN-2"))
    _control(registries, "crvs", page_size=1, events=[first, second])
    paged = _ask(http, ALICE, records=[CONTRIBUTIONS])
    crvs = _searches(paged)["crvs"]
    assert (crvs["status"], crvs["attempts"], crvs["truncated"]) == ("found", 2, False)
    together = _twin("BRN-1")
    together["reg_records"] += second["reg_records"]
    _control(registries, "crvs", events=[together])
    whole = _ask(http, ALICE, records=[CONTRIBUTIONS])
    assert _person(paged, MOTHER)["benefits"] == _person(whole, MOTHER)["benefits"]
    assert _person(whole, MOTHER)["benefits"]["maternity"]["duration"]["value"] == 120  # Lao: twins' 120 days
    again = _twin("BRN-1")
    again["reg_records"][0]["birthdate"] = "2024-05-02"  # the same child, its record written otherwise
    _control(registries, "crvs", page_size=1, events=[first, again])
    once = _ask(http, ALICE, records=[CONTRIBUTIONS])
    assert _person(once, MOTHER)["benefits"]["maternity"]["duration"]["value"] == 105


def _twin(identifier: str) -> dict[str, Any]:
    """The CRVS's live birth, its child named ``identifier``."""
    event = copy.deepcopy(CRVS_EVENTS[0])
    event["reg_records"][0]["identifier"] = identifier
    return event


def test_a_caller_record_that_is_wrong_is_refused_naming_it(http) -> None:
    wrong = {**CONTRIBUTIONS, "contribution_months": "many"}
    answer = http.post("/eligibility/by-identifier", json={"as_of": AS_OF, "identifiers": [ALICE], "records": [wrong]})
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["field"] == "records[0].contribution_months"


def test_the_client_names_a_registry_nobody_listens_at() -> None:
    client = RegistryClient({"social_registry": f"http://127.0.0.1:{free_port()}"}, TIMEOUT, 2)
    found = asyncio.run(client.search_all("UIN", MOTHER))
    assert (found["social_registry"].status, found["social_registry"].attempts) == ("unavailable", 2)
    assert found["social_registry"].reason.startswith("cannot connect")
    assert found["crvs"].status == "not_configured"


def _jwks_fetches(registries: dict[str, str], name: str) -> int:
    return httpx.get(f"{registries[name]}/count", timeout=5).json()["jwks_fetches"]


def test_registry_answers_signed_by_their_known_keys_are_used_unsigned_or_forged_ones_are_not(http, registries) -> None:
    searches = _searches(_ask(http, ALICE, records=[CONTRIBUTIONS]))  # signed: verified and used
    assert {name: item["status"] for name, item in searches.items()} == {
        "social_registry": "found",
        "disability_registry": "not_found",
        "crvs": "found",
    }
    for name in ("social", "disability"):  # keys from the JWK Set it publishes; from the senders' keys file
        for mode, reason in (("bad", "signature invalid"), ("none", "signature missing")):
            _control(registries, name, signature=mode)
            searched = _searches(_ask(http, ALICE, records=[CONTRIBUTIONS]))[NAMES[name]]
            assert (searched["status"], searched["reason"], searched["attempts"]) == ("unavailable", reason, 1)
        _control(registries, name)
    _control(registries, "social", signature="bad")
    (alice,) = _ask(http, ALICE, records=[CONTRIBUTIONS])["persons"]
    old_age = alice["benefits"]["old_age"]
    assert (old_age["decision"], old_age["reason"]) == ("undetermined", "registry_unavailable")
    assert alice["registries_unavailable"] == ["social_registry"]
    _control(registries, "crvs", signature="none")  # no key of the CRVS's sender_id is known: not verified
    assert _searches(_ask(http, ALICE))["crvs"]["status"] == "found"


def _signed_by(http: httpx.Client, key: Ed25519PrivateKey, kid: str, sender: str = SENDER) -> httpx.Response:
    message = _sign(_message(sender_id=sender), key_id=f"{sender}|{kid}|ed25519", key=key)
    return http.post("/dci/sync/eligibility", json=message)


def test_a_sender_s_published_keys_are_fetched_and_fetched_again_for_a_rotated_key(http, registries) -> None:
    first, rotated = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    _control(registries, "crvs", published=[public_jwk(first, "spp-1")])
    for _ in range(2):
        answer = _signed_by(http, first, "spp-1")
        assert answer.status_code == 200 and answer.json()["header"]["status"] == "succ", answer.text
    assert _jwks_fetches(registries, "crvs") == 1  # kept
    unknown = _signed_by(http, rotated, "spp-2")  # not published yet, and fetched less than REFRESH ago
    assert unknown.status_code == 403 and unknown.json()["errors"][0]["code"] == "err.signature.invalid"
    assert _jwks_fetches(registries, "crvs") == 1
    _control(registries, "crvs", published=[public_jwk(first, "spp-1"), public_jwk(rotated, "spp-2")])
    time.sleep(REFRESH + 0.2)
    assert _signed_by(http, rotated, "spp-2").status_code == 200  # the unknown kid fetched the keys again
    assert _signed_by(http, Ed25519PrivateKey.generate(), "spp-3").status_code == 403
    assert _signed_by(http, first, "spp-1").status_code == 200
    assert _jwks_fetches(registries, "crvs") == 1  # once: spp-3 came less than REFRESH after


def test_a_sender_whose_keys_cannot_be_fetched_is_refused_at_once(http) -> None:
    for _ in range(2):  # fetched, then the failure kept for REFRESH
        started = time.monotonic()
        answer = _signed_by(http, Ed25519PrivateKey.generate(), "k1", GONE)
        assert time.monotonic() - started < 3
        assert answer.status_code == 403, answer.text
        (error,) = answer.json()["errors"]
        assert error == {
            "code": "err.signature.invalid",
            "message": "signature: the sender's keys could not be fetched",
        }
    unsigned = http.post("/dci/sync/eligibility", json=_message())
    assert unsigned.status_code == 403 and unsigned.json()["errors"][0]["code"] == "err.signature.missing"


def test_a_key_set_redirected_too_large_or_naming_another_sender_is_not_used(http, registries) -> None:
    key = Ed25519PrivateKey.generate()
    cases = {
        "large.example.org": [public_jwk(key, f"k{index}") for index in range(1000)],  # over 64 KiB
        "mixed.example.org": [public_jwk(key, "k1"), public_jwk(key, "other.example.org|k2")],
        "moved.example.org": [public_jwk(key, "k1")],  # at the URL the redirect names
    }
    for sender, published in cases.items():
        _control(registries, "crvs", published=published)
        answer = _signed_by(http, key, "k1", sender)
        assert answer.status_code == 403, answer.text
        assert answer.json()["errors"][0]["message"] == "signature: the sender's keys could not be fetched"
        assert _jwks_fetches(registries, "crvs") == (0 if sender.startswith("moved") else 1)  # no redirect followed


def test_published_key_settings_are_checked_by_name() -> None:
    name = "OPENFISCA_SP_DCI_SENDER_JWKS_URLS"
    settings = Settings.from_environment({name: " spp.example.org = https://spp.example.org/.well-known/jwks.json ,"})
    assert settings.dci_sender_jwks_urls == (("spp.example.org", "https://spp.example.org/.well-known/jwks.json"),)
    assert (settings.dci_sender_jwks_ttl, settings.dci_sender_jwks_refresh) == (3600.0, 60.0)
    for value in (
        "https://spp.example.org/jwks.json",
        "spp=ftp://spp.example.org/jwks",
        "=https://a.org",
        "a=https://a.org,a=https://b.org",
        "a|b=https://a.org",
    ):
        with pytest.raises(SettingsError) as raised:
            Settings.from_environment({name: value})
        assert raised.value.name == name
    with pytest.raises(SettingsError, match="OPENFISCA_SP_DCI_SENDER_JWKS_TTL"):
        Settings.from_environment({"OPENFISCA_SP_DCI_SENDER_JWKS_TTL": "0"})


def test_the_registry_settings_are_checked_by_name() -> None:
    settings = Settings.from_environment({"OPENFISCA_SP_CRVS_URL": "http://crvs.example.org/"})
    assert (settings.crvs_url, settings.social_registry_url) == ("http://crvs.example.org", None)
    assert (settings.registry_timeout, settings.registry_attempts, settings.registry_max_pages) == (5.0, 3, 5)
    assert (settings.registry_max_bytes, settings.registry_deadline, settings.registry_concurrency) == (2**23, 20.0, 32)
    for name, value in [
        ("OPENFISCA_SP_REGISTRY_MAX_PAGES", "0"),
        ("OPENFISCA_SP_REGISTRY_MAX_BYTES", "100"),
        ("OPENFISCA_SP_REGISTRY_DEADLINE", "0"),
        ("OPENFISCA_SP_REGISTRY_CONCURRENCY", "0"),
        ("OPENFISCA_SP_SOCIAL_REGISTRY_URL", "ftp://registry"),
        ("OPENFISCA_SP_REGISTRY_TIMEOUT", "0"),
        ("OPENFISCA_SP_REGISTRY_ATTEMPTS", "0"),
    ]:
        with pytest.raises(SettingsError) as raised:
            Settings.from_environment({name: value})
        assert raised.value.name == name


def test_registries_not_set_up_are_said_so_not_called_unavailable() -> None:
    """With no registry URL set, a branch waiting for a registry's fact is ``registry_not_configured`` (only
    the caller can state it), not ``registry_unavailable`` (asking again would not help)."""
    running = start("--workers", "1", environment={"OPENFISCA_SP_API_KEYS": ""})  # no registry URL set
    try:
        with running.client() as http:
            (alice,) = _ask(http, ALICE, records=[CONTRIBUTIONS])["persons"]
    finally:
        running.stop()
    assert alice["registries_not_configured"] == ["crvs", "disability_registry", "social_registry"]
    assert "registries_unavailable" not in alice
    old_age = alice["benefits"]["old_age"]
    assert (old_age["decision"], old_age["reason"]) == ("undetermined", "registry_not_configured")
    assert (
        old_age["registries_not_configured"] == ["crvs", "social_registry"] and "registries_unavailable" not in old_age
    )


def test_the_answer_is_the_one_its_operation_documents(http, registries) -> None:
    """A generated client reads the by-identifier answer as documented: every field named (the registries' outcomes,
    the reasons a registry gives an undetermined decision), none the document does not name."""
    _control(registries, "social", mode="down")
    answer = _ask(http, ALICE, records=[CONTRIBUTIONS])
    document = http.get("/openapi.json").json()
    schema = document["paths"]["/eligibility/by-identifier"]["post"]["responses"]["200"]["content"]["application/json"]
    assert schema["schema"].get("$ref"), schema
    closed = json.loads(json.dumps(document["components"]["schemas"]))
    for name in ("ByIdentifierResponse", "PersonDecisions", "BranchDecision", "RegistryOutcome", "RegistrySearch"):
        closed[name]["additionalProperties"] = False
    validator = jsonschema_rs.validator_for({**schema["schema"], "components": {"schemas": closed}})
    assert not [f"{list(error.instance_path)}: {error.message[:200]}" for error in validator.iter_errors(answer)]
    assert answer["persons"][0]["benefits"]["old_age"]["reason"] == "registry_unavailable"
