"""Variables (OpenFisca formulas): shared ones by branch, overrides by jurisdiction.

This file only makes the folder ship inside the ``openfisca_sp`` package
(as ``openfisca_sp.variables``); openfisca-core loads the files by path.
"""
