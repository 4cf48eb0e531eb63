"""The ``pilkada-risk`` command line: the edge where files are read and written.

:mod:`~pilkada_risk.cli.main` holds the parser and the subcommands, :mod:`~pilkada_risk.cli.common`
the steps they share, :mod:`~pilkada_risk.cli.output` the checked, suffix-chosen writers and
:mod:`~pilkada_risk.cli.plan` the security-plan subcommand.
"""

from pilkada_risk.cli.main import main

__all__ = ["main"]
