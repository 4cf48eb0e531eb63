"""``python -m pilkada_risk.cli``: the same as the ``pilkada-risk`` command."""

import sys

from pilkada_risk.cli.main import main

sys.exit(main())
