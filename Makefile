# The two commands of the README: `make run` and `make test`. Both create the environment if needed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
SOTE_PORT ?= 8501
# Streamlit refuses a larger upload before the app copies it into memory (whole MB)
SOTE_MAX_UPLOAD_MB ?= 20
export SOTE_PORT
# the address `make run` listens on: this machine only, unless set (0.0.0.0: every interface)
SOTE_ADDRESS ?= 127.0.0.1
export SOTE_ADDRESS

.PHONY: run test lint format lock demo bench bench-history bench-hostile bench-load boundaries browser libreoffice postgres axe catalogs clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-* && touch $(STAMP)

## make run: the app at http://localhost:8501 on the example data (loaded only into a database with
## nothing stored in it), listening on 127.0.0.1 unless SOTE_ADDRESS says otherwise
run: $(STAMP)
	$(BIN)/sote demo --if-empty
	$(BIN)/streamlit run app.py --server.address $(SOTE_ADDRESS) --server.port $(SOTE_PORT) \
		--server.maxUploadSize $(SOTE_MAX_UPLOAD_MB) --server.headless true \
		--browser.gatherUsageStats false

## make test: ruff, then pytest (unit, AppTest, browser, LibreOffice, SQLite and PostgreSQL); installs
## Debian's chromium, LibreOffice Calc and postgresql when it may (the tests start their own server)
test: $(STAMP) browser libreoffice postgres axe
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/vulture
	$(BIN)/pytest -q -ra -n $(or $(TEST_WORKERS),2) --dist loadfile

browser:
	bash scripts/ensure-chromium.sh

libreoffice:
	bash scripts/ensure-libreoffice.sh

postgres:
	bash scripts/ensure-postgres.sh

axe:
	bash scripts/ensure-axe.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/vulture

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## make lock: re-pin every dependency after a change to pyproject.toml
lock: $(STAMP)
	$(BIN)/pip-compile -q --extra dev --strip-extras --no-emit-index-url --no-emit-find-links \
		-o requirements.lock pyproject.toml

## make catalogs: after changing Finnish messages, give Swedish and English their new entries
## (empty and fuzzy, the Finnish text beside them) for a translator; tests fail until filled
catalogs: $(STAMP)
	$(BIN)/python scripts/catalogs.py

demo: $(STAMP)
	$(BIN)/sote demo

## make bench: the national and area pages (first run, new session, rerun) beside a naive raw-boundary
## map page, at the example history and 32x it, with the ratios and issue 17's targets
bench: $(STAMP)
	$(BIN)/python bench/national_page.py

bench-import: $(STAMP)
	$(BIN)/python bench/import_status.py

## the national page's figures and page at the example history and at 32 times it (built once into
## var/bench/), the whole-history path beside the per-date snapshot: medians, spread, ratios
bench-history: $(STAMP)
	$(BIN)/python bench/history.py

## every file of the hostile corpus (tests/hostile) through `sote import`: exit, error, s, peak MB
bench-hostile: $(STAMP)
	$(BIN)/python bench/hostile.py

## the outlook's backtest: projected from every reporting date of the example data and a second
## seed, against the data three months later (mean absolute error of the done share, status right)
.PHONY: bench-outlook
bench-outlook: $(STAMP)
	$(BIN)/python bench/outlook.py

## a meeting's worth of people: the national page opened by 25 sessions at once on one server of
## the example data (loopback, at most 25, 120 s a batch); BENCH_LOAD_ARGS="--client browser" for
## 25 Chromium pages instead of Streamlit's own protocol
bench-load: $(STAMP) browser
	$(BIN)/python bench/load.py $(BENCH_LOAD_ARGS)

## make boundaries: rebuild the shipped simplified boundary asset from ../shared/geo (or the WFS)
boundaries: $(STAMP)
	$(BIN)/python scripts/build_boundaries.py

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache .ruff_cache
