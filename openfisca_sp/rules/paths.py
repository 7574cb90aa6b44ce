"""Where the package's rule files live, in a checkout and in an installed wheel.

The folders are found without importing them (``reforms/`` imports the rules
core, which must not import it back).
"""

from importlib.util import find_spec
from pathlib import Path


def _folder(package: str) -> Path:
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"{package} is not installed with openfisca-sp")
    return Path(next(iter(spec.submodule_search_locations)))


PARAMETERS_DIR = _folder("openfisca_sp.parameters")
VARIABLES_DIR = _folder("openfisca_sp.variables")
REFORMS_DIR = _folder("openfisca_sp.reforms")
