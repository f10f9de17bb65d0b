"""nbgrader preprocessors of our own, named in ``autograder/nbgrader_config.py``."""

from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor


class DropEmptyNbgraderMetadata(NbGraderPreprocessor):
    """Remove the empty ``nbgrader`` metadata that DeduplicateIds leaves on a duplicated cell.

    With ``OverwriteCells.add_missing_cells`` on, nbgrader 0.9.6 reads ``grade_id`` from every
    cell that has ``nbgrader`` metadata, so a student who copied a graded cell made the whole
    autograde fail with ``KeyError: 'grade_id'``. Without the empty dict the copy is an
    ordinary cell: it runs, it is not graded, and the original keeps its grade.
    """

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        if "nbgrader" in cell.metadata and not cell.metadata.nbgrader:
            del cell.metadata["nbgrader"]
        return cell, resources
