"""The formulas' shortcuts give exactly what the plain computation gives: a scale of completed years (or of
any whole count) looked up once per distinct count, money rounded in place, and a few enumeration names encoded
by name as openfisca-core encodes them."""

from __future__ import annotations

import datetime
from functools import partial

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openfisca_core import periods
from openfisca_core.indexed_enums import Enum
from openfisca_core.taxscales import MarginalRateTaxScale, SingleAmountTaxScale

from openfisca_sp import tax_benefit_system
from openfisca_sp.decisions.tracing import traced_facts
from openfisca_sp.rules import formulas, jurisdictions, replacement_rates
from openfisca_sp.rules.recording import Reads, recording
from openfisca_sp.rules.simulations import (
    SMALL_ENUM_INPUT,
    build_simulation,
    set_input,
    simulation_from_arrays,
    small_enum_array,
)

DATES = ("2016-01-01", "2018-01-01", "2026-10-01")  # Viet Nam's accrual by sex: 2% and 3%, then 1%/2% by years


def _accrual(date: str):
    return tax_benefit_system("vnm").parameters(date).old_age.replacement_rate.accrual_scale


def _uneven_scale() -> MarginalRateTaxScale:
    scale = MarginalRateTaxScale()
    for threshold, rate in ((0, 0.013), (3, 0.0271), (11, 0.0097), (29, 0.0)):
        scale.add_bracket(threshold, rate)
    return scale


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.integers(0, 80), min_size=0, max_size=400),
    women=st.lists(st.booleans(), min_size=400, max_size=400),
    date=st.sampled_from(DATES),
)
def test_a_scale_looked_up_per_completed_year_equals_the_scale_per_person(counts, women, date):
    years = np.asarray(counts, dtype=np.float64)
    female = np.asarray(women[: len(counts)], dtype=bool)
    node = _accrual(date)
    looked_up = formulas.whole_number_scale_by_sex(node, female, years)
    assert looked_up.shape == years.shape
    np.testing.assert_array_equal(looked_up, formulas.scale_by_sex(node, female, years))
    for row in range(min(len(counts), 5)):  # each person as if decided alone
        alone = formulas.scale_by_sex(node, female[row : row + 1], years[row : row + 1])
        assert looked_up[row] == alone[0]


def test_the_lookup_is_taken_and_matches_on_uneven_rates():
    years = np.repeat(np.arange(41, dtype=np.float64), 50)  # more persons than distinct counts: looked up
    scale = _uneven_scale()
    looked_up = formulas.whole_number_scale_by_sex(scale, np.zeros(len(years), bool), years)
    np.testing.assert_array_equal(looked_up, formulas.marginal_rates(scale, years))
    np.testing.assert_allclose(looked_up, scale.calc(years), rtol=0, atol=1e-12)  # openfisca-core's, to its last bit


@settings(max_examples=80, deadline=None)
@given(
    counts=st.lists(st.integers(-30, 600), min_size=1, max_size=200),
    repeat=st.integers(1, 20),
    brackets=st.lists(st.tuples(st.integers(-40, 700), st.floats(0, 1e3, allow_nan=False)), min_size=1, max_size=6),
    marginal=st.booleans(),
)
def test_a_scale_of_whole_counts_looked_up_equals_the_scale_per_person(counts, repeat, brackets, marginal):
    """Months of contributions (unemployment duration) and categories (disability coefficient): the scale is
    computed once per count between the least and the largest when persons outnumber them (``repeat``), each
    person's value the same as their own computation, a negative count included."""
    scale = MarginalRateTaxScale() if marginal else SingleAmountTaxScale()
    for threshold, value in sorted(dict(brackets).items()):
        scale.add_bracket(threshold, value)
    values = np.tile(np.asarray(counts, dtype=np.int32), repeat)
    looked_up = formulas.scale_of_counts(scale, values)
    plain = formulas.scale_of(scale, values)
    assert looked_up.dtype == plain.dtype and looked_up.shape == plain.shape
    np.testing.assert_array_equal(looked_up, plain)
    for row in range(min(len(values), 5)):  # each person as if decided alone (not looked up)
        assert looked_up[row] == formulas.scale_of_counts(scale, values[row : row + 1])[0]


