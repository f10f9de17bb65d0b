"""The instructors' command line for the book's nbgrader assignments.

Run ``python -m autograder --help``. The modules:

- :mod:`autograder.course`: where things live, nbgrader's configuration, running nbgrader.
- :mod:`autograder.notebooks`: reading nbgrader metadata, filling in solutions, leak checks.
- :mod:`autograder.release`: generating and checking the student release in ``exercises/``.
- :mod:`autograder.grading`: autograding, scores, validation, feedback and grade export.
- :mod:`autograder.cli`: the argparse front end.
"""

import sys

# nbformat validates notebooks with jsonschema, which imports ``rfc3987_syntax`` when it is
# installed (jupyter-events pulls it in) to check IRI formats; that import compiles a grammar
# and takes about 2 s, in every process that reads a notebook. The notebook schemas use no
# IRI formats, so the command line and its workers do without it (jsonschema skips the
# check when the module cannot be imported). Measured by benchmarks/grading_speed.py.
if "rfc3987_syntax" not in sys.modules:
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]
