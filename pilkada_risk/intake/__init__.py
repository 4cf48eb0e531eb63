"""Stage 2, intake: read a register, normalise it, place each row, and account for every row.

Rows are either accepted (placed in a kecamatan, and a desa where possible) or quarantined with
row, column, value and reason: accepted + quarantined = read, always.
"""

from pilkada_risk.intake.bawaslu_counts import read_bawaslu_counts
from pilkada_risk.intake.incidents import read_incidents
from pilkada_risk.intake.result import IntakeResult
from pilkada_risk.intake.sirekap import read_sirekap
from pilkada_risk.intake.tps import read_tps

__all__ = [
    "IntakeResult",
    "read_bawaslu_counts",
    "read_incidents",
    "read_sirekap",
    "read_tps",
]