def test_the_count_lookup_is_taken_for_the_shipped_duration_scale():
    scale = tax_benefit_system("vnm").parameters("2026-10-01").unemployment.duration.by_contribution_months
    months = np.repeat(np.arange(0, 400, dtype=np.int32), 3)
    np.testing.assert_array_equal(formulas.scale_of_counts(scale, months), scale.calc(months))
    assert formulas.scale_of_counts(scale, months).max() > 0


def _rate_schedules() -> list:
    """Every replacement-rate schedule the shipped rules hold (old age, disability), at a few dates."""
    found = []
    for code in sorted(jurisdictions.registry()):
        parameters = tax_benefit_system(code).parameters
        for date in DATES:
            for branch in ("old_age", "disability"):
                node = formulas.branch(parameters, periods.period(date[:7]), branch)
                if formulas.has(node, "replacement_rate", "base_rate"):
                    found.append(node.replacement_rate)
    return found


SCHEDULES = _rate_schedules()


@settings(max_examples=80, deadline=None)
@given(
    months=st.lists(st.integers(0, 480), min_size=1, max_size=300),
    women=st.lists(st.booleans(), min_size=300, max_size=300),
    which=st.integers(0, 10**6),
)
def test_a_rate_looked_up_per_month_count_equals_the_rate_per_person(months, women, which):
    schedule = SCHEDULES[which % len(SCHEDULES)]
    repeat = -(-1_000 // len(months))  # at least 1,000 persons: more than twice the counts, so looked up
    counts = np.tile(np.asarray(months, dtype=np.int32), repeat)
    female = np.tile(np.asarray(women[: len(months)], dtype=bool), repeat)
    looked_up = replacement_rates.rate_for_months(counts, schedule, female)
    plain = replacement_rates.rate_for_years(replacement_rates.counted_years(counts, schedule), schedule, female)
    assert looked_up.dtype == plain.dtype and looked_up.shape == plain.shape
    np.testing.assert_array_equal(looked_up, plain)
    for row in range(min(len(months), 5)):  # each person as if decided alone (not looked up)
        alone = replacement_rates.rate_for_months(counts[row : row + 1], schedule, female[row : row + 1])
        assert looked_up[row] == alone[0]


def test_the_rate_lookup_is_taken_for_a_population():
    assert len(SCHEDULES) >= 4
    counts = np.repeat(np.arange(481, dtype=np.int32), 4)
    female = np.tile([False, True], len(counts) // 2)
    for schedule in SCHEDULES:
        np.testing.assert_array_equal(
            replacement_rates.rate_for_months(counts, schedule, female),
            replacement_rates.rate_for_years(replacement_rates.counted_years(counts, schedule), schedule, female),
        )


@settings(max_examples=80, deadline=None)
@given(months=st.lists(st.integers(-30, 600), min_size=1, max_size=300), repeat=st.integers(1, 8))
def test_months_counted_in_half_years_looked_up_equal_each_persons_count(months, repeat):
    """Viet Nam's lump sum counts 1 to 6 odd months as half a year and 7 to 11 as a year (Circular 59/2015 Art
    19(4)): looked up per count for a population, each person's years are those counted from their own months."""
    rules = tax_benefit_system("vnm").get_parameters_at_instant("2025-01-01").old_age.lump_sum
    assert replacement_rates.halves_count(rules)
    counts = np.tile(np.asarray(months, dtype=np.int64), repeat)
    whole, odd = np.divmod(counts, 12)
    expected = whole + np.where(odd == 0, 0.0, np.where(odd <= 6, 0.5, 1.0))
    found = replacement_rates.counted_years(counts, rules)
    assert found.dtype == expected.dtype
    np.testing.assert_array_equal(found, expected)


@settings(max_examples=100, deadline=None)
@given(
    bases=st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=60),
    brackets=st.lists(st.tuples(st.floats(0, 1e5), st.floats(0, 1)), min_size=1, max_size=6),
)
def test_a_marginal_scale_gives_each_person_the_value_they_get_alone(bases, brackets):
    """openfisca-core's ``calc`` sums the brackets with one ``numpy.dot``, whose last bit depends on how many
    persons are computed together (8 years on Viet Nam's 2026 accrual scale: 0.11 in a population,
    0.10999999999999999 alone). Ours does not, and stays within 1e-12 of it."""
    scale = MarginalRateTaxScale()
    for threshold, rate in sorted(brackets):
        scale.add_bracket(threshold, rate)
    everyone = formulas.marginal_rates(scale, np.asarray(bases))
    alone = [formulas.marginal_rates(scale, np.asarray([base]))[0] for base in bases]
    assert everyone.tolist() == alone
    np.testing.assert_allclose(everyone, scale.calc(np.asarray(bases)), rtol=1e-12, atol=1e-9)


def test_vietnams_accrual_for_eight_years_is_the_same_alone_and_in_a_population():
    men = _accrual("2026-10-01").men  # openfisca-core's calc gave 0.10999999999999999 and 0.11 here (its BLAS)
    assert formulas.marginal_rates(men, np.array([8.0]))[0] == formulas.marginal_rates(men, np.array([0.0, 8.0]))[1]


@settings(max_examples=80, deadline=None)
@given(
    amounts=st.lists(st.floats(-1e9, 1e9, allow_nan=False, width=32), min_size=1, max_size=200),
    decimals=st.integers(-3, 3),
)
def test_money_rounded_in_place_equals_the_rounding_formula(amounts, decimals):
    values = np.asarray(amounts, dtype=np.float32)
    scale = 10.0**decimals
    wide = values.astype(np.float64)
    expected = np.sign(wide) * np.floor(np.abs(wide) * scale + 0.5) / scale
    rounded = formulas.round_money(values, decimals)
    np.testing.assert_array_equal(rounded, expected)
    assert rounded.dtype == np.float64 and values.dtype == np.float32  # the input is left as it was


def test_a_single_amount_rounds_to_a_number():
    assert formulas.round_money(2.5, 0) == 3.0 and formulas.round_money(-2.5, 0) == -3.0
    assert np.ndim(formulas.round_money(1234.5678, 2)) == 0


@settings(max_examples=80, deadline=None)
@given(
    amounts=st.lists(st.floats(-1e9, 1e9, allow_nan=False, width=32), min_size=1, max_size=200),
    chosen=st.lists(st.booleans(), min_size=200, max_size=200),
    code=st.sampled_from(sorted(jurisdictions.registry())),
    single=st.booleans(),
)
def test_an_amount_paid_is_the_rounded_amount_where_eligible_and_0_elsewhere(amounts, chosen, code, single):
    """``amount_paid`` rounds only the eligible persons' amounts; the result is what rounding everyone, then
    keeping the eligible's, gives (an amount the same for everyone, given as one number, included)."""
    system = tax_benefit_system(code)
    count = len(amounts)
    person = simulation_from_arrays(system, count, {}).persons
    values = np.float64(amounts[0]) if single else np.asarray(amounts, dtype=np.float32)
    eligible = np.asarray(chosen[:count], dtype=bool)
    paid = formulas.amount_paid(person, values, eligible)
    everyone = np.broadcast_to(formulas.round_amount(np.asarray(values), system), (count,))
    np.testing.assert_array_equal(paid, np.where(eligible, everyone, 0))
    assert paid.dtype == np.float64 and paid.shape == (count,)


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_a_few_enumeration_names_encode_as_openfisca_core_encodes_them(data):
    system = tax_benefit_system(data.draw(st.sampled_from(list(jurisdictions.registry()))))
    enumerations = sorted(name for name, variable in system.variables.items() if variable.value_type is Enum)
    variable = system.variables[data.draw(st.sampled_from(enumerations))]
    names = [item.name for item in variable.possible_values]
    values = np.array(data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=SMALL_ENUM_INPUT)))
    encoded = small_enum_array(variable, values)
    expected = variable.possible_values.encode(values)
    assert type(encoded) is type(expected) and encoded.possible_values is expected.possible_values
    assert encoded.dtype == variable.dtype and np.array_equal(np.asarray(encoded), np.asarray(expected))


