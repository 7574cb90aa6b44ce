"""The synthetic population generator: seeded, batch-independent, household-whole, shaped as sourced, runs through the rules."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from openfisca_sp import tax_benefit_system
from openfisca_sp.rules.enums import PregnancyOutcome, SeparationReason, Sex
from openfisca_sp.rules.simulations import simulation_from_arrays
from openfisca_sp.synthetic import (
    BLOCK_PERSONS,
    SAMPLE_JURISDICTIONS,
    SAMPLE_PERIOD,
    SAMPLE_PERSONS,
    SAMPLE_SEED,
    SHAPES,
    generate,
    generate_batches,
    provenance,
    sample_path,
    shape,
    wage_columns,
    write_parquet,
)

PERIOD = "2026-10"
JURISDICTIONS = ("lao", "vnm", "ilo_c102", "tjk")
MODELLED_BRANCHES = {"tjk": 1}  # branches with eligibility modelled, where not 3 or more (Tajikistan: old age)
STATISTICS_PERSONS = 200_000
BRANCHES = (
    "old_age_pension_eligible",
    "maternity_benefit_eligible",
    "unemployment_benefit_eligible",
    "disability_benefit_eligible",
)


@pytest.fixture(scope="module", params=JURISDICTIONS)
def large(request: pytest.FixtureRequest) -> tuple[str, pa.Table]:
    """About 200,000 synthetic persons of a jurisdiction, for the statistical checks."""
    return request.param, generate(request.param, STATISTICS_PERSONS, PERIOD, seed=11)


def column(table: pa.Table, name: str) -> np.ndarray:
    """A column as a numpy array (strings as objects, null dates as NaT)."""
    return table.column(name).to_numpy(zero_copy_only=False)


def ages(table: pa.Table) -> np.ndarray:
    """Age in years on the first day of the month evaluated."""
    days = (np.datetime64(f"{PERIOD}-01") - column(table, "birth_date").astype("datetime64[D]")).astype(np.int64)
    return days / 365.25


# (a) seeds


def test_the_same_seed_gives_the_same_table_and_another_seed_a_different_one() -> None:
    first = generate("lao", 5_000, PERIOD, seed=3)
    assert first.equals(generate("lao", 5_000, PERIOD, seed=3), check_metadata=True)
    other = generate("lao", 5_000, PERIOD, seed=4)
    assert not first.equals(other)
    assert not np.array_equal(column(first, "birth_date"), column(other, "birth_date"))


def test_exactly_the_persons_asked_for() -> None:
    for persons in (0, 1, 7, BLOCK_PERSONS + 1):
        table = generate("vnm", persons, PERIOD, seed=1)
        assert table.num_rows == persons
        assert len(np.unique(column(table, "person_id"))) == persons


@pytest.mark.parametrize(
    ("call", "told"),
    [
        (lambda: generate("lao", 2.5, PERIOD), "persons must be a whole number of persons, from 0 to 1,000,000,000"),
        (lambda: generate("lao", "10", PERIOD), "persons must be a whole number of persons, from 0 to 1,000,000,000"),
        (lambda: generate("lao", -5, PERIOD), "persons must be a whole number of persons, from 0 to 1,000,000,000"),
        (lambda: generate("lao", 10, PERIOD, seed=-1), "seed must be a whole number, 0 or more, not -1"),
        (lambda: generate("lao", 10, "2026-10-01"), "period must be a month, YYYY-MM, from 1900-01 to 2199-12"),
        (lambda: generate("lao", 10, "1850-01"), "period must be a month, YYYY-MM, from 1900-01 to 2199-12"),
        (lambda: wage_columns("2026-13"), "period must be a month, YYYY-MM, from 1900-01 to 2199-12"),
        (lambda: generate_batches("lao", 10, PERIOD, batch_persons=0), "batch_persons must be a whole number of"),
        (lambda: write_parquet("unused.parquet", "lao", 10, PERIOD, partitions=0), "partitions must be a whole number"),
        (lambda: write_parquet("unused", "lao", 10, PERIOD, partitions=11), r"from 1 to 10 \(each holds whole"),
    ],
)
def test_arguments_are_refused_in_words_before_anything_is_made(call, told: str) -> None:
    """A hunt (stop 79): ``persons=2.5`` failed in NumPy's broadcasting, ``"10"`` in a comparison, ``seed=-1`` in
    NumPy's words; a day was taken for its month and 1850-01 made a table no rule reads; a batch of 0 persons was
    taken for one block; 0 partitions wrote one file (the command line refused each)."""
    with pytest.raises(ValueError, match=told):
        call()  # generate_batches: at the call, before the first batch is asked for


# (b) batches


def test_batches_concatenate_to_the_table_whatever_their_size() -> None:
    persons = 2 * BLOCK_PERSONS + 1234
    whole = generate("vnm", persons, PERIOD, seed=5)
    for batch_persons in (BLOCK_PERSONS, 2 * BLOCK_PERSONS, 10_000_000):
        batches = list(generate_batches("vnm", persons, PERIOD, seed=5, batch_persons=batch_persons))
        assert pa.concat_tables(batches).equals(whole, check_metadata=True)
    assert len(list(generate_batches("vnm", persons, PERIOD, seed=5, batch_persons=BLOCK_PERSONS))) == 3


# (c) households


def assert_whole_households(table: pa.Table) -> None:
    """Households are contiguous runs with exactly one head, their first member, whose id is the household's."""
    household = column(table, "household_id")
    head = column(table, "is_household_head")
    starts = np.flatnonzero(np.r_[True, household[1:] != household[:-1]]) if len(household) else np.array([], int)
    assert len(starts) == len(np.unique(household)), "a household's rows are not contiguous"
    assert np.array_equal(np.flatnonzero(head), starts), "the head is not the one first member of each household"
    assert np.array_equal(household[starts], column(table, "person_id")[starts])


