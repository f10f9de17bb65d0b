"""nbgrader settings shared by the instructors' command line and JupyterLab.

nbgrader loads this file itself when ``autograder/`` is on ``JUPYTER_CONFIG_PATH`` (``make lab``
exports it, so the Validate button uses these settings); ``python -m autograder`` loads it
explicitly. Course paths (root, source, release, gradebook) are not set here: the command line
sets them for each run.
"""

c = get_config()  # noqa: F821 (provided by the traitlets config loader)

# Per-cell time limit while grading or validating. Set on nbgrader's Execute preprocessor:
# ExecutePreprocessor.timeout is not the trait nbgrader reads.
c.Execute.timeout = 60
# Kernel start-up with torch can be slow on a loaded machine.
c.Execute.startup_timeout = 120
# Once the last cell has run, every output is recorded: stop the kernel at once. nbclient's
# default "graceful" shutdown waits about 1 s per notebook for the kernel (torch loaded) to
# exit (measured by benchmarks/grading_speed.py).
c.Execute.shutdown_kernel = "immediate"

# Any stderr output makes nbgrader score a test cell 0. Drop stderr outputs that are Python
# warnings (``...: UserWarning: ...``) before scoring; errors are outputs of another type and
# still score 0. Tests should not warn in the first place: this is a safety net.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"[A-Za-z]*Warning:"

# Restore grade cells that a student deleted, so that deleting a test cannot dodge it.
c.OverwriteCells.add_missing_cells = True
# nbgrader's sanitising steps, plus one that keeps a copied graded cell (a duplicated grade_id)
# from crashing add_missing_cells: see autograder/preprocessors.py.
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    # notes what the next steps undo (kernelspec, deleted/edited/copied/retyped graded cells)
    "autograder.preprocessors.ReportChanges",
    "nbgrader.preprocessors.DeduplicateIds",
    "autograder.preprocessors.DropEmptyNbgraderMetadata",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Grading runs nbgrader's pipeline with its Execute step replaced by LimitedExecute: a
# notebook-level wall-clock limit (kernel start included; the command line's
# --notebook-timeout), outputs cut while they arrive (a 50 MB print would otherwise fill the
# graded notebook and the feedback), and a dying kernel (os._exit) costing only the cells from
# the one that killed it on, where nbgrader alone records no scores at all.
c.Autograde.autograde_preprocessors = [
    "autograder.preprocessors.LimitedExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.LimitedExecute.notebook_timeout = 600
# The kernel guard (autograder/kernel_guard.py): no network, no other programs, no reading of
# the course's files, an address-space cap, and a tripwire on what hidden tests rely on.
c.LimitedExecute.guard = True
c.LimitedExecute.memory_limit_mb = 4096  # beyond what the kernel maps after its imports
c.LimitedExecute.max_output_bytes = 100_000  # printed text, per cell
c.LimitedExecute.max_display_bytes = 2_000_000  # figures and HTML, per cell (a book figure: ~60 kB)

# Feedback shows each test cell's score and failure message, never the hidden tests' source
# (nbgrader's own feedback prints them, and their tracebacks quote them).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "autograder.preprocessors.HideHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# What students see in place of a solution.
c.ClearSolutions.code_stub = {
    "python": '# YOUR CODE HERE\nraise NotImplementedError("Replace this line with your solution")'
}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Kernel flags: no IPython history database (parallel kernels would contend for it), and no
# kernel log chatter (such as the TCP transport notice) on the grader's terminal.
c.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=ERROR"]

# Not set: ClearMetadataPreprocessor.enabled. It sits in nbgrader's autograde pipeline before
# SaveAutoGrades, and enabling it would strip the nbgrader cell metadata that grading reads.
