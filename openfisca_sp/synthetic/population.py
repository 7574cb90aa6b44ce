"""The synthetic persons of one block: households, ages, careers, wages and events, vectorised with numpy.

A block is a run of whole households with its own random stream, so blocks can
be made in any order, alone or in batches, and always come out the same. Every
function here works on whole arrays: there is no Python loop over persons or
households (only over the 36 months of the wage history).

Dates are integers: days since 1970-01-01, or months since 1970-01 (a "month
index"). Ages are in years at the first day of the month evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from openfisca_sp.rules.enums import SeparationReason

WAGE_MONTHS = 36
DAYS_PER_YEAR = 365.25
MAX_AGE = 99.9
MIN_SPOUSE_AGE = 16
HEAD, SPOUSE, CHILD, ELDER = 0, 1, 2, 3
SEPARATION_REASONS = tuple(reason.name for reason in SeparationReason)
PREGNANCY_OUTCOMES = ("none", "live_birth", "pregnancy_loss")


@dataclass(frozen=True)
class Block:
    """A block of the population: its number (which seeds it), first person id and size."""

    index: int
    first_person: int
    persons: int


@dataclass(frozen=True)
class Calendar:
    """The month evaluated, as indices: month P, its first and last day, and the wage window."""

    month: int
    first_day: int
    last_day: int

    @classmethod
    def of(cls, period: str) -> Calendar:
        """The calendar of a month ``YYYY-MM``."""
        month = month_index(period)
        return cls(month, month_first_day(month), month_first_day(month + 1) - 1)

    @property
    def window_start(self) -> int:
        """The first of the 36 months before the month evaluated."""
        return self.month - WAGE_MONTHS


def month_index(text: str) -> int:
    """Months since 1970-01 of ``YYYY-MM``."""
    return int(np.datetime64(text, "M").astype(np.int64))


def month_first_day(months: Any) -> Any:
    """Days since 1970-01-01 of the first day of month index ``months`` (scalar or array)."""
    return np.asarray(months, dtype=np.int64).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def month_label(month: int) -> str:
    """``YYYY-MM`` of a month index."""
    return str(np.datetime64(int(month), "M"))


def group_bounds(groups: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Lower bounds (sorted) and values of age groups keyed ``"18-24"`` or ``"65+"``."""
    lows = [float(key.rstrip("+").split("-")[0]) for key in groups]
    order = np.argsort(lows)
    return np.asarray(lows)[order], np.asarray(list(groups.values()), dtype=np.float64)[order]


def by_age_group(ages: np.ndarray, groups: dict[str, Any], below: float = 0.0) -> np.ndarray:
    """The value of each person's age group (``below`` under the youngest group)."""
    lows, values = group_bounds(groups)
    index = np.searchsorted(lows, ages, side="right") - 1
    return np.where(index >= 0, values[np.maximum(index, 0)], below)


def uniform(rng: np.random.Generator, low: Any, high: Any, size: int) -> np.ndarray:
    """Uniform draws on [low, high) (arrays allowed)."""
    return low + rng.random(size) * (np.asarray(high) - np.asarray(low))


def draw_grouped_ages(rng: np.random.Generator, count: int, weights: dict[str, float]) -> np.ndarray:
    """Ages drawn from relative weights of age groups ``"a-b"`` (uniform within a group)."""
    keys = list(weights)
    lows = np.array([float(key.split("-")[0]) for key in keys])
    highs = np.array([float(key.split("-")[1]) + 1 for key in keys])
    probabilities = np.array([weights[key] for key in keys], dtype=np.float64)
    group = rng.choice(len(keys), size=count, p=probabilities / probabilities.sum())
    return uniform(rng, lows[group], highs[group], count)


def household_sizes(rng: np.random.Generator, persons: int, mean_size: float, max_size: int) -> np.ndarray:
    """Household sizes (1 + Poisson, capped) adding up to exactly ``persons``: the last household is trimmed."""
    sizes = np.empty(0, dtype=np.int64)
    while sizes.sum() < persons:
        count = int((persons - sizes.sum()) / mean_size * 1.1) + 8
        drawn = 1 + np.minimum(rng.poisson(mean_size - 1, count), max_size - 1)
        sizes = np.concatenate([sizes, drawn])
    ends = np.cumsum(sizes)
    count = int(np.searchsorted(ends, persons)) + 1
    sizes = sizes[:count].copy()
    sizes[-1] -= ends[count - 1] - persons
    return sizes