def test_enumeration_names_outside_the_shortcut_are_left_to_openfisca_core():
    variable = tax_benefit_system("lao").variables["sex"]
    assert small_enum_array(variable, np.array(["male", "unknown"])) is None  # openfisca-core's error
    assert small_enum_array(variable, np.array(["male"] * (SMALL_ENUM_INPUT + 1))) is None  # vectorised there
    assert small_enum_array(variable, np.array([0, 1])) is None  # indices: openfisca-core reads them
    assert small_enum_array(tax_benefit_system("lao").variables["contribution_months"], np.array(["1"])) is None


def _stored_or_error(simulation, name: str, write) -> tuple[str, object]:
    """What ``write()`` leaves in ``name``'s holder for May 2024, or the type of the error it raised."""
    try:
        write()
    except (ValueError, TypeError) as error:
        return "error", type(error)
    return "stored", simulation.persons._holders[name].get_array(periods.period("2024-05"))


NUMBERS = {  # values of each kind a caller's arrays come in, beyond the variable's range and precision too
    np.float64: st.floats(-1e12, 1e12, allow_nan=False),
    np.float32: st.floats(-1e6, 1e6, allow_nan=False, width=32),
    np.int64: st.integers(-(2**40), 2**40),
    np.int16: st.integers(-(2**15), 2**15 - 1),
    np.bool_: st.booleans(),
}


