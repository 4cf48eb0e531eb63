"""Synthetic data: the simulator behind the demo and the tests, and the demo's inputs.

Everything it produces says it is synthetic (file names, ``sumber`` = SINTETIS, map titles).
"""

from pilkada_risk.synthetic.demo import load_demo, load_inputs
from pilkada_risk.synthetic.province import load_province_demo
from pilkada_risk.synthetic.simulate import SimulationResult, simulate_incidents

__all__ = [
    "SimulationResult",
    "load_demo",
    "load_inputs",
    "load_province_demo",
    "simulate_incidents",
]
