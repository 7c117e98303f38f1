"""aomori-dx: the DX Promotion Council's progress material, computed from the departments' tables.

Data flows one way: ``load`` (files → raw cells) → ``validate`` (issues + model) → ``compute``
(rates, KPIs, 前期差) → ``render`` (deck, report, terminal, site).  ``cli`` wires them together.
"""

__version__ = "0.1.0"
