# The commands README.md names. Each one creates the virtual environment first if needed.
#   make book    build the site into _build/html (the main job)
#   make test    run every test (what CI runs)
#   make lab     open JupyterLab on the exercises, with nbgrader's Validate button
#   make check-env   PASS/FAIL check of a student's PyTorch set-up

PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(CURDIR)/$(VENV)/bin
# nbgrader calls alembic and jupyter by name: the venv's bin must come first on PATH.
export PATH := $(BIN):$(PATH)
# nbgrader (the Validate button included) reads autograder/nbgrader_config.py from here.
export JUPYTER_CONFIG_PATH := $(CURDIR)/autograder
# Keep the environment's Jupyter state out of the user's home directory.
export JUPYTER_PLATFORM_DIRS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

STAMP := $(VENV)/.installed
# Jupyter refuses to run as root unless told; containers often run as root.
LAB_ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
# Your own arguments for `make lab`, appended after the root flag (which they never replace):
#   make lab ARGS="--port 8890 --no-browser"
# (LAB_FLAGS, the older name, is appended too.)
ARGS ?=
LAB_FLAGS ?=

.PHONY: book test lab check-env margins budgets grading-speed venv release validate refresh lint lock clean

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . --builder html -W -n --keep-going
	@echo "Site built: open _build/html/index.html"

# Two pytest workers, each test file whole in one (its fixtures, a graded course or the
# corpus batches, are made once): the grading tests wait on kernels much of the time, and the
# second worker uses what the first leaves idle. (--dist loadgroup does not group with
# pytest 9 and xdist 3.8: the group never reaches the node ids.)
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=exercises $(LAB_ROOT_FLAG) $(LAB_FLAGS) $(ARGS)

# Thresholds of graded exercises hold for the reference on several seeds; prints the margins.
margins: $(STAMP)
	$(BIN)/python -m pytest -m margins --run-margins -s

# Timing report: chapters execute in <= 60 s, exercise notebooks grade in <= 120 s, on 2 cores.
budgets: $(STAMP)
	$(BIN)/python benchmarks/budgets.py --cores 2

# Benchmark: one class graded serially by `nbgrader autograde` and by ours with --jobs 2, then
# ours without the sandbox; same scores required; prints the ratio and the sandbox's cost.
grading-speed: $(STAMP)
	$(BIN)/python benchmarks/grading_speed.py --cores 2 --students 8 ch01

check-env: $(STAMP)
	$(BIN)/python -m torchbook.envcheck

# Instructors and authors
release: $(STAMP)
	$(BIN)/python -m autograder release

validate: $(STAMP)
	$(BIN)/python -m autograder validate

refresh: $(STAMP)
	$(BIN)/python -m torchbook.refresh chapters/*.ipynb

lint: $(STAMP)
	$(BIN)/ruff check .

lock: $(STAMP)
	$(BIN)/python -m pip freeze --all --exclude-editable | grep -v "^pip==" > requirements.lock.new
	@echo "Review requirements.lock.new and move it over requirements.lock"

clean:
	rm -rf _build
