"""``python -m openfisca_sp.cli``: the same as the ``openfisca-sp`` command."""

from openfisca_sp.cli import main

raise SystemExit(main())
