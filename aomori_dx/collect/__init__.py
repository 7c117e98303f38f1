"""Preparing the next meeting: roll a period forward, ask each division for its figures with an
Excel workbook, merge the answers, and show what is still missing.

The loop the secretariat runs before each meeting, one module per step:

1. ``roll`` (``new_period``) copies the previous period; every indicator value is kept but
   marked as not yet confirmed, and the meeting's date, as-of date and label are left blank.
2. ``requests`` (``make_requests``) writes one workbook per responsible division (``divisions``
   groups them): its indicators and its projects' plan/actual grids, with the cells to fill
   unlocked and highlighted and everything else protected (``sheets``: how a sheet looks).
3. ``collect`` reads returned workbooks (``workbook``, ``answers``: typed answer records),
   leaves out workbooks that contradict each other (``conflicts``), and merges the accepted
   values into the period's CSV tables (``merge``, ``tables``) — all or nothing, only after the
   merged period has been validated, one collect at a time (``lock``).
4. ``status`` (``division_status``) lists, by division, the indicators not yet confirmed and
   the projects without an actual entry for the current fiscal year.

``layout`` holds the one column map of the request workbook that the writer and the reader
share.  A workbook identifies itself by a very hidden sheet (period and division); the locked
cells are compared with what was written, so an edited protected cell is caught even if the
sheet protection was removed.
"""

from aomori_dx.collect.merge import Change, collect
from aomori_dx.collect.requests import make_requests
from aomori_dx.collect.roll import new_period
from aomori_dx.collect.status import DivisionStatus, division_status

__all__ = [
    "Change",
    "DivisionStatus",
    "collect",
    "division_status",
    "make_requests",
    "new_period",
]