def test_households_are_whole_with_one_head_and_never_split_across_batches() -> None:
    persons = 2 * BLOCK_PERSONS + 777
    batches = list(generate_batches("lao", persons, PERIOD, seed=2, batch_persons=BLOCK_PERSONS))
    seen: set[int] = set()
    for batch in batches:
        assert_whole_households(batch)
        households = set(column(batch, "household_id").tolist())
        assert not households & seen, "a household is split across batches"
        seen |= households
    assert_whole_households(pa.concat_tables(batches))


def test_partitions_hold_whole_households_of_about_equal_size(tmp_path) -> None:
    persons = 30_001
    directory = write_parquet(tmp_path / "lao", "lao", persons, PERIOD, seed=9, partitions=4)
    files = sorted(directory.glob("part-*.parquet"))
    assert [path.name for path in files] == [f"part-{index:05d}.parquet" for index in range(4)]
    parts = [pq.read_table(path) for path in files]
    seen: set[int] = set()
    for part in parts:
        assert_whole_households(part)
        assert abs(part.num_rows - persons / 4) < 50
        households = set(column(part, "household_id").tolist())
        assert not households & seen
        seen |= households
    assert pa.concat_tables(parts).equals(generate("lao", persons, PERIOD, seed=9))
    single = write_parquet(tmp_path / "lao.parquet", "lao", 1_000, PERIOD, seed=9)
    assert pq.read_table(single).equals(generate("lao", 1_000, PERIOD, seed=9), check_metadata=True)


# (d) the shapes hold