def _values(data, variable, length: int) -> np.ndarray:
    """An array a caller might hand ``set_input`` for ``variable``: names or indices of an enumeration, days,
    or numbers of any kind (cast or not)."""
    if variable.value_type is Enum:
        names = [item.name for item in variable.possible_values]
        values = np.array(data.draw(st.lists(st.sampled_from(names), min_size=length, max_size=length)))
        return variable.possible_values.encode(values) if data.draw(st.booleans()) else values
    if np.dtype(variable.dtype).kind == "M":
        days = st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 12, 31))
        return np.array(data.draw(st.lists(days, min_size=length, max_size=length)), dtype="datetime64[D]")
    dtype = data.draw(st.sampled_from([variable.dtype, *NUMBERS]))
    numbers = NUMBERS.get(dtype, st.integers(0, 100))
    return np.array(data.draw(st.lists(numbers, min_size=length, max_size=length)), dtype=dtype)


@pytest.mark.filterwarnings("ignore:invalid value encountered in cast:RuntimeWarning")  # both casts, alike
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_an_input_is_stored_as_openfisca_core_stores_it(data):
    """Values written by ``set_input`` (stored without openfisca-core's checks where they would pass, cast as it
    casts them) read back as those openfisca-core's ``Holder.set_input`` stores: the same dtype and values, or
    an error where it refuses them; monthly inputs for their month, eternal ones (birth date, sex) for ever."""
    system = tax_benefit_system(data.draw(st.sampled_from(list(jurisdictions.registry()))))
    inputs = sorted(
        name
        for name, variable in system.variables.items()
        if variable.entity.key == "person"
        and not variable.formulas
        and variable.definition_period in ("month", "eternity")
    )
    variable = system.variables[data.draw(st.sampled_from(inputs))]
    period = "ETERNITY" if variable.definition_period == "eternity" else "2024-05"
    count = data.draw(st.integers(1, 5))
    values = _values(data, variable, data.draw(st.sampled_from([count, count, count + 1])))
    found = []
    for ours in (True, False):
        simulation = simulation_from_arrays(system, count, {})
        holder = simulation.persons.get_holder(variable.name)
        write = (
            partial(set_input, simulation, variable.name, period, values)
            if ours
            else partial(holder.set_input, period, values.copy())
        )
        found.append(_stored_or_error(simulation, variable.name, write))
    (kind, value), (expected_kind, expected) = found
    assert kind == expected_kind
    if kind == "stored":
        assert type(value) is type(expected) and value.dtype == expected.dtype
        np.testing.assert_array_equal(np.asarray(value), np.asarray(expected))
    else:
        assert value is expected


