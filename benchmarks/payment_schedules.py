"""What an ``/eligibility`` answer's payment schedules cost: one claim, and a whole request of pensioners.

An eligible claim's answer lists its payments month by month (``decisions.schedules``): a pension paid for life
lists up to 24 months to the date asked, a maternity benefit its months. This script times, in this process:

1. ``payments_of`` for one claim of each kind: a lifetime pension started 27 months before the date asked (24
   months listed), six months of maternity benefit with a birth grant, and a claim nobody is paid;
2. the whole decision of ``/eligibility`` requests (read, validated, decided and written as JSON, as a worker
   does) of 1 and 10,000 persons of Viet Nam, where the old-age pension's amount is modelled, so that its
   pensioners' answers carry schedules: ``api_benchmark.py``'s synthetic persons, as of 2024-06-01, each with a
   career average wage and an old-age claim made on 10 March 2022 (an eligible claim lists 24 months).

Every figure is the median of its repetitions, in microseconds (milliseconds for 10,000 persons); the kinds take
turns, so that a slow spell of a shared machine weighs on all of them alike.

    .venv/bin/python benchmarks/payment_schedules.py
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import orjson

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import api_benchmark as api  # noqa: E402 - the same synthetic persons as the HTTP benchmark

from openfisca_sp.api.eligibility_answers import EligibilityAnswers  # noqa: E402
from openfisca_sp.api.hot_lane import validated_body  # noqa: E402
from openfisca_sp.api.models import eligibility_request_model  # noqa: E402
from openfisca_sp.decisions.schedules import payments_of  # noqa: E402
from openfisca_sp.rules.system import tax_benefit_system  # noqa: E402

ASKED = np.datetime64("2024-06-01", "D")


def _days(*texts: str) -> np.ndarray:
    return np.array(texts, dtype="datetime64[D]")


CLAIMS: dict[str, tuple[Any, ...]] = {  # payments_of's arguments, for one claim
    "a lifetime pension, 24 months listed": (
        np.array([3_500_000.0]),
        np.array([np.nan]),
        np.array(["lifetime"]),
        _days("2022-03-10"),
        _days("NaT"),
        {},
        _days("2022-03-10"),
    ),
    "six months of maternity and a birth grant": (
        np.array([2_400_000.0]),
        np.array([6.0]),
        np.array(["months"]),
        _days("2024-05-10"),
        _days("2024-11-09"),
        {"birth_grant": np.array([500_000.0])},
        _days("2024-05-10"),
    ),
    "a claim nobody is paid": (
        np.array([np.nan]),
        np.array([np.nan]),
        np.array(["not_applicable"]),
        _days("NaT"),
        _days("NaT"),
        {},
        _days("2024-06-01"),
    ),
}


def _median_us(action: Callable[[], Any], repeats: int) -> float:
    found = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        found.append(time.perf_counter() - started)
    return 1e6 * statistics.median(found)


def _claiming(persons: list[api.Person]) -> bytes:
    """An ``/eligibility`` request of ``persons`` who claimed their old-age pension on 10 March 2022, with the
    career average wage Viet Nam's pension is computed on."""
    request = orjson.loads(api.eligibility_body(persons))
    for record, person in zip(request["persons"], persons, strict=True):
        record["old_age_claim_date"] = "2022-03-10"
        record["career_average_insured_wage"] = float(np.mean(list(person.insured_wage.values())))
    return orjson.dumps(request)


def _decision(answers: EligibilityAnswers, model: type, body: bytes) -> Callable[[], Any]:
    return lambda: answers.decide([answers.claims(validated_body(model, body))])


def run(rounds: int) -> dict[str, float]:
    """Each kind's median over ``rounds`` turns, in microseconds."""
    system = tax_benefit_system("vnm")
    answers = EligibilityAnswers(system)
    model = eligibility_request_model(system, 10_000)
    persons = api.synthetic_persons(10_000, api.DEFAULT_SEED)
    pensioner = next(  # a man past pensionable age with 20 years of contributions: eligible
        person
        for person in persons
        if person.birth_date < "1955-01-01" and person.sex == "male" and person.contribution_months >= 240
    )
    actions: dict[str, tuple[Callable[[], Any], int]] = {
        f"payments_of: {name}": (lambda arguments=arguments: payments_of(*arguments, ASKED, 0, None), 200)
        for name, arguments in CLAIMS.items()
    }
    actions["/eligibility, one pensioner of Viet Nam"] = (
        _decision(answers, model, _claiming([pensioner])),
        50,
    )
    actions["/eligibility, 10,000 persons of Viet Nam"] = (_decision(answers, model, _claiming(persons)), 1)
    for action, _ in actions.values():  # warm: caches of periods, formulas, parameters
        action()
    timings: dict[str, list[float]] = {name: [] for name in actions}
    gc.collect()
    gc.disable()
    try:
        for _ in range(rounds):
            for name, (action, repeats) in actions.items():
                timings[name].append(_median_us(action, repeats))
    finally:
        gc.enable()
    return {name: statistics.median(found) for name, found in timings.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="turns of every kind (default 7)")
    arguments = parser.parse_args(argv)
    figures = run(arguments.rounds)
    print(f"payment schedules, medians of {arguments.rounds} turns")
    for name, value in figures.items():
        shown = f"{value / 1000:,.1f} ms" if "10,000" in name else f"{value:,.0f} us"
        print(f"  {name:<55} {shown:>12}")


if __name__ == "__main__":
    main()
