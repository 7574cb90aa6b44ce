"""Where the package's rule files live, in a checkout and in an installed wheel."""

from pathlib import Path

import openfisca_sp.parameters as _parameters
import openfisca_sp.reforms as _reforms
import openfisca_sp.variables as _variables

PARAMETERS_DIR = Path(_parameters.__file__).parent
VARIABLES_DIR = Path(_variables.__file__).parent
REFORMS_DIR = Path(_reforms.__file__).parent
