"""Reforms of the rules: Python reform classes and YAML parametric reforms.

Ships inside the package as ``openfisca_sp.reforms``.
"""