@settings(max_examples=200, deadline=None)
@given(data=st.data(), count=st.sampled_from([0, 1, 3, 8, formulas.FEW_OBJECTS, formulas.FEW_OBJECTS + 1, 150]))
def test_values_among_candidates_are_found_as_numpy_finds_them(data, count):
    """``among`` looks a few names, numbers or flags up in a set and compares more of them with numpy: both as
    ``np.isin``, for names (objects and text), enumeration indices, counts and flags."""
    kind = data.draw(st.sampled_from(["object", "text", "int16", "int64", "bool"]))
    if kind in ("object", "text"):
        pool = ["days", "weeks", "months", "lifetime", "", "not_modelled"]
        values = data.draw(st.lists(st.sampled_from(pool), min_size=count, max_size=count))
        candidates = data.draw(st.lists(st.sampled_from([*pool[:4], "other"]), max_size=4))
        array = np.array(values, dtype=object if kind == "object" else str)
        plain = np.array(values, dtype=str)
    else:
        numbers = st.booleans() if kind == "bool" else st.integers(-3, 12)
        values = data.draw(st.lists(numbers, min_size=count, max_size=count))
        candidates = data.draw(st.lists(st.integers(-3, 12), max_size=5))
        array = plain = np.array(values, dtype=kind)
    expected = np.isin(plain, np.array(candidates, dtype=plain.dtype if kind != "bool" else np.int64))
    found = formulas.among(array, candidates)
    assert found.dtype == bool and found.shape == array.shape
    np.testing.assert_array_equal(found, expected)


@settings(max_examples=150, deadline=None)
@given(
    count=st.sampled_from([1, 2, 7, 40, formulas.FEW_SELECTED + 1]),
    data=st.data(),
)
def test_the_first_condition_that_holds_is_chosen_as_np_select_chooses(count, data):
    """A reason formula's ``first_that_holds`` gives what ``np.select`` gives (the same values and dtype), for a
    few persons and for many (looked up by the conditions' bits, up to 16 conditions), with a condition that is
    one value for everyone too, and a choice that differs by person."""
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    conditions = []
    for _ in range(data.draw(st.integers(1, 20))):
        shared = data.draw(st.booleans())
        conditions.append(np.bool_(data.draw(st.booleans())) if shared else rng.random(count) > 0.7)
    conditions.append(rng.random(count) > 0.7)  # at least one per person
    choices = [data.draw(st.integers(0, 30)) for _ in conditions]
    if data.draw(st.booleans()):
        choices[0] = rng.integers(0, 30, count)
    default = data.draw(st.integers(0, 30))
    found = formulas.first_that_holds(conditions, choices, default=default)
    expected = np.select(conditions, choices, default=default)
    assert found.dtype == expected.dtype
    np.testing.assert_array_equal(found, expected)


@pytest.mark.parametrize("count", [3, formulas.FEW_SELECTED + 1])
def test_conditions_and_choices_that_do_not_pair_are_refused_as_np_select_refuses_them(count):
    conditions = [np.ones(count, dtype=bool), np.zeros(count, dtype=bool)]
    with pytest.raises(ValueError):
        formulas.first_that_holds(conditions, [1], default=0)
    with pytest.raises(ValueError):
        np.select(conditions, [1], default=0)


def test_conditions_that_are_not_flags_are_refused_for_many_persons_as_np_select_refuses_them():
    numbers = [np.ones(formulas.FEW_SELECTED + 1, dtype=np.int64)]
    with pytest.raises(TypeError):
        formulas.first_that_holds(numbers, [1], default=0)
    with pytest.raises(TypeError):
        np.select(numbers, [1], default=0)


def _persons(code: str, values: dict[str, np.ndarray], month: str):
    """The persons of a simulation of ``code``'s rules with ``values`` as their inputs in ``month``."""
    count = len(next(iter(values.values())))
    simulation = build_simulation(tax_benefit_system(code), np.arange(count))
    for name, array in values.items():
        set_input(simulation, name, month, array)
    return simulation.persons


@settings(max_examples=60, deadline=None)
@given(regions=st.lists(st.integers(-2, 7), min_size=1, max_size=40), multiple=st.integers(1, 6))
def test_a_reference_amount_by_region_is_the_amount_the_law_sets_for_the_persons_region(regions, multiple):
    """Viet Nam's regional minimum wage (Employment Law 2013 Art 50(1)) looked up by region: a region the law
    names gets its amount; any other (0, unknown; a number the law does not name) the highest, as the formula
    says, person by person."""
    month = "2026-10"
    persons = _persons("vnm", {"minimum_wage_region": np.array(regions, dtype=np.int32)}, month)
    period = periods.period(month)
    amounts = tax_benefit_system("vnm").parameters(period.start).reference_amounts.regional_minimum_wage
    by_region = {int(key.split("_")[1]): float(amounts[key]) for key in amounts}
    found = formulas.person_reference_amount(
        persons, period, tax_benefit_system("vnm").parameters, {"regional_minimum_wage": multiple}
    )
    expected = [multiple * by_region.get(region, max(by_region.values())) for region in regions]
    assert found.dtype == np.float64
    np.testing.assert_array_equal(found, expected)