def test_age_structure_household_size_and_sex_follow_the_shape(large: tuple[str, pa.Table]) -> None:
    code, table = large
    spec = shape(code)
    age = ages(table)
    shares = spec["population"]["age_shares"]
    assert (age < 15).mean() == pytest.approx(shares["0-14"], abs=0.015)
    assert ((age >= 15) & (age < 65)).mean() == pytest.approx(shares["15-64"], abs=0.015)
    assert (age >= 65).mean() == pytest.approx(shares["65+"], abs=0.01)
    assert (column(table, "sex") == "female").mean() == pytest.approx(spec["population"]["female_share"], abs=0.015)
    _, sizes = np.unique(column(table, "household_id"), return_counts=True)
    assert sizes.mean() == pytest.approx(spec["households"]["mean_size"], abs=0.1)
    assert age.min() >= 0 and age.max() < 100


def test_contributors_wages_and_histories_follow_the_shape(large: tuple[str, pa.Table]) -> None:
    code, table = large
    spec = shape(code)
    age = ages(table)
    wages = np.stack([column(table, name) for name in wage_columns(PERIOD)])
    working_age = (age >= 15) & (age < 65)
    share = (wages[-1][working_age] > 0).mean()
    assert share == pytest.approx(spec["insurance"]["contributor_share_15_64"], rel=0.08)
    months = column(table, "contribution_months")
    assert np.all(months >= (wages > 0).sum(axis=0)), "fewer months credited than contributed in the window"
    assert np.all(wages[:, age < 15] == 0) and np.all(months[age < 15] == 0)
    insured = wages[-1] > 0
    median = np.median(wages[-1][insured & (column(table, "sex") == "male")])
    assert 0.7 < median / spec["wages"]["median"]["men"] < 1.6
    floors = spec["wages"]["minimum_wage"]
    if floors:
        lowest_now = min(np.atleast_1d(list(floors.values())[-1]))
        assert wages[-1][insured].min() >= lowest_now
    assert np.all(column(table, "career_average_insured_wage")[months == 0] == 0)
    assert np.all(column(table, "career_average_insured_wage")[months > 0] > 0)
    assert (column(table, "income")[age < 15] == 0).all()


def monthly_births_expected(code: str, table: pa.Table) -> float:
    """Live births a month that the shape gives: the crude birth rate, or the total fertility rate by age."""
    fertility = shape(code)["fertility"]
    if fertility["calibrate_to"] == "crude_birth_rate":
        return fertility["crude_birth_rate"] / 12_000 * table.num_rows
    age, female = ages(table), column(table, "sex") == "female"
    lows = np.array([int(group.split("-")[0]) for group in fertility["age_pattern"]])
    share = np.array(list(fertility["age_pattern"].values()))
    group = np.clip(np.searchsorted(lows, age, side="right") - 1, 0, len(lows) - 1)
    fertile = female & (age >= 15) & (age < 50)
    return float((fertile * fertility["total_fertility_rate"] * share[group] / 60).sum())


def test_births_over_the_window_follow_the_shape(large: tuple[str, pa.Table]) -> None:
    code, table = large
    fertility = shape(code)["fertility"]
    months = fertility["confinement_months"]
    assert months == 18
    outcome = column(table, "pregnancy_outcome")
    births = (outcome == "live_birth").sum()
    # At most one confinement a woman over the window: about ``months`` times the births of a month. (For the
    # total fertility rate, the expectation takes ages at M, the generator ages on the day: close, not equal.)
    expected = months * monthly_births_expected(code, table)
    assert abs(births - expected) < 4 * np.sqrt(expected)
    assert set(outcome) <= {"none", "live_birth", "pregnancy_loss"}
    confined = outcome != "none"
    losses = (outcome == "pregnancy_loss").sum()
    assert losses == pytest.approx(births * fertility["pregnancy_loss_per_live_birth"], rel=0.25)
    days = column(table, "child_birth_date").astype("datetime64[D]")
    assert np.all(np.isnat(days[~confined]))
    first, last = np.datetime64("2025-05-01"), np.datetime64(f"{PERIOD}-31")  # the 18 months 2025-05 ... 2026-10
    assert np.all((days[confined] >= first) & (days[confined] <= last))
    age_then = (days[confined] - column(table, "birth_date")[confined].astype("datetime64[D]")).astype(int) / 365.25
    female = column(table, "sex") == "female"
    assert np.all(female[confined]) and np.all((age_then >= 15) & (age_then < 50))
    # Uniform over the window's days: each month has its share of the confinements (no seasonality, none missing).
    month_of = days[confined].astype("datetime64[M]")
    window = np.arange(np.datetime64("2025-05"), np.datetime64("2026-11"))
    counts = np.array([(month_of == month).sum() for month in window])
    lengths = ((window + 1).astype("datetime64[D]") - window.astype("datetime64[D]")).astype(int)
    share = counts.sum() * lengths / lengths.sum()
    assert np.all(np.abs(counts - share) < 4 * np.sqrt(share))
    in_month = (outcome == "live_birth") & (days >= np.datetime64(f"{PERIOD}-01"))
    assert abs(in_month.sum() - expected / months) < 4 * np.sqrt(expected / months)
    twins = (column(table, "number_of_children_born") == 2).sum()
    assert twins <= births * fertility["twin_rate"] * 4 + 3


