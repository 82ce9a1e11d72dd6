# The two commands of the README: `make site` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site serve test bless validate bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)  ## set up, validate and build every example region into site/
	$(BIN)/govsite build

serve: $(STAMP)  ## set up, build and serve all sites on http://127.0.0.1:8000/
	$(BIN)/govsite build && $(BIN)/python -m http.server --directory site --bind 127.0.0.1 8000

validate: $(STAMP)
	$(BIN)/govsite validate

test: $(STAMP)  ## set up and run the whole test suite
	$(BIN)/python -m pytest

bless: $(STAMP)  ## after an intended change of the output: rewrite tests/golden/ (then review its diff like code)
	GOVSITE_BLESS=1 $(BIN)/python -m pytest tests/test_golden.py -q

bench: $(STAMP)
	$(BIN)/python benchmarks/build_scale.py

clean:  ## the output, the folders beside it and its cache folder (outside the checkout: generator/engine/cache.py)
	-$(BIN)/python -c "import shutil; from generator.engine.cache import cache_folder; shutil.rmtree(cache_folder('site'), True)"
	rm -rf site .site.* .build-cache