@settings(max_examples=40, deadline=None)
@given(
    outcomes=st.lists(st.sampled_from(["none", "live_birth", "pregnancy_loss"]), min_size=1, max_size=30),
    node=st.dictionaries(st.sampled_from(["live_birth", "pregnancy_loss", "stillbirth"]), st.integers(0, 12)),
)
def test_a_value_by_pregnancy_outcome_is_the_value_set_for_the_persons_outcome(outcomes, node):
    """A value the law sets by pregnancy outcome is the outcome's, and a very large number where it sets none
    (an outcome it does not name, or a name the enumeration lacks), person by person."""
    persons = _persons("vnm", {"pregnancy_outcome": np.array(outcomes)}, "2026-10")
    found = formulas.by_outcome(persons, periods.period("2026-10"), node)
    expected = [node.get(outcome, np.iinfo(np.int32).max) for outcome in outcomes]
    assert found.dtype == np.int64
    np.testing.assert_array_equal(found, expected)


def _lazy(condition: np.ndarray, calls: list[int], position: int):
    """``condition`` as a function that computes it, noting each call."""

    def computed() -> np.ndarray:
        calls.append(position)
        return condition

    return computed


@settings(max_examples=150, deadline=None)
@given(count=st.sampled_from([1, 2, 8, 40, formulas.FEW_SELECTED + 1]), data=st.data())
def test_a_condition_given_as_a_function_is_computed_only_for_those_the_earlier_ones_leave(count, data):
    """The law stops at the first unmet condition: a condition written ``lambda: …`` is computed only if someone
    is not settled by the conditions before it, and the choice is np.select's over every condition all the same."""
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    size = data.draw(st.integers(1, 8))
    shares = [data.draw(st.sampled_from([0.0, 0.3, 0.9, 1.0])) for _ in range(size)]
    conditions = [rng.random(count) < share for share in shares]
    lazy = [position > 0 and data.draw(st.booleans()) for position in range(size)]
    choices = [data.draw(st.integers(0, 30)) for _ in conditions]
    calls: list[int] = []
    given_ = [_lazy(c, calls, p) if lazy[p] else c for p, (c, lazy_) in enumerate(zip(conditions, lazy, strict=True))]
    persons = build_simulation(tax_benefit_system("lao"), np.arange(count)).persons
    found = formulas.first_that_holds(given_, choices, default=31, person=persons)
    np.testing.assert_array_equal(found, np.select(conditions, choices, default=31))
    settled = np.logical_or.accumulate(conditions, axis=0)  # settled[i]: by conditions 0 to i
    needed = [p for p in range(size) if lazy[p] and not settled[p - 1].all()]
    assert calls == needed


@pytest.mark.parametrize("how", ["records", "traces", "no person"])
def test_every_condition_is_computed_where_the_simulation_records_or_traces_what_the_rules_read(how):
    """The facts and parameters a condition reads are found by computing it (decisions.tracing, the population's
    recordings of what the rules read): there, and without a person, every condition is computed."""
    simulation = build_simulation(tax_benefit_system("lao"), np.arange(3))
    if how == "records":
        recording(simulation, Reads())
    elif how == "traces":
        simulation.trace = True
    calls: list[int] = []
    everyone = np.ones(3, dtype=bool)
    later = [_lazy(np.zeros(3, dtype=bool), calls, position) for position in (1, 2)]
    person = None if how == "no person" else simulation.persons
    found = formulas.first_that_holds([everyone, *later], [4, 5, 6], default=0, person=person)
    np.testing.assert_array_equal(found, [4, 4, 4])
    assert calls == [1, 2]