def test_disability_follows_the_shape_and_rises_with_age(large: tuple[str, pa.Table]) -> None:
    code, table = large
    spec = shape(code)["disability"]
    age = ages(table)
    disabled = column(table, "is_disabled")
    measured = age >= spec["minimum_age"]
    assert disabled[measured].mean() == pytest.approx(spec["prevalence"], abs=0.004)
    assert not disabled[~measured].any()
    assert disabled[age >= 60].mean() > 2 * disabled[(age >= 15) & (age < 45)].mean()
    degree, category = column(table, "disability_degree"), column(table, "disability_category")
    assert np.all(degree[~disabled] == 0) and np.all(category[~disabled] == 0)
    assert np.all((degree[disabled] > 0) & (degree[disabled] <= 100)) and np.all(category[disabled] >= 1)
    severe = column(table, "has_severe_disability")
    assert np.array_equal(severe, disabled & (degree >= spec["severe_min_degree"]))
    assert severe[disabled].mean() == pytest.approx(spec["severe_share"], abs=0.03)


def test_separations_and_registrations_are_consistent(large: tuple[str, pa.Table]) -> None:
    _, table = large
    reason = column(table, "separation_reason")
    assert set(reason) <= set(SeparationReason.__members__)
    assert (reason == "not_separated").mean() > 0.9
    registered = column(table, "unemployment_registration_date").astype("datetime64[D]")
    is_registered = ~np.isnat(registered)
    assert is_registered.any()
    assert np.all(reason[is_registered] != "not_separated")
    assert np.all(reason[is_registered] != "retirement")
    assert np.all(registered[is_registered] <= np.datetime64("2026-10-31"))
    # Separated in the last 12 months (last insured month 2 to 13 months before), registered 1 to 60 days later.
    assert np.all(registered[is_registered] >= np.datetime64("2025-09-02"))
    assert (registered[is_registered] < np.datetime64("2026-04-01")).mean() > 0.3, "not spread over the year"
    wages = np.stack([column(table, name) for name in wage_columns(PERIOD)])
    separated = (reason != "not_separated") & (reason != "retirement")
    assert np.all(wages[-1][separated] == 0), "a recently separated person still contributes"
    regions = column(table, "minimum_wage_region")
    assert set(regions) <= {int(code) for code in shape(large[0])["regions"]["minimum_wage_region"]}