@dataclass
class Households:
    """Household structure of a block: per household, and each person's household and place in it."""

    sizes: np.ndarray
    starts: np.ndarray
    of_person: np.ndarray
    position: np.ndarray
    role: np.ndarray
    head_age: np.ndarray
    head_male: np.ndarray
    region: np.ndarray


def make_households(rng: np.random.Generator, persons: int, shape: dict[str, Any]) -> Households:
    """Households of a block: sizes, roles (head, spouse, child or grandchild, elderly parent), region."""
    spec = shape["households"]
    sizes = household_sizes(rng, persons, spec["mean_size"], spec["max_size"])
    count = len(sizes)
    starts = np.cumsum(sizes) - sizes
    of_person = np.repeat(np.arange(count), sizes)
    position = np.arange(persons) - starts[of_person]
    head_age = draw_grouped_ages(rng, count, spec["head_age_weights"])
    has_spouse = (sizes >= 2) & (rng.random(count) < spec["spouse_share"])
    has_elder = (sizes >= 2 + has_spouse) & (head_age < spec["elder_max_head_age"])
    has_elder &= rng.random(count) < spec["elder_share"]
    role = np.full(persons, CHILD, dtype=np.int8)
    role[(position == 1) & has_spouse[of_person]] = SPOUSE
    role[(position == sizes[of_person] - 1) & has_elder[of_person] & (position > 0)] = ELDER
    role[position == 0] = HEAD
    regions = shape["regions"]["minimum_wage_region"]
    codes = np.array([int(code) for code in regions])
    shares = np.array(list(regions.values()), dtype=np.float64)
    region = codes[rng.choice(len(codes), size=count, p=shares / shares.sum())]
    head_male = rng.random(count) < np.where(has_spouse, spec["male_head_share"], 1 - spec["lone_head_female_share"])
    return Households(sizes, starts, of_person, position, role, head_age, head_male, region)


def member_ages_and_sexes(
    rng: np.random.Generator, households: Households, shape: dict[str, Any]
) -> tuple[np.ndarray, np.ndarray]:
    """Each person's age (years) and sex (True for women), from their role in the household."""
    spec = shape["households"]
    persons = len(households.role)
    of = households.of_person
    head_age, head_male = households.head_age, households.head_male
    gap = spec["spouse_age_gap"]
    spouse_gap = rng.normal(gap["mean"], gap["sd"], len(head_age))
    spouse_age = np.clip(np.where(head_male, head_age - spouse_gap, head_age + spouse_gap), MIN_SPOUSE_AGE, MAX_AGE)
    reference_woman = np.where(head_male, head_age - gap["mean"], head_age)
    has_spouse = np.zeros(len(head_age), dtype=bool)
    has_spouse[of[households.role == SPOUSE]] = True
    reference_woman = np.where(head_male & has_spouse, spouse_age, reference_woman)

    mother = reference_woman[of]
    grandchild = (mother >= spec["grandchild_min_reference_age"]) & (rng.random(persons) < spec["grandchild_share"])
    low = np.where(grandchild, spec["grandchild_gap"][0], spec["birth_gap"][0])
    high = np.maximum(np.minimum(np.where(grandchild, spec["grandchild_gap"][1], spec["birth_gap"][1]), mother), low)
    child_age = mother - uniform(rng, low, high, persons)
    child_age = np.where(child_age > 0, child_age, rng.random(persons))
    elder_age = np.minimum(head_age[of] + uniform(rng, *spec["elder_gap"], persons), MAX_AGE)
    role = households.role
    age = np.select(
        [role == HEAD, role == SPOUSE, role == ELDER],
        [head_age[of], spouse_age[of], elder_age],
        default=child_age,
    )
    female = np.select(
        [role == HEAD, role == SPOUSE, role == ELDER],
        [~head_male[of], head_male[of], rng.random(persons) < spec["elder_female_share"]],
        default=rng.random(persons) < spec["female_share_at_birth"],
    )
    return np.clip(age, 0, MAX_AGE), female


@dataclass
class Careers:
    """Insured careers: who was ever insured, the months contributed (start, exit, gap), and the wage level."""

    ever: np.ndarray
    start: np.ndarray
    exit: np.ndarray
    gap_start: np.ndarray
    gap_end: np.ndarray
    months_before_window: np.ndarray
    wage_level: np.ndarray
    recently_separated: np.ndarray
    retired: np.ndarray


