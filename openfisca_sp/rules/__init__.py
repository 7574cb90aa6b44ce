"""The rules core: what a tax-benefit system of openfisca-sp is made of.

Entities and enumerations, the branch catalogue (which parameters each branch
reads), the strict parameter loader, the sources and the provenance of every
value, the jurisdictions, the system itself, the helpers formulas share,
simulations built from arrays, and YAML parametric reforms. Nothing here
imports a layer above it (decisions, population, analysis, API, command line).
"""
