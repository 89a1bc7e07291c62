"""Reports over the unified model: the municipal progress report and its exports.

Pure computation over model objects; no platform client is imported here.
"""

from unified_edu.reports._metrics import ProgressReportBuilder
from unified_edu.reports._period import Period, school_year
from unified_edu.reports._report import Level, ProgressReport, ReportRow, WeekRow

__all__ = [
    "Level",
    "Period",
    "ProgressReport",
    "ProgressReportBuilder",
    "ReportRow",
    "WeekRow",
    "school_year",
]
