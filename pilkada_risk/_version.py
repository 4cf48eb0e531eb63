"""The package version, in a module of its own so that any stage can read it without importing the
root. This is the only place it is written: pyproject.toml reads it (``dynamic = ["version"]``),
``pilkada-risk --version`` prints it, and CHANGELOG.md's newest release must match it."""

__version__ = "0.2.0"