def test_a_claim_refused_at_its_first_condition_computes_none_of_the_later_ones_yet_their_facts_are_traced():
    """A person not separated from work is refused unemployment benefit without counting their contributions
    (Lao PDR: the 24-month window); the facts of those later conditions are still those the decision lists
    when missing (found on the call graph, which computes every condition)."""
    system = tax_benefit_system("lao")
    simulation = build_simulation(system, np.arange(2))
    set_input(simulation, "separation_reason", "2024-06", np.array(["not_separated"] * 2))
    reason = simulation.calculate("unemployment_benefit_ineligibility_reason", "2024-06")
    assert list(reason.decode_to_str()) == ["not_separated", "not_separated"]
    computed = {name for name, holder in simulation.persons._holders.items() if holder.get_known_periods()}
    assert "unemployment_contribution_months" not in computed and "days_registered_unemployed" not in computed
    facts = {name for name, _ in traced_facts(system, ("unemployment_benefit_ineligibility_reason",), "2024-06")}
    assert "unemployment_registration_date" in facts  # read by days_registered_unemployed, a later condition


@settings(max_examples=60, deadline=None)
@given(
    regions=st.lists(st.integers(-2, 7), min_size=1, max_size=30),
    offsets=st.lists(st.integers(0, 16 * 366), min_size=1, max_size=30),
    multiple=st.integers(1, 6),
)
def test_a_reference_amount_on_each_persons_day_is_the_amount_in_force_that_day(regions, offsets, multiple):
    """Viet Nam's cap of 5 regional minimum wages at the end of the contract (Employment Law 2013 Art 50(1)):
    each person's day read once per distinct day, as the amount in force that day for the person's region
    (NaN before the first regional amount, 1 January 2014), person by person."""
    count = min(len(regions), len(offsets))
    days = np.datetime64("2012-01-01") + np.array(offsets[:count])
    month = "2026-10"
    persons = _persons("vnm", {"minimum_wage_region": np.array(regions[:count], dtype=np.int32)}, month)
    parameters = tax_benefit_system("vnm").parameters
    found = formulas.person_reference_amount_on(
        persons, periods.period(month), parameters, {"regional_minimum_wage": multiple}, days
    )
    expected = []
    for region, day in zip(regions[:count], days.tolist(), strict=True):
        amounts = parameters(day.isoformat()).reference_amounts.regional_minimum_wage
        by_region = {int(key.split("_")[1]): float(amounts[key]) for key in amounts}
        expected.append(multiple * by_region.get(region, max(by_region.values())) if by_region else np.nan)
    np.testing.assert_array_equal(found, expected)


@settings(max_examples=60, deadline=None)
@given(offsets=st.lists(st.integers(0, 16 * 366), min_size=1, max_size=30))
def test_the_distinct_readings_of_days_give_every_amount_the_days_give(offsets):
    """The unemployment cap's check of the days the contract may have ended reads the amounts once per set in
    force (a few), not once per day: each day's amounts are those of one reading, and no two readings are alike."""
    days = np.datetime64("2012-01-01") + np.array(offsets)
    persons = _persons("vnm", {"minimum_wage_region": np.array([1], dtype=np.int32)}, "2026-10")
    parameters = tax_benefit_system("vnm").parameters
    multiple = {"regional_minimum_wage": 5}
    readings = formulas.distinct_readings(persons, multiple, days)
    assert set(readings.tolist()) <= set(days.tolist())

    def on(day):
        return formulas.person_reference_amount_on(persons, periods.period("2026-10"), parameters, multiple, [day])[0]

    read = [on(day) for day in readings]
    assert all(on(day) in read or (np.isnan(on(day)) and np.isnan(read).any()) for day in days.tolist())
    assert len({"NaN" if amount != amount else amount for amount in read}) == len(read)


def test_nobody_eligible_for_unemployment_benefit_computes_no_check_of_its_maximum():
    """Viet Nam's cap read on the end of the contract: where nobody is eligible, whether the cap could differ is
    not computed (it cost a millisecond of every one-person decision): not the benefit uncapped, not the maximum."""
    simulation = build_simulation(tax_benefit_system("vnm"), np.arange(2))
    set_input(simulation, "separation_reason", "2024-06", np.array(["not_separated"] * 2))
    assert not simulation.calculate("unemployment_benefit_maximum_provisional", "2024-06").any()
    computed = {name for name, holder in simulation.persons._holders.items() if holder.get_known_periods()}
    assert "unemployment_reference_wage" not in computed and "employment_end_date" not in computed
