"""What a branch of social protection is, as the rules declare it: its conditions, results and parameters.

A branch declares, in its own file, every parameter name its formulas read
(under ``parameters/<jurisdiction>/<branch>/``) and which of them each part of
its result needs. The loader refuses a parameter file that no branch reads
(a drafter's typo); a part whose required parameters are not all in force at a
date is *not modelled* then, never computed from a default.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cached_property

from openfisca_sp.rules.branches.units import Unit
from openfisca_sp.rules.enums import DurationUnit
from openfisca_sp.rules.enums import IneligibilityReason as Reason

# What the children of a keyed parameter are named after (see ``ParameterName.keyed_by``).
BY_SEX = "sex"  # ``men`` and ``women``
BY_REFERENCE_AMOUNT = "reference_amount"  # a name under ``reference_amounts``: a multiple of that amount
BY_PREGNANCY_OUTCOME = "pregnancy_outcome"  # ``live_birth``, ``pregnancy_loss``
SEXES = ("men", "women")

# The parts of a branch's result that parameters serve.
ELIGIBILITY = "eligibility"
AMOUNT = "amount"
DURATION = "duration"
WAITING_PERIOD = "waiting period"
FIRST_DAY = "first day paid"  # the day the law pays from where not the event's (``Branch.first_day``)

Requirement = tuple[tuple[str, ...], ...]  # alternatives; each lists names that must all be in force


def needs(*paths: str) -> Requirement:
    """A requirement met when every one of ``paths`` is in force."""
    return (tuple(paths),)


def either(*alternatives: Requirement) -> Requirement:
    """A requirement met when one of ``alternatives`` is."""
    return tuple(option for alternative in alternatives for option in alternative)


@dataclass(frozen=True)
class ValueKind:
    """What the dated values of a parameter are: a number, a boolean, a name, a list of names, or a scale.

    Every number a branch reads is a count (months, days, weeks, years), an age,
    a rate, an amount or a multiple of one: never negative. ``choices`` are the
    names a name or a list of names may take, ``of`` what they name.
    """

    name: str
    choices: tuple[str, ...] = ()
    of: str = ""


NUMBER = ValueKind("number")  # a number, 0 or more (its unit is the file's metadata.unit)
BOOLEAN = ValueKind("boolean")  # true or false
SCALE = ValueKind("scale")  # brackets of a threshold and an amount or a rate, each 0 or more
SWITCH = "provided"  # the parameter every branch has (``formulas.branch``): whether the law provides it


def one_of(enum: type, *names: str) -> ValueKind:
    """One name of ``enum`` (any of ``names``)."""
    return ValueKind("name", names or tuple(enum.__members__), enum.__name__)


def names_of(enum: type, *excluded: str) -> ValueKind:
    """A list of names of ``enum`` (not those ``excluded``)."""
    return ValueKind("names", tuple(name for name in enum.__members__ if name not in excluded), enum.__name__)


COUNTED_DURATION = one_of(DurationUnit, "days", "weeks", "months")


@dataclass(frozen=True)
class ParameterName:
    """A parameter the formulas read, by its dotted path under the branch's folder.

    ``keyed_by`` names what its children are named after, when the law sets the
    value per sex, per reference amount or per pregnancy outcome. ``absent`` says
    what the law's silence means for an optional parameter; a parameter without
    it is needed by a part of the result (see ``Branch.requirements``).
    ``kind`` is what its values are (the loader refuses any other); without it,
    ``provided`` is a boolean and any other parameter a number, 0 or more.
    ``unit`` is the unit the formulas read a number in (the loader refuses a file
    stating another, or none). ``part`` is, for an optional name, the part of the
    result that reads it (a key of ``Branch.requirements``): a null whose source was
    not found makes that part not modelled (:mod:`~openfisca_sp.rules.null_values`),
    where a null citing the law that ends the rule reads as ``absent``.
    """

    path: str
    meaning: str
    keyed_by: str | None = None
    absent: str | None = None
    may_vary_by_sex: bool = False  # may also be a folder with men.yaml and women.yaml
    kind: ValueKind | None = None
    unit: Unit | None = None  # the unit its number is read in, when the formulas fix it
    part: str | None = None  # for an optional name: the part of the result that reads it

    @property
    def value_kind(self) -> ValueKind:
        """What the values of this parameter (and of each of its keyed children) are."""
        if self.kind is not None:
            return self.kind
        return BOOLEAN if self.path.rsplit(".", 1)[-1] == SWITCH else NUMBER


@dataclass(frozen=True)
class Event:
    """The event a branch's claim is decided on: the rules in force that day apply, windows end before its month.

    ``date_fact`` is the input that gives its date. Without it, a claim whose
    event the caller need not state (``on_the_date_asked``: a pension claimed
    today) is made on the date asked; any other claim is undetermined, unless a
    condition before ``needed_from`` refuses it on stated facts (a man claiming
    maternity benefit). Where the law lets a claim be made only once a number of
    days have passed since the event (``completed_after``: a parameter path under
    the branch, e.g. a certificate of 30 days of unemployment), the claim is
    decided on the last of those days. Where an input date ends the windows earlier where it is stated
    (``windows_end_with``: the end of the labour contract), the months after it are not read by the rules.
    """

    kind: str
    date_fact: str
    on_the_date_asked: bool = False
    needed_from: int = 0
    reference: str = ""
    completed_after: str | None = None
    windows_end_with: str | None = None  # an input date that, stated, ends the branch's windows at its month
    # a variable true where the rules read the wages of the event's own month (Viet Nam: a birth on or after the
    # 15th, Circular 59/2015 Art 9(1)(b)): elsewhere that month's wage is not needed, never listed missing
    own_month_read: str | None = None


@dataclass(frozen=True)
class FirstDay:
    """Where the law in force may pay a benefit from another day than its event's (Viet Nam's pension: the first
    day of the month after the month of retirement), the variables that give that day and say whether it rests on
    a reading of the law, and what each rests on (told with each schedule, ``method``)."""

    variable: str  # the first day paid (datetime64[D]): the event's day where the law in force gives no other
    read: str  # bool: that day rests on a reading of the law, not on its text (the schedule is provisional)
    method: str  # what the first day rests on where the law gives it
    read_method: str  # what it rests on where it is a reading


@dataclass(frozen=True)
class Condition:
    """A condition of entitlement, in the law's order: what refuses it, what it reads, where it is set."""

    reasons: tuple[Reason, ...]
    reads: tuple[str, ...]  # variables whose input facts the condition needs
    parameters: tuple[str, ...] = ()  # parameter paths under the branch that set it
    # a variable true for the persons the condition may refuse: elsewhere its facts are not needed (the disability
    # allowance gives way to a social pension only where the pension is the higher)
    only_where: str | None = None
    # parameter paths under the branch that another concept sets and the condition's refusal rests on too: a decision
    # cites them where this condition refuses it (its reason, and where another condition gives that reason too, its
    # ``only_where``): Viet Nam's lower age of arduous work needs the qualifying period (SI Law 2014 Art 54(1))
    also_cites: tuple[str, ...] = ()


