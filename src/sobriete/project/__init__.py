"""Per-project assessment: what a digital project adds or saves, year by year, against doing nothing.

A project file (:mod:`.model`) describes a baseline and variants made of dated changes; the engine
(:mod:`.engine`) evaluates the baseline and each variant over the horizon with the domain engines,
and gives the deltas (variant − baseline), the payback years and the per-user figures;
:mod:`.sensitivity` ranks the assumptions that move the result most; :mod:`.rgesn` scores the
eco-design checklist.
"""

from .engine import ProjectResult, assess_project
from .model import CHANGE_KINDS, Project, ProjectError, load_project

__all__ = ["CHANGE_KINDS", "Project", "ProjectError", "ProjectResult", "assess_project", "load_project"]
