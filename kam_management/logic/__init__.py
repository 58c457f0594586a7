"""Key account management rules as plain Python.

Nothing here imports ``odoo``: the models feed these functions plain values and store
what they return, and ``tests/`` checks the rules without a database.
"""

from . import cadence, cockpit, coverage, inputs, revenue, scoring, territory, tiering