@dataclass(frozen=True)
class Branch:
    """A branch of social protection: the variables that decide it and the parameters they read."""

    code: str
    label: str
    benefit: str
    conditions: tuple[Condition, ...]
    lump_sums: tuple[str, ...] = ()
    # the parameter paths under the branch a lump sum owed to a person refused the benefit rests on (the old-age lump
    # sum after too short a career, where it is above 0): that person's legal basis cites them, and the values
    # outside the branch every amount reads, beside the refusing condition's
    lump_sum_basis: tuple[str, ...] = ()
    amount_modelled: str | None = None
    # a bool variable: an assumption of the amount's own that the branch's provisional adds to its legal basis's (a
    # maximum that may cap it): a claim whose amount is not told is not provisional for it
    amount_provisional: str | None = None
    waiting_days: str | None = None  # the variable of the waiting period; ``<it>_modelled`` says if it is modelled
    coverage_group: str | None = None  # the SDG 1.3.1 group this benefit covers (see ``analysis.coverage.GROUPS``)
    parameters: tuple[ParameterName, ...] = ()
    requirements: dict[str, Requirement] = field(default_factory=dict, hash=False)  # part -> what it needs
    event: Event | None = None
    first_day: FirstDay | None = None  # where the law may start payment on another day than the event's
    # the parameters (paths under the branch) of the ages at which the law changes the amount of a benefit in payment
    # (Viet Nam's children's and older persons' coefficients): a schedule changes it when one is reached
    amount_ages: tuple[str, ...] = ()
    # (fact, variable): a fact the results read (amount, duration, lump sums) that they turn on only where the
    # variable is true: elsewhere it is not needed, never listed missing (the number of children born: after a
    # live birth only)
    result_facts_only_where: tuple[tuple[str, str], ...] = ()
    lump_sum_facts: frozenset[str] = frozenset()  # optional facts a lump sum asks where it turns on them (above)
    # (fact, variable): the results read the months of the fact's history from the month of the variable's date only
    # (per person): an earlier month is never listed missing for them (Viet Nam's maternity benefit averages the 6
    # latest months with contributions, and no month before the sixth; an unemployment benefit the 6 months before
    # unemployment, not the older months of the 24 its condition reads)
    history_read_from: tuple[tuple[str, str], ...] = ()
    # the months of wages only its results read, beyond those its conditions read, may be missing from a population's
    # table, read as none: the results say where they turn on them (Viet Nam's maternity benefit averages its latest
    # months with contributions, provisionally where they reach before the months held)
    history_where_held: bool = False
    # (parameter path under the branch, variable): values the branch reads only for the persons for whom the variable
    # is true, which are part of the legal basis of their decisions only (Viet Nam's reduced-capacity window: of a
    # person below the pensionable age who states a loss of working capacity at the law's minimum; not of a pension
    # granted above that age)
    basis_only_where: tuple[tuple[str, str], ...] = ()

    def __hash__(self) -> int:
        return self._hash

    @cached_property
    def _hash(self) -> int:
        """The hash of every field but the requirements, computed once: a branch keys the caches a decision looks
        up several times, and hashing its conditions and parameters again took some 300 calls a decision."""
        return hash(tuple(getattr(self, each.name) for each in fields(self) if each.hash is not False))

    def __getstate__(self) -> dict[str, object]:
        """The fields, without the hash: text hashes differ from one process to another."""
        return {name: value for name, value in self.__dict__.items() if name != "_hash"}

    @property
    def eligible(self) -> str:
        return f"{self.benefit}_eligible"

    @property
    def reason(self) -> str:
        return f"{self.benefit}_ineligibility_reason"

    @property
    def provisional(self) -> str:
        return f"{self.benefit}_provisional"

    @property
    def cited_lump_sums(self) -> tuple[str, ...]:
        """The lump sums whose values a decision's legal basis cites where one is owed (:attr:`lump_sum_basis`)."""
        return self.lump_sums if self.lump_sum_basis else ()

    @cached_property
    def cited_where_refusing(self) -> tuple[Condition, ...]:
        """The conditions whose ``also_cites`` a decision cites only where its ``only_where`` holds: those whose
        reason another condition gives too (elsewhere the reason says which condition refused)."""
        return tuple(
            condition
            for condition in self.conditions
            if condition.also_cites
            and condition.only_where
            and any(set(other.reasons) & set(condition.reasons) for other in self.conditions if other is not condition)
        )

    @cached_property
    def basis_flags(self) -> tuple[tuple[str, tuple[Reason, ...]], ...]:
        """The variables of a decision's key's parts after a lump sum's (``legal_basis.basis_keys``), in order, each
        with the reasons whose citation it changes (none: every decision's): each of ``basis_only_where``'s, then
        each of :attr:`cited_where_refusing`'s ``only_where``."""
        return (
            *((variable, ()) for _, variable in self.basis_only_where),
            *((str(condition.only_where), condition.reasons) for condition in self.cited_where_refusing),
        )

    @property
    def waiting_days_modelled(self) -> str | None:
        return f"{self.waiting_days}_modelled" if self.waiting_days else None

    @property
    def benefit_variables(self) -> tuple[str, ...]:
        """The periodical benefit's results: its amount, duration and waiting period."""
        return (self.benefit, f"{self.benefit}_duration", *((self.waiting_days,) if self.waiting_days else ()))

    @property
    def amount_variables(self) -> tuple[str, ...]:
        """Every amount the branch pays and what sets its period: the benefit's results and the lump sums."""
        return (*self.benefit_variables, *self.lump_sums)

    @property
    def period_variables(self) -> tuple[str, ...]:
        """The results the benefit period is made of: the duration and the waiting period."""
        return (f"{self.benefit}_duration", *((self.waiting_days,) if self.waiting_days else ()))

    def parameter(self, path: str) -> ParameterName | None:
        """The declared parameter at ``path`` (under the branch), if any."""
        return next((name for name in self.parameters if name.path == path), None)

    def requirement(self, part: str) -> Requirement:
        """What ``part`` of the result needs (nothing when the branch declares no requirement for it)."""
        return self.requirements.get(part, ((),))

    @property
    def parts(self) -> tuple[str, ...]:
        """The parts of the result whose parameters may be not in force: those with a requirement, then those only
        optional names serve (a lump sum of some kinds: the birth grant)."""
        optional = (name.part for name in self.parameters if name.absent is not None and name.part is not None)
        return tuple(dict.fromkeys((*self.requirements, *optional)))

    def reference_multiples(self, part: str) -> tuple[str, ...]:
        """The names keyed by reference amount (``maximum/base_salary.yaml``) ``part`` of the result reads, needed
        or optional, then ``insured_wage.ceiling_reference_amount`` (a path from the root) where the part reads the
        reference wage: each reference amount they cite must be in force for the part to be modelled."""
        needed = {path for option in self.requirement(part) for path in option}
        own = tuple(
            name.path
            for name in self.parameters
            if name.keyed_by == BY_REFERENCE_AMOUNT and (name.path in needed or (name.absent and name.part == part))
        )
        return (*own, *((SHARED_CEILING_MULTIPLE,) if REFERENCE_WAGE_MONTHS in needed else ()))

    def optional_names(self, part: str) -> tuple[str, ...]:
        """The optional names (``absent``) ``part`` of the result reads: where one stands at a null whose source was
        not found, the part is not modelled."""
        return tuple(name.path for name in self.parameters if name.absent is not None and name.part == part)


@dataclass(frozen=True)
class ParameterGroup:
    """Parameters outside any branch: shared by every branch, or kept as benchmarks that no formula reads."""

    code: str
    label: str
    parameters: tuple[ParameterName, ...]
    free_names: bool = False  # children are named by the jurisdiction (``reference_amounts``)
    benchmark: str | None = None  # why no formula reads these (benchmark values)

    def parameter(self, path: str) -> ParameterName | None:
        return next((name for name in self.parameters if name.path == path), None)


SHARED_CEILING_MULTIPLE = "insured_wage.ceiling_reference_amount"  # from the root: the ceiling every branch shares
REFERENCE_WAGE_MONTHS = "reference_wage.averaging_months"  # a branch reading it may be capped by the shared ceiling
