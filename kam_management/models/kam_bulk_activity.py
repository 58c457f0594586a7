import json
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.mail.models.mail_activity import MailActivity as MailActivityBase

# The methods between a create of mail.activity and its table: while only the ORM
# and mail define them, the job's INSERT does what they would.
CREATE_METHODS = (
    "create",
    "_create",
    "_prepare_create_values",
    "_add_missing_default_values",
    "_add_precomputed_values",
)
CREATE_DEFINERS = (models.BaseModel, MailActivityBase)
# The columns the ORM fills itself on every create.
AUDIT_COLUMNS = ("id", *models.LOG_ACCESS_COLUMNS)


class KamBulkActivity(models.AbstractModel):
    """The daily job's activities (tier reminders, feedback requests), by the
    hundred a batch on a first run: one ``INSERT`` for a batch instead of
    mail.activity's create, whose per-record work (defaults, the precomputed model,
    the cache, its followers) was most of a first-run batch (benchmarks/
    bench_kam_cron.py, README). It does what that create does for them:
    mail.activity's defaults (asked once for the batch), the assignees following
    their accounts (``message_subscribe``, as mail does), their activity menus told
    (bus), what depends on activities marked modified. No e-mail, as before
    (mail_activity_quick_update).

    When another module extends mail.activity's create, or gives it a stored field
    the ``INSERT`` would not fill, the activities go through the ORM's create
    instead: no extension is skipped (``_kam_insert_supported``)."""

    _name = "kam.bulk.activity"
    _description = "Key account activities of the daily job"

    @api.model
    def _kam_create(self, values):
        """Create the activities of ``values`` (dicts of res_model_id, res_id,
        activity_type_id, user_id, date_deadline, summary, on res.partner); return
        them."""
        if not values:
            return self.env["mail.activity"]
        values = self._kam_complete(values)
        if self._kam_insert_supported(values):
            return self._kam_insert(values)
        return self._kam_orm_create(values)

    @api.model
    def _kam_complete(self, values):
        """``values`` with the stored fields mail.activity computes (the document's
        model and name, the assignee's time zone, no done date): one read of the
        accounts' names and one of the users' time zones for all of them. An
        account's name is its stored complete name (what its display name is made
        of, without computing that for each)."""
        partners = self.env["res.partner"].browse({v["res_id"] for v in values})
        partners.fetch(["complete_name"])
        names = {
            partner.id: (partner.complete_name or "").strip() or partner.display_name
            for partner in partners
        }
        users = self.env["res.users"].sudo().browse({v["user_id"] for v in values})
        users.fetch(["tz"])
        return [
            dict(
                vals,
                res_model="res.partner",
                res_name=names[vals["res_id"]],
                user_tz=users.browse(vals["user_id"]).tz or False,
                date_done=False,
            )
            for vals in values
        ]

    @api.model
    def _kam_insert_supported(self, values):
        """Whether one INSERT does all that mail.activity's create would do with
        ``values``: nothing but the ORM and mail between the create and the table,
        every stored computed field given, no default outside the table's columns
        (a many2many), no column holding several values (translated,
        company-dependent)."""
        activities = self.env["mail.activity"]
        for cls in type(activities).__mro__:
            if cls in CREATE_DEFINERS:
                continue
            if any(name in vars(cls) for name in CREATE_METHODS):
                return False
        given = set().union(*values)
        for field in activities._fields.values():
            if not field.store or field.name in AUDIT_COLUMNS:
                continue
            if field.compute and field.name not in given:
                return False
            if not field.column_type:
                if field.name in given or field.default:
                    return False
            elif field.column_type[0] == "jsonb":
                return False
        return True

    @api.model
    def _kam_insert(self, values):
        activities = self.env["mail.activity"].sudo()
        columns = [
            field
            for field in activities._fields.values()
            if field.store and field.column_type and field.name not in AUDIT_COLUMNS
        ]
        # mail.activity's defaults (and those of the modules that add fields to
        # it), asked once: the job's context is the same for every row.
        given = set().union(*values)
        defaults = activities.default_get(
            [field.name for field in columns if field.name not in given]
        )
        # The columns given a value (an empty one is left out of its row: NULL).
        written = [
            field for field in columns if field.name in given or field.name in defaults
        ]
        rows = []
        for vals in values:
            vals = dict(defaults, **vals)
            row = {}
            for field in written:
                value = field.convert_to_column_insert(vals.get(field.name), activities)
                if value is not None:
                    row[field.name] = value
            rows.append(row)
        names = [field.name for field in written]
        now = self.env.cr.now()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO mail_activity (%(columns)s, create_uid, create_date,
                                           write_uid, write_date)
                SELECT %(values)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM json_populate_recordset(NULL::mail_activity, %(rows)s) v
                RETURNING id, res_id, user_id, date_deadline
                """,
                columns=SQL(", ").join(SQL.identifier(name) for name in names),
                values=SQL(", ").join(SQL.identifier("v", name) for name in names),
                uid=self.env.uid,
                now=now,
                rows=json.dumps(rows, separators=(",", ":"), default=str),
            )
        )
        created = self.env.cr.fetchall()
        records = activities.browse([row[0] for row in created])
        self._kam_created(records, names)
        self._kam_subscribe(created)
        self._kam_notify(created)
        return records.with_env(self.env)

    @api.model
    def _kam_created(self, records, fnames):
        """What the ORM does after its INSERT: the one2many lists of activities
        (an account's, a user's) read again, what depends on activities (an
        account's activity state, stored figures of other modules) recomputed."""
        written = [records._fields[fname] for fname in fnames]
        for field in written:
            for inverse in self.pool.field_inverses[field]:
                self.env[inverse.model_name].invalidate_model([inverse.name])
        # What was written is what mail.activity computes (its name, the
        # assignee's time zone...): not to be computed again.
        with self.env.protecting(written, records):
            records.modified(records._fields, create=True)
        records._validate_fields(fnames)

    @api.model
    def _kam_subscribe(self, created):
        """The assignees follow the accounts of their activities, as mail.activity's
        create makes them: one subscription per assignee."""
        accounts = defaultdict(set)
        for _id, res_id, user_id, _deadline in created:
            if user_id:
                accounts[user_id].add(res_id)
        users = self.env["res.users"].sudo().browse(accounts)
        for user in users:
            partners = self.env["res.partner"].sudo().browse(sorted(accounts[user.id]))
            partners.message_subscribe(partner_ids=user.partner_id.ids)

    @api.model
    def _kam_notify(self, created):
        """The activity menus of the assignees with something due today or earlier
        count it at once, as after mail.activity's create."""
        today = fields.Date.today()
        due = {
            user_id for _id, _res, user_id, day in created if user_id and day <= today
        }
        if due:
            self.env["res.users"].sudo().browse(due)._bus_send(
                "mail.activity/updated", {"activity_created": True}
            )

    @api.model
    def _kam_orm_create(self, values):
        """Through mail.activity's create: in as few creates as possible, one
        unless an account gets two for the same person (a reminder and a feedback
        request), which go into separate creates (mail.activity's create subscribes
        the person once per activity: twice in one create breaks the followers'
        unique key)."""
        creates = []  # [({(account, user)}, [values])]
        for vals in values:
            key = (vals["res_id"], vals["user_id"])
            target = next((c for c in creates if key not in c[0]), None)
            if target is None:
                target = (set(), [])
                creates.append(target)
            target[0].add(key)
            target[1].append(vals)
        activities = self.env["mail.activity"].sudo()
        given = [activities._fields[f] for f in ("res_name", "user_tz", "date_done")]
        result = activities
        for _keys, batch in creates:
            # Reminders land in the reps' activity menus; no e-mail per reminder.
            created = activities.with_context(mail_activity_quick_update=True).create(
                batch
            )
            # mail.activity's create still queues those fields to be computed (the
            # ORM keeps only editable and precomputed fields from it), which would
            # cost the next flush a compute per activity to find the same values.
            for field in given:
                self.env.remove_to_compute(field, created)
            result |= created
        return result.with_env(self.env)