def normalised_probability(risk: np.ndarray, among: np.ndarray, target: float) -> np.ndarray:
    """``risk`` scaled so that its mean among ``among`` is ``target`` (capped at 0.95)."""
    total = risk[among].sum()
    scale = target * among.sum() / total if total > 0 else 0.0
    return np.clip(risk * scale, 0.0, 0.95)


def ever_insured_probability(age: np.ndarray, female: np.ndarray, spec: dict[str, Any]) -> np.ndarray:
    """Chance of having ever been insured, scaled so that the sourced share of 15-64s contribute now."""
    retirement = np.where(female, spec["retirement_age"]["women"], spec["retirement_age"]["men"])
    profile = by_age_group(age, spec["age_profile"]) * np.where(female, spec["women_relative_rate"], 1.0)
    current_given_ever = np.where(
        age < retirement, spec["current_share_of_ever_insured"], spec["still_contributing_after_retirement_age"]
    )
    working_age = (age >= 15) & (age < 65)
    current = normalised_probability(profile * current_given_ever, working_age, spec["contributor_share_15_64"])
    return np.clip(current / current_given_ever, 0.0, 1.0)


def career_spans(
    rng: np.random.Generator,
    age: np.ndarray,
    female: np.ndarray,
    birth_month: np.ndarray,
    calendar: Calendar,
    spec: dict[str, Any],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First insured month, first month no longer insured (the month evaluated if still insured), and retired.

    Under pensionable age, the ever insured are insured now, separated in the
    last 12 months, or left long ago; above it, most left at (or a little
    before) pensionable age.
    """
    persons, now = len(age), calendar.month
    retirement = np.where(female, spec["retirement_age"]["women"], spec["retirement_age"]["men"])
    low, high = spec["career_start_age"]
    start = birth_month + np.round(uniform(rng, low, np.clip(age, low, high), persons) * 12).astype(np.int64)
    scheme_start = month_index(spec["scheme_start"]) if spec.get("scheme_start") else None
    if scheme_start is not None:
        start = np.maximum(start, scheme_start)
    start = np.minimum(start, now - 1)

    current_share, recent_share = spec["current_share_of_ever_insured"], spec["recently_separated_share"]
    status = rng.random(persons)
    below_retirement = age < retirement
    recent = below_retirement & (status >= current_share) & (status < current_share + recent_share)
    lapsed = below_retirement & (status >= current_share + recent_share)
    recent |= lapsed & (start >= now - 13)  # too new in insured employment to have left it long ago
    lapsed &= start < now - 13
    retired = ~below_retirement & (rng.random(persons) >= spec["still_contributing_after_retirement_age"])
    retirement_month = birth_month + np.round(retirement * 12).astype(np.int64)
    exit_month = np.select(
        [recent, lapsed, retired],
        [
            now - rng.integers(1, 13, persons),
            rng.integers(np.minimum(start + 1, now - 12), now - 11),
            retirement_month - rng.integers(0, 12 * spec["early_exit_years"] + 1, persons),
        ],
        default=now,
    )
    exit_month = np.minimum(exit_month, now)
    start = np.minimum(start, exit_month - 1)
    if scheme_start is not None:  # whoever left before the scheme existed was never insured
        start = np.where(exit_month > scheme_start, np.maximum(start, scheme_start), exit_month)
    return start, exit_month, retired


def make_careers(
    rng: np.random.Generator,
    age: np.ndarray,
    female: np.ndarray,
    birth_month: np.ndarray,
    region: np.ndarray,
    calendar: Calendar,
    shape: dict[str, Any],
) -> Careers:
    """Who is or was insured, when their insured employment started and ended, gaps, and their wage level."""
    spec = shape["insurance"]
    persons, now = len(age), calendar.month
    ever = rng.random(persons) < ever_insured_probability(age, female, spec)
    start, exit_month, retired = career_spans(rng, age, female, birth_month, calendar, spec)
    ever &= exit_month > start

    gap_low, gap_high = spec["gap_months"]
    has_gap = ever & (exit_month == now) & (rng.random(persons) < spec["gap_share"])
    gap_length = rng.integers(gap_low, gap_high + 1, persons)
    gap_start = np.where(has_gap, rng.integers(calendar.window_start, now - 1 - gap_length), 0)

    density = spec["contribution_density"]
    alpha, beta = density["mean"] * density["concentration"], (1 - density["mean"]) * density["concentration"]
    span_before = np.maximum(np.minimum(exit_month, calendar.window_start) - start, 0)
    months_before = np.round(span_before * rng.beta(alpha, beta, persons)).astype(np.int64)
    months_before = np.maximum(months_before, span_before > 0)  # an insured career has at least a month

    wage_level = wage_levels(rng, age, female, region, calendar, shape)
    return Careers(
        ever=ever,
        start=np.where(ever, start, 0),
        exit=np.where(ever, exit_month, 0),
        gap_start=gap_start,
        gap_end=np.where(has_gap, gap_start + gap_length, 0),
        months_before_window=np.where(ever, months_before, 0),
        wage_level=np.where(ever, wage_level, 0.0),
        recently_separated=ever & (exit_month < now) & (exit_month >= now - 12),
        retired=ever & retired,
    )


def growth_factor(months_from_now: Any, annual_growth: float) -> Any:
    """Wage level ``months_from_now`` months away relative to now, at ``annual_growth`` a year."""
    return np.power(1.0 + annual_growth, np.asarray(months_from_now, dtype=np.float64) / 12.0)


def median_wage_now(female: np.ndarray, calendar: Calendar, shape: dict[str, Any]) -> np.ndarray:
    """The median wage of each person's sex in the money of the month evaluated."""
    wages = shape["wages"]
    median = np.where(female, wages["median"]["women"], wages["median"]["men"])
    return median * growth_factor(calendar.month - month_index(wages["as_of"]), wages["nominal_growth"])


def wage_levels(
    rng: np.random.Generator,
    age: np.ndarray,
    female: np.ndarray,
    region: np.ndarray,
    calendar: Calendar,
    shape: dict[str, Any],
) -> np.ndarray:
    """Each person's insured wage in the month evaluated (lognormal around the median, by age, sex and region)."""
    wages = shape["wages"]
    codes = np.array([int(code) for code in wages["region_factor"]])
    factor_of_region = np.ones(max(codes.max(), region.max(initial=0)) + 1)
    factor_of_region[codes] = list(wages["region_factor"].values())
    by_region = factor_of_region[region]
    level = median_wage_now(female, calendar, shape) * by_age_group(age, wages["age_factor"], below=0.75)
    return level * by_region * rng.lognormal(0.0, wages["sigma"], len(age))


def minimum_wage_table(shape: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Months from which each minimum wage applies, and the amounts (one column per region 1..n)."""
    table = shape["wages"]["minimum_wage"] or {}
    months = np.array([month_index(month) for month in table], dtype=np.int64)
    amounts = np.array([np.atleast_1d(amount) for amount in table.values()], dtype=np.float64)
    order = np.argsort(months)
    return months[order], amounts[order] if len(months) else np.zeros((0, 1))


def minimum_wage(month: int, region: np.ndarray, table: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """The minimum wage in force in ``month`` for each person's region (0 where none is known)."""
    months, amounts = table
    row = int(np.searchsorted(months, month, side="right")) - 1
    if row < 0:
        return np.zeros(len(region))
    amounts_now = amounts[row]
    if len(amounts_now) == 1:
        return np.full(len(region), amounts_now[0])
    return amounts_now[np.clip(region, 1, len(amounts_now)) - 1]


def round_to(values: np.ndarray, unit: float) -> np.ndarray:
    """Values rounded to a multiple of ``unit``."""
    return np.round(values / unit) * unit


def monthly_wages(careers: Careers, region: np.ndarray, calendar: Calendar, shape: dict[str, Any]) -> list[np.ndarray]:
    """The 36 monthly insured wages before the month evaluated, oldest first (0 without contributions)."""
    wages = shape["wages"]
    table = minimum_wage_table(shape)
    insured = np.flatnonzero(careers.ever)  # only the ever insured have wages: work on them alone
    start, exit_month = careers.start[insured], careers.exit[insured]
    gap_start, gap_end = careers.gap_start[insured], careers.gap_end[insured]
    level, region = careers.wage_level[insured], region[insured]
    columns = []
    for month in range(calendar.window_start, calendar.month):
        active = (start <= month) & (month < exit_month) & ~((gap_start <= month) & (month < gap_end))
        years_back = (calendar.month - 1) // 12 - month // 12  # wages change each January
        wage = round_to(level * growth_factor(-12 * years_back, wages["nominal_growth"]), wages["rounding"])
        column = np.zeros(len(careers.ever))
        column[insured] = np.where(active, np.maximum(wage, minimum_wage(month, region, table)), 0.0)
        columns.append(column)
    return columns


def career_average_wage(careers: Careers, calendar: Calendar, shape: dict[str, Any]) -> np.ndarray:
    """Average insured wage over the career, revalued to the month evaluated by real wage growth."""
    wages = shape["wages"]
    rate = np.log1p(wages["real_growth"]) / 12.0
    length = np.maximum(careers.exit - careers.start, 1)
    late = np.exp(rate * (careers.exit - calendar.month))
    early = np.exp(rate * (careers.start - calendar.month))
    average = round_to(careers.wage_level * (late - early) / (rate * length), wages["rounding"])
    return np.where(careers.ever, average, 0.0)


def pension_points(
    contribution_months: np.ndarray,
    career_average: np.ndarray,
    female: np.ndarray,
    calendar: Calendar,
    shape: dict[str, Any],
) -> np.ndarray:
    """Decree 207/PM points (an assumption): about a point a year at or above the average wage, fewer below."""
    per_year = shape["pension_points"]["points_per_year_at_average_wage"]
    average = 0.5 * (median_wage_now(female, calendar, shape) + median_wage_now(~female, calendar, shape))
    relative = np.clip(career_average / average, 0.5, 1.0)
    return np.round(contribution_months / 12.0 * relative * per_year, 1)


NULL_DAY = np.iinfo(np.int32).min


def births(
    rng: np.random.Generator, age: np.ndarray, female: np.ndarray, calendar: Calendar, shape: dict[str, Any]
) -> dict[str, np.ndarray]:
    """Confinements in the month evaluated: live births (some twins) and pregnancy losses, with their dates."""
    spec = shape["fertility"]
    persons = len(age)
    fertile = female & (age >= 15) & (age < 50)
    monthly = np.where(fertile, spec["total_fertility_rate"] * by_age_group(age, spec["age_pattern"]) / 60.0, 0.0)
    if spec["calibrate_to"] == "crude_birth_rate":  # as many births as the crude birth rate gives
        expected = spec["crude_birth_rate"] / 1000.0 / 12.0 * persons
        monthly *= expected / monthly.sum() if monthly.sum() > 0 else 0.0
    draw = rng.random(persons)
    live_birth = draw < monthly
    loss = ~live_birth & (draw < monthly * (1.0 + spec["pregnancy_loss_per_live_birth"]))
    twins = live_birth & (rng.random(persons) < spec["twin_rate"])
    days_in_month = calendar.last_day - calendar.first_day + 1
    day = calendar.first_day + rng.integers(0, days_in_month, persons)
    return {
        "pregnancy_outcome": np.select([live_birth, loss], [1, 2], default=0).astype(np.int8),
        "child_birth_date": np.where(live_birth | loss, day, NULL_DAY).astype(np.int32),
        "number_of_children_born": np.where(twins, 2, 1).astype(np.int32),
    }


def disabilities(rng: np.random.Generator, age: np.ndarray, shape: dict[str, Any]) -> dict[str, np.ndarray]:
    """Disability (rising with age to the sourced prevalence), its degree, national category and severity."""
    spec = shape["disability"]
    persons = len(age)
    measured = age >= spec["minimum_age"]
    probability = normalised_probability(by_age_group(age, spec["age_relative_risk"]), measured, spec["prevalence"])
    disabled = measured & (rng.random(persons) < probability)
    severe = disabled & (rng.random(persons) < spec["severe_share"])
    total = severe & (rng.random(persons) < spec["total_incapacity_share"])
    degree = np.select(
        [total, severe, disabled],
        [
            100,
            rng.integers(spec["severe_min_degree"], 100, persons),
            rng.integers(spec["minimum_degree"], spec["severe_min_degree"], persons),
        ],
        default=0,
    ).astype(np.float64)
    thresholds = np.asarray(spec["category_min_degree"], dtype=np.float64)
    category = (thresholds[None, :] > degree[:, None]).sum(axis=1) + 1
    return {
        "is_disabled": disabled,
        "disability_degree": degree,
        "disability_category": np.where(disabled, category, 0).astype(np.int32),
        "has_severe_disability": disabled & (degree >= spec["severe_min_degree"]),
    }


def separations_and_labour(
    rng: np.random.Generator,
    age: np.ndarray,
    female: np.ndarray,
    careers: Careers,
    last_wage: np.ndarray,
    calendar: Calendar,
    shape: dict[str, Any],
) -> dict[str, np.ndarray]:
    """Why insured employment ended, registration as unemployed, ILO labour status and monthly income."""
    persons = len(age)
    separation, labour = shape["separation"], shape["labour"]
    insured_now = careers.ever & (careers.exit == calendar.month)
    separated = careers.recently_separated & ~careers.retired
    names = list(separation["reasons"])
    shares = np.array(list(separation["reasons"].values()), dtype=np.float64)
    drawn = np.array([SEPARATION_REASONS.index(name) for name in names])[
        rng.choice(len(names), size=persons, p=shares / shares.sum())
    ]
    reason = np.select(
        [separated, careers.recently_separated & careers.retired],
        [drawn, SEPARATION_REASONS.index("retirement")],
        default=SEPARATION_REASONS.index("not_separated"),
    ).astype(np.int8)

    separation_day = month_first_day(np.maximum(careers.exit - 1, 0)) + rng.integers(0, 28, persons)
    low, high = separation["registration_delay_days"]
    registration_day = separation_day + rng.integers(low, high + 1, persons)
    registered = separated & (rng.random(persons) < separation["registration_share"])
    registered &= careers.exit >= calendar.month - separation["registration_window_months"]
    registered &= registration_day <= calendar.last_day

    participation = np.where(
        female,
        by_age_group(age, labour["participation"]["women"]),
        by_age_group(age, labour["participation"]["men"]),
    )
    others = ~insured_now & ~separated & (age >= 15)
    in_labour_force = others & (rng.random(persons) < participation)
    unemployed = (in_labour_force & (rng.random(persons) < labour["unemployment_rate"])) | (
        separated & (rng.random(persons) < labour["separated_unemployed_share"])
    )
    unemployed |= registered & (rng.random(persons) < labour["registered_unemployed_share"])
    informal_after_separation = separated & ~unemployed & (rng.random(persons) < labour["separated_informal_share"])
    working_informally = (in_labour_force & ~unemployed) | informal_after_separation
    available = registered & (rng.random(persons) < labour["registered_available_share"])
    available |= insured_now | working_informally | unemployed

    wages = shape["wages"]
    informal = wages["informal_income_ratio"] * median_wage_now(female, calendar, shape)
    informal *= rng.lognormal(0.0, wages["informal_sigma"], persons)
    income = np.select([insured_now, working_informally], [last_wage, round_to(informal, wages["rounding"])], 0.0)
    return {
        "income": income,
        "separation_reason": reason,
        "unemployment_registration_date": np.where(registered, registration_day, NULL_DAY).astype(np.int32),
        "is_unemployed": unemployed,
        "is_available_for_work": available,
    }


def block_rng(seed: int, block: Block) -> np.random.Generator:
    """The random stream of a block: child ``block.index`` of ``SeedSequence(seed)``."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block.index,)))


def make_block(
    shape: dict[str, Any], calendar: Calendar, seed: int, block: Block, weight: float
) -> dict[str, np.ndarray]:
    """All columns of a block of persons, as numpy arrays (dates as days since 1970, ``NULL_DAY`` for none)."""
    rng = block_rng(seed, block)
    households = make_households(rng, block.persons, shape)
    age, female = member_ages_and_sexes(rng, households, shape)
    birth_day = calendar.first_day - np.floor(age * DAYS_PER_YEAR).astype(np.int64)
    age = (calendar.first_day - birth_day) / DAYS_PER_YEAR  # the age the birth date gives
    birth_month = birth_day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    region = households.region[households.of_person]
    careers = make_careers(rng, age, female, birth_month, region, calendar, shape)
    wage_columns = monthly_wages(careers, region, calendar, shape)
    in_window = np.zeros(block.persons, dtype=np.int64)
    for column in wage_columns:
        in_window += column > 0
    contribution_months = np.where(careers.ever, in_window + careers.months_before_window, 0)
    career_average = career_average_wage(careers, calendar, shape)
    person_id = block.first_person + np.arange(block.persons, dtype=np.int64)
    columns = {
        "person_id": person_id,
        "household_id": block.first_person + households.starts[households.of_person].astype(np.int64),
        "is_household_head": households.position == 0,
        "weight": np.full(block.persons, weight),
        "birth_date": birth_day.astype(np.int32),
        "sex": female,
        "contribution_months": contribution_months.astype(np.int32),
        "pension_points": pension_points(contribution_months, career_average, female, calendar, shape),
        "career_average_insured_wage": career_average,
    }
    for month, column in zip(range(calendar.window_start, calendar.month), wage_columns, strict=True):
        columns[f"insured_wage.{month_label(month)}"] = column
    columns.update(separations_and_labour(rng, age, female, careers, wage_columns[-1], calendar, shape))
    columns.update(births(rng, age, female, calendar, shape))
    columns.update(disabilities(rng, age, shape))
    columns["minimum_wage_region"] = region.astype(np.int32)
    return columns
