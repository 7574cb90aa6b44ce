"""Months of work the social insurance book records among the months contributed, and the two kinds the rules add.

Viet Nam SI Law 2014 Art 54(1)(b)-(c): "20 years of contributions, of which 15 years of" arduous work, work in a place
of hardship or underground coal mining: each count is a part of ``contribution_months``, no larger than it, nor than
the months lived. The rules add the months of arduous work and of work in a place of hardship (SI Law 2024 Art
64(1)(b): the total time of contributions in either kind; ``old_age.arduous_work.hardship_area_months_added``), as
months apart: stated together, they are no more than the months lived either. ``/eligibility``
(:mod:`~openfisca_sp.decisions.consistency`) and the population engine
(:mod:`openfisca_sp.population.contradictions`) refuse both from these definitions.

The two together above ``contribution_months`` are not refused: the book may record a month of arduous work in a
place of hardship under both kinds. Until June 2025 the kinds are alternatives, each of 15 years (SI Law 2014 Art
54(1)(b): "hoặc có đủ 15 năm"; Labour Code 2019 Art 219(1)(a) as from 2021), and such a month counts for each; from
July 2025 the total is a time of contributions (SI Law 2024 Art 64(1)(b): "tổng thời gian đóng bảo hiểm xã hội bắt
buộc … khi làm nghề … hoặc làm việc ở vùng …"), in which a month counts once: the rules count the total at most
``contribution_months`` (``variables/old_age/arduous_work.py``) rather than refuse the facts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

RECORDED_PARTS = ("arduous_work_months", "hardship_area_months", "underground_coal_mining_months")
ADDED_PARTS = ("arduous_work_months", "hardship_area_months")
ADDED_FIELD = ADDED_PARTS[1]  # where the two together are told: the one the rules add to the other


def added_expected(until: str) -> str:
    """What the two added are expected to be: at most the months lived ``until`` (the date asked, or the month
    evaluated)."""
    return f"arduous_work_months and hardship_area_months together at most the months from birth_date to {until}"


def added_parts(values: Callable[[str], Any]) -> Any:
    """The months of :data:`ADDED_PARTS` together, of those who state both (``values(name)``: each stated count, or
    None where not stated); None where either is not."""
    work, area = (values(name) for name in ADDED_PARTS)
    return None if work is None or area is None else np.add(work, area, dtype=np.int64)