def completed_months(birth: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Age in completed months on ``day``, as the rules count it (``age_in_months``)."""
    birth_month, month = birth.astype("datetime64[M]"), day.astype("datetime64[M]")
    birth_day = (birth - birth_month.astype("datetime64[D]")).astype(int)
    day_of_month = (day - month.astype("datetime64[D]")).astype(int)
    return (month - birth_month).astype(int) - (birth_day > day_of_month)


def test_pension_claims_are_dated_on_reaching_pensionable_age_in_the_last_12_months(
    large: tuple[str, pa.Table],
) -> None:
    code, table = large
    spec = shape(code)
    assert spec["claims"]["retirement_claim_months"] == 12
    retirement = spec["insurance"]["retirement_age"]
    female = column(table, "sex") == "female"
    required = np.round(np.where(female, retirement["women"], retirement["men"]) * 12).astype(int)
    birth = column(table, "birth_date").astype("datetime64[D]")
    claim = column(table, "old_age_claim_date").astype("datetime64[D]")
    claimed = ~np.isnat(claim)
    assert claimed.sum() > 20
    first, last = np.datetime64("2025-11-01"), np.datetime64(f"{PERIOD}-31")  # the 12 months 2025-11 ... 2026-10
    assert np.all((claim[claimed] >= first) & (claim[claimed] <= last))
    # The claim is the first day at pensionable age, as the rules count age.
    assert np.all(completed_months(birth[claimed], claim[claimed]) >= required[claimed])
    assert np.all(completed_months(birth[claimed], claim[claimed] - 1) < required[claimed])
    ever_insured = column(table, "contribution_months") > 0
    assert np.all(ever_insured[claimed])
    # Whoever reached it in the window, ever insured, without a claim, still contributes; nobody else claims.
    reached = (completed_months(birth, np.full(len(birth), last)) >= required) & (
        completed_months(birth, np.full(len(birth), first - 1)) < required
    )
    assert np.all(reached[claimed])
    still_contributing = column(table, wage_columns(PERIOD)[-1]) > 0
    assert np.all(still_contributing[reached & ever_insured & ~claimed])
    assert claimed.sum() > 0.8 * (reached & ever_insured).sum()


def test_no_event_is_dated_after_the_month(large: tuple[str, pa.Table]) -> None:
    _, table = large
    last = np.datetime64(f"{PERIOD}-31")
    for name in ("child_birth_date", "unemployment_registration_date", "old_age_claim_date"):
        days = column(table, name).astype("datetime64[D]")
        assert np.all(days[~np.isnat(days)] <= last), name


# (e) the schema


def expected_schema() -> list[tuple[str, pa.DataType]]:
    """The person-table contract, written out."""
    wages = [
        (f"insured_wage.{month}", pa.float64()) for month in (str(np.datetime64("2022-05") + i) for i in range(53))
    ]
    return [
        ("person_id", pa.int64()),
        ("household_id", pa.int64()),
        ("is_household_head", pa.bool_()),
        ("weight", pa.float64()),
        ("birth_date", pa.date32()),
        ("sex", pa.string()),
        ("contribution_months", pa.int32()),
        ("pension_points", pa.float64()),
        ("pension_capital", pa.float64()),
        ("career_average_insured_wage", pa.float64()),
        *wages,
        ("income", pa.float64()),
        ("separation_reason", pa.string()),
        ("employment_end_date", pa.date32()),
        ("unemployment_registration_date", pa.date32()),
        ("is_unemployed", pa.bool_()),
        ("is_available_for_work", pa.bool_()),
        ("pregnancy_outcome", pa.string()),
        ("child_birth_date", pa.date32()),
        ("number_of_children_born", pa.int32()),
        ("old_age_claim_date", pa.date32()),
        ("is_disabled", pa.bool_()),
        ("disability_degree", pa.float64()),
        ("disability_category", pa.int32()),
        ("has_severe_disability", pa.bool_()),
        ("minimum_wage_region", pa.int32()),
    ]


@pytest.mark.parametrize("code", JURISDICTIONS)
def test_the_schema_is_exactly_the_contract(code: str) -> None:
    table = generate(code, 500, PERIOD, seed=1)
    assert [(field.name, field.type) for field in table.schema] == expected_schema()
    assert wage_columns(PERIOD)[0] == "insured_wage.2022-05" and wage_columns(PERIOD)[-1] == "insured_wage.2026-09"
    assert set(column(table, "sex")) <= {"male", "female"}
    weight = column(table, "weight")
    assert np.allclose(weight.sum(), shape(code)["population"]["total"])
    assert table.schema.metadata[b"openfisca_sp.synthetic"].startswith(b"SYNTHETIC")


# (f) the rules read the table


def rule_inputs(table: pa.Table, period: str) -> dict[tuple[str, str], np.ndarray]:
    """Input arrays for the rules from a person table (enums as indices, no registration or birth as 1970-01-01)."""

    def dates(name: str) -> np.ndarray:
        return table.column(name).fill_null(0).to_numpy(zero_copy_only=False).astype("datetime64[D]")

    def enum(name: str, enumeration: type) -> np.ndarray:
        names = np.array(list(enumeration.__members__))
        indices = np.array([member.index for member in enumeration.__members__.values()])
        values = column(table, name).astype(str)
        order = np.argsort(names)
        return indices[order][np.searchsorted(names[order], values)]

    inputs = {
        ("birth_date", "ETERNITY"): dates("birth_date"),
        ("sex", "ETERNITY"): np.where(column(table, "sex") == "female", Sex.female.index, Sex.male.index),
        ("unemployment_registration_date", period): dates("unemployment_registration_date"),
        ("employment_end_date", period): dates("employment_end_date"),
        ("child_birth_date", period): dates("child_birth_date"),
        ("pregnancy_outcome", period): enum("pregnancy_outcome", PregnancyOutcome),
        ("separation_reason", period): enum("separation_reason", SeparationReason),
    }
    for name in (
        "contribution_months",
        "pension_points",
        "pension_capital",
        "career_average_insured_wage",
        "is_available_for_work",
        "number_of_children_born",
        "is_disabled",
        "disability_degree",
        "disability_category",
        "minimum_wage_region",
    ):
        inputs[(name, period)] = column(table, name)
    for name in wage_columns(period):
        inputs[("insured_wage", name.split(".", 1)[1])] = column(table, name)
    return inputs


@pytest.mark.parametrize("code", JURISDICTIONS)
def test_every_branch_the_jurisdiction_provides_has_eligible_persons(code: str) -> None:
    persons = 50_000
    table = generate(code, persons, PERIOD, seed=0)
    simulation = simulation_from_arrays(
        tax_benefit_system(code), persons, rule_inputs(table, PERIOD), household_of=column(table, "household_id")
    )
    provided = 0
    for branch in BRANCHES:
        reasons = simulation.calculate(branch.replace("_eligible", "_ineligibility_reason"), PERIOD).decode_to_str()
        if set(reasons) <= {"not_modelled", "not_provided_by_law"}:
            continue
        provided += 1
        eligible = simulation.calculate(branch, PERIOD)
        assert eligible.sum() > 0, f"{code}: nobody eligible for {branch}: {np.unique(reasons, return_counts=True)}"
    assert provided >= MODELLED_BRANCHES.get(code, 3)


# shipped samples and shape files


@pytest.mark.parametrize("code", SAMPLE_JURISDICTIONS)
def test_the_shipped_samples_are_what_the_generator_makes(code: str) -> None:
    path = sample_path(code)
    assert path.is_file() and path.name == f"{code}-{SAMPLE_PERIOD}.parquet"
    assert pq.ParquetFile(path).metadata.row_group(0).column(0).compression == "ZSTD"
    shipped = pq.read_table(path)
    assert shipped.equals(generate(code, SAMPLE_PERSONS, SAMPLE_PERIOD, seed=SAMPLE_SEED), check_metadata=True)


@pytest.mark.parametrize("code", sorted(SHAPES))
def test_every_shape_number_has_a_source_or_is_a_labelled_assumption(code: str) -> None:
    rows = provenance(code)
    assert rows
    for row in rows:
        if row["assumption"]:
            assert row["reason"]
        else:
            assert row["url"].startswith("http") and row["title"] and row["says"]
    assert {"lao", "vnm", "ilo_c102", "tjk"} <= set(SHAPES)
