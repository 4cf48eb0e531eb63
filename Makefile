# Two commands for a fresh machine (Python 3.11 + PyPI):
#   make demo   -> builds the environment if missing, runs the demo, writes the leadership HTML map
#   make test   -> builds the environment if missing, runs lint, types and the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: demo test lint venv lab browser clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c "import sys; sys.exit(sys.version_info < (3, 11))" || { echo "Python >= 3.11 diperlukan / required (set PYTHON=...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,notebooks]"
	$(BIN)/python -m ipykernel install --sys-prefix --name pilkada-risk --display-name "Python (pilkada-risk)" >/dev/null
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/pilkada-risk demo

browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "browser tests need Debian's chromium: sudo apt-get install chromium"; fi; }

lint: $(STAMP)
	$(BIN)/ruff check pilkada_risk tests benchmarks scripts
	$(BIN)/ruff format --check pilkada_risk tests benchmarks scripts
	$(BIN)/mypy

test: $(STAMP) browser lint
	$(BIN)/python -m pytest

lab: $(STAMP)
	-$(BIN)/nbstripout --install  # strip notebook outputs on every commit of this clone
	$(BIN)/jupyter lab notebooks/ $$([ "$$(id -u)" = 0 ] && echo --allow-root)  # root: containers, WSL

clean:
	rm -rf $(VENV) output .pytest_cache .mypy_cache .ruff_cache
