"""`govsite diff`: what a change to the YAML means for the governance, in Dutch Markdown for a review.

Both revisions are read from git into temporary folders (gitexport) and go through the same steps as
a build (load -> validate -> model: snapshots); the two models are compared, never the text (compare,
with the field-by-field sentences as tables read by fields), in Dutch phrasing (words), and written
as the Markdown of a job summary (summary). Changes that give the councils less say are listed
first, so that reviewers cannot miss them.
"""
from .comparison import compare
from .gitexport import DiffError, default_base
from .snapshots import Snapshot, diff_revisions
from .summary import report

__all__ = ["DiffError", "Snapshot", "compare", "default_base", "diff_revisions", "report"]
