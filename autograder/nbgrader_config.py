"""nbgrader settings shared by the instructors' command line and JupyterLab.

nbgrader loads this file itself when ``autograder/`` is on ``JUPYTER_CONFIG_PATH`` (``make lab``
exports it, so the Validate button uses these settings); ``python -m autograder`` loads it
explicitly. Course paths (root, source, release, gradebook) are not set here: the command line
sets them for each run.
"""

c = get_config()  # noqa: F821 (provided by the traitlets config loader)

# Kernel start-up with torch can be slow on a loaded machine.
c.Execute.startup_timeout = 120

# Any stderr output makes nbgrader score a test cell 0. Drop stderr outputs that are Python
# warnings (``...: UserWarning: ...``) before scoring. Test cells' outputs are the grader's
# verdict alone (see SandboxedExecute), so this is a safety net for the Validate button.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"[A-Za-z]*Warning:"

# The notebook that is graded is rebuilt from the assignment (autograder/preprocessors.py,
# RestoreFromSource): the student's answers and own cells, every read-only and test cell from
# the gradebook, no metadata of the student's. nbgrader's own steps then find nothing to fix.
c.OverwriteCells.add_missing_cells = True
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "autograder.preprocessors.RestoreFromSource",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Grading runs nbgrader's pipeline with its Execute step replaced by SandboxedExecute
# (autograder/execute.py): each kernel in a bubblewrap sandbox; test cells judged in the
# grader's process, never in the kernel; limits on CPU time; a dying kernel restarted.
c.Autograde.autograde_preprocessors = [
    "autograder.preprocessors.SandboxedExecute",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.SandboxedExecute.cell_cpu_limit = 60.0  # CPU seconds per cell (a test cell: with its checks)
c.SandboxedExecute.cell_wall_limit = 300.0  # a backstop for code that waits (sleep, input)
c.SandboxedExecute.notebook_cpu_limit = 600.0
c.SandboxedExecute.notebook_wall_limit = 1800.0
c.SandboxedExecute.memory_limit_mb = 4096  # beyond what the kernel maps after its imports
c.SandboxedExecute.max_output_bytes = 100_000  # printed text, per cell
c.SandboxedExecute.max_display_bytes = 2_000_000  # figures and HTML, per cell (a figure: ~60 kB)
c.SandboxedExecute.sandbox = True  # kernels in bubblewrap; see the instructors' guide

# Feedback shows each test cell's score and failure message, never the hidden tests' source
# (nbgrader's own feedback prints them, and their tracebacks quote them).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "autograder.preprocessors.HideHiddenTests",
    "autograder.preprocessors.SanitizeFeedback",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# What students see in place of a solution.
c.ClearSolutions.code_stub = {
    "python": '# YOUR CODE HERE\nraise NotImplementedError("Replace this line with your solution")'
}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Kernel flags for the Validate button: no IPython history database, no log chatter.
c.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=ERROR"]
c.Execute.timeout = 60

# Not set: ClearMetadataPreprocessor.enabled. It sits in nbgrader's autograde pipeline before
# SaveAutoGrades, and enabling it would strip the nbgrader cell metadata that grading reads.
