import json

from odoo import api, fields, models
from odoo.tools import SQL

from .res_partner import QUADRANTS, TEMPERATURES, TIERS

HISTORY_KINDS = [
    ("tier", "Tier"),
    ("quadrant", "Quadrant"),
    ("temperature", "Temperature"),
    ("cadence_breach", "Cadence breach"),
]
HISTORY_CAUSES = [
    ("refresh", "Daily refresh"),
    ("override", "Tier override"),
    ("rating", "Criteria rating"),
    ("settings", "Settings"),
    ("manual", "Manual change"),
]
# The labels of the values each kind records (the keys are stored, the labels shown).
HISTORY_VALUES = {
    "tier": TIERS,
    "quadrant": QUADRANTS,
    "temperature": TEMPERATURES,
}
# The keys each kind may record, for the label of a value.
LABEL_KEYS = {
    **{kind: {key for key, _label in keys} for kind, keys in HISTORY_VALUES.items()},
    "cadence_breach": {"overdue", "in_time"},
}
HISTORY_LABELS = [
    *TIERS,
    *QUADRANTS,
    *TEMPERATURES,
    ("in_time", "In time"),
    ("overdue", "Overdue"),
]


class KamAccountHistory(models.Model):
    """One change of an account's tier, quadrant or temperature, or the start of an
    overdue contact spell: when, from what to what, and why. Written by the code
    only (the daily job, the tier override, the ratings), never by hand."""

    _name = "kam.account.history"
    _description = "Key Account Move"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", "Account", required=True, ondelete="cascade", index=True
    )
    date = fields.Datetime(required=True, index=True, default=fields.Datetime.now)
    kind = fields.Selection(HISTORY_KINDS, required=True, index=True)
    old_value = fields.Char("From (key)")
    new_value = fields.Char("To (key)")
    # The translated labels of the keys, stored to group by them in the pivot. The
    # keys of tiers (a-d), quadrants and temperatures never collide: one selection.
    # Set with the keys at creation (the rows never change): no recompute, no UPDATE.
    old_label = fields.Selection(HISTORY_LABELS, "From", readonly=True)
    new_label = fields.Selection(HISTORY_LABELS, "To", readonly=True)
    cause = fields.Selection(HISTORY_CAUSES, required=True, default="manual")
    cause_note = fields.Char("Details")
    manager_id = fields.Many2one("res.users", "Key Account Manager", index=True)
    team_id = fields.Many2one("crm.team", "Sales Team", index=True)
    company_id = fields.Many2one("res.company", index=True)

    @api.model
    def _kam_label(self, kind, value):
        """The label key of a recorded value (False for none or an unknown key)."""
        return value if value in LABEL_KEYS.get(kind, ()) else False

    @api.model
    def _kam_record(self, rows):
        """Create history rows in one go, with the account's manager, team and company
        as they are now in the current company (the one the move is about). ``rows``
        are dicts with partner_id, kind, old_value, new_value, cause and optionally
        cause_note, date and manager_id (the account's manager as the caller has
        just read it: the daily job, which saves a read of its whole batch)."""
        if not rows:
            return self
        managers = {}
        unknown = {r["partner_id"] for r in rows if "manager_id" not in r}
        if unknown:
            partners = self.env["res.partner"].browse(unknown)
            partners.fetch(["kam_manager_id"])
            managers = {partner.id: partner.kam_manager_id.id for partner in partners}
        for row in rows:
            if "manager_id" in row:
                managers[row["partner_id"]] = row["manager_id"] or False
        # One read of the managers' teams for the whole batch.
        users = self.env["res.users"].browse({uid for uid in managers.values() if uid})
        users.fetch(["sale_team_id"])
        teams = {user.id: user.sale_team_id.id for user in users}
        # The rows as JSON objects keyed by column, with only what differs from row
        # to row (a key left out is NULL): PostgreSQL types them by the table itself
        # (json_populate_recordset) in one INSERT for the whole batch, which costs a
        # fraction of the ORM's (100 rows a query) or of an array per column; what is
        # the same for every row (the company, the audit columns) goes once, as a
        # parameter. The rows are a log the system writes, with no computed field and
        # no default beyond the audit columns set here.
        now = fields.Datetime.to_string(fields.Datetime.now())
        records = []
        for row in rows:
            manager = managers[row["partner_id"]] or None
            kind = row["kind"]
            record = {
                "partner_id": row["partner_id"],
                "kind": kind,
                "date": fields.Datetime.to_string(row["date"])
                if row.get("date")
                else None,
                "old_value": row.get("old_value") or None,
                "new_value": row.get("new_value") or None,
                "old_label": self._kam_label(kind, row.get("old_value")) or None,
                "new_label": self._kam_label(kind, row.get("new_value")) or None,
                "cause": row.get("cause") or "manual",
                "cause_note": row.get("cause_note") or None,
                "manager_id": manager,
                "team_id": teams.get(manager) or None,
            }
            records.append({key: value for key, value in record.items() if value})
        common = {
            "company_id": self.env.company.id,
            "create_uid": self.env.uid,
            "create_date": now,
            "write_uid": self.env.uid,
            "write_date": now,
        }
        # Every record has the same keys before the empty ones are left out.
        varying = [column for column in record if column != "date"]
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO kam_account_history (date, %(varying)s, %(common)s)
                SELECT COALESCE(v.date, %(now)s::timestamp), %(values)s,
                       %(common_values)s
                  FROM json_populate_recordset(NULL::kam_account_history, %(rows)s) v
                RETURNING id
                """,
                varying=SQL(", ").join(SQL.identifier(c) for c in varying),
                common=SQL(", ").join(SQL.identifier(c) for c in common),
                now=now,
                values=SQL(", ").join(SQL.identifier("v", c) for c in varying),
                common_values=SQL(", ").join(SQL("%s", v) for v in common.values()),
                rows=json.dumps(records, separators=(",", ":")),
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])
