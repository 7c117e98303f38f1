"""``python -m aomori_dx``: the same as the ``aomori-dx`` command (useful where Scripts/ is not on PATH)."""

from aomori_dx.cli import main

main()
