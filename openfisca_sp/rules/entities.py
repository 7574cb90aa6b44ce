"""Entities shared by every jurisdiction: the person and the household.

Household membership follows the DCI Social Registry: a person record carries a
``household_identifier`` and the household has at most one head
(``relationship_head`` in DCI).
"""

from openfisca_core.entities import build_entity

Household = build_entity(
    key="household",
    plural="households",
    label="Household",
    doc="""
    A household as registered in a social registry (DCI ``household_identifier``).

    Used for household-level facts and for projections between members.
    """,
    roles=[
        {
            "key": "head",
            "plural": "heads",
            "label": "Head",
            "doc": "The household head (DCI relationship_head).",
            "max": 1,
        },
        {
            "key": "member",
            "plural": "members",
            "label": "Member",
            "doc": "Any other member of the household.",
        },
    ],
)

Person = build_entity(
    key="person",
    plural="persons",
    label="Person",
    doc="""
    A person: the unit that holds rights to social insurance benefits.
    """,
    is_person=True,
)

entities = [Household, Person]
