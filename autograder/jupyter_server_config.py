"""Jupyter server settings for the students' JupyterLab (``make lab``).

``make lab`` puts this folder on JUPYTER_CONFIG_PATH. Students need nbgrader's Validate button
(and the assignment list); the instructors' formgrader and course list would only complain that
there is no course here, so they are off.
"""

c = get_config()  # noqa: F821 (provided by the traitlets config loader)

c.ServerApp.jpserver_extensions = {
    "nbgrader.server_extensions.formgrader": False,
    "nbgrader.server_extensions.course_list": False,
}
