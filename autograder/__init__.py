"""The instructors' command line for the book's nbgrader assignments.

Run ``python -m autograder --help``. The modules:

- :mod:`autograder.course`: where things live, nbgrader's configuration, running nbgrader.
- :mod:`autograder.notebooks`: reading nbgrader metadata, filling in solutions, leak checks.
- :mod:`autograder.release`: generating and checking the student release in ``exercises/``.
- :mod:`autograder.grading`: autograding, scores, validation, feedback and grade export.
- :mod:`autograder.cli`: the argparse front end.
"""
