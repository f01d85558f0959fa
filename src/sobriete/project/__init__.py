"""Per-project assessment: what a digital project adds or saves, year by year, against doing nothing.

A project file (:mod:`.model`) describes a baseline and variants made of dated changes;
:mod:`.engine` assesses the baseline and each variant over the horizon: each change is built by
:mod:`.changes` on the variant's equipment fleet (:mod:`.fleet`) into signed pieces of rows
(:mod:`.variants`), evaluated with the domain engines (:mod:`.evaluation`); :mod:`.result` gives
the deltas (variant − baseline), the payback years and the per-user figures; :mod:`.sensitivity`
ranks the assumptions that move the result most; :mod:`.uncertainty` gives the delta's interval;
:mod:`.rgesn` scores the eco-design checklist.
"""

from .engine import assess_project
from .model import CHANGE_KINDS, Project, ProjectError, load_project
from .result import ProjectResult

__all__ = ["CHANGE_KINDS", "Project", "ProjectError", "ProjectResult", "assess_project", "load_project"]
