# The two commands of the README: `make site` and `make test`. Everything else is a helper.
# regions/ holds the real regions (the national portal, into site/); examples/ the fictional example
# regions, built as their own site into voorbeelden/ so that nothing invented reaches the portal.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site examples serve serve-examples test bless validate bench bench-national clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)  ## set up, validate and build the national portal into site/ and the examples into voorbeelden/
	$(BIN)/govsite build
	$(BIN)/govsite build --regions examples --out voorbeelden

examples: $(STAMP)  ## only the fictional example regions, into voorbeelden/
	$(BIN)/govsite build --regions examples --out voorbeelden

serve: $(STAMP)  ## set up, build and serve the national portal on http://127.0.0.1:8000/
	$(BIN)/govsite build
	$(BIN)/python -m http.server --directory site --bind 127.0.0.1 8000

serve-examples: examples  ## set up, build and serve the example sites on http://127.0.0.1:8001/
	$(BIN)/python -m http.server --directory voorbeelden --bind 127.0.0.1 8001

validate: $(STAMP)
	$(BIN)/govsite validate
	$(BIN)/govsite validate --regions examples

test: $(STAMP)  ## set up and run the whole test suite
	$(BIN)/python -m pytest

bless: $(STAMP)  ## after an intended change of the output: rewrite tests/golden/ (then review its diff like code)
	GOVSITE_BLESS=1 $(BIN)/python -m pytest tests/test_golden.py tests/test_golden_national.py -q

bench: $(STAMP)
	$(BIN)/python benchmarks/build_scale.py

bench-national: $(STAMP)  ## the benchmark on the real national data (../shared/data/national)
	$(BIN)/python benchmarks/national.py

clean:  ## the output, the folders beside it and its cache folder (outside the checkout: generator/engine/cache.py)
	-$(BIN)/python -c "import shutil; from generator.engine.cache import cache_folder; shutil.rmtree(cache_folder('site'), True); shutil.rmtree(cache_folder('voorbeelden'), True)"
	rm -rf site .site.* .build-cache voorbeelden .voorbeelden.*
