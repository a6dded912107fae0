"""Decision support on top of the engine: profile, what-if, marginal gains, target-rank optimiser,
uncertainty (Monte Carlo), sensitivity (Sobol) and projections. See docs/analysis.md.

Pure numpy/pandas: never imports Django, the web app or the reports.
"""

from piiplan.analysis.context import IndexInputs
from piiplan.analysis.gains import marginal_gains
from piiplan.analysis.profile import profile, strengths_weaknesses
from piiplan.analysis.projection import project, project_data
from piiplan.analysis.sensitivity import sensitivity
from piiplan.analysis.target import default_bounds, optimise
from piiplan.analysis.uncertainty import Assumptions, monte_carlo, replay
from piiplan.analysis.whatif import what_if

__all__ = ["IndexInputs", "marginal_gains", "profile", "strengths_weaknesses", "project", "project_data",
           "sensitivity", "default_bounds", "optimise", "Assumptions", "monte_carlo", "replay", "what_if"]
