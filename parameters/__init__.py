"""Parameters of every jurisdiction, as YAML files: one folder per jurisdiction.

This file only makes the folder ship inside the ``openfisca_sp`` package
(as ``openfisca_sp.parameters``).
"""
