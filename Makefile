# Goftogu: `make run` starts the bot, `make test` lints, type-checks (mypy) and runs the suite.
# Both create .venv when it is missing.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-dev
RUN_STAMP := $(VENV)/.installed

.PHONY: install install-dev run test fuzz lint format bench crash storm eval train-summarizer clean

$(PY):
	@interp="$$(sh scripts/find-python.sh)" || exit 1; \
	echo "Creating $(VENV) with $$interp"; \
	"$$interp" -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true

$(RUN_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@ $(RUN_STAMP)

install: $(RUN_STAMP)

install-dev: $(STAMP)

run: $(RUN_STAMP)
	@$(PY) -m bot run

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) -m pytest

# 10,000 random updates of every subscribed type (the suite runs 400); FUZZ_SEED=n draws others.
fuzz: $(STAMP)
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-10000} $(PY) -m pytest tests/test_fuzz.py -k random -p no:cacheprovider

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: $(STAMP)
	$(PY) -m tests.bench

# kill -9 at 20 random points of a comment burst, an alert fan-out, a digest and a ban; prints the table.
crash: $(STAMP)
	$(PY) -m tests.crash

# The fault storm with a real five-minute outage (about 8 minutes); STORM_ARGS="--outage 30" for a short one.
storm: $(STAMP)
	$(PY) -m tests.storm $(STORM_ARGS)

eval: $(STAMP)
	$(PY) -m bot.text.evaluate
	$(PY) -m bot.moderation.evaluate
	$(PY) -m bot.news.evaluate_stories

# Re-learn the summary scorer (bot/text/summary_weights.json) from ../shared/data/articles/{train,dev}.jsonl.
train-summarizer: $(STAMP)
	$(PY) -m bot.text.train_summarizer

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
