import logging

import psycopg2

from odoo.tools import SQL
from odoo.tools.translate import get_po_paths

from odoo.addons.kam_management.jobs import try_job_lock

_logger = logging.getLogger(__name__)


def uninstall_hook(env):
    """Leave the users' deals intact when the addon goes away.

    - The deals whose KAM category (or checklist) set their probability get CRM's
      automated probability back, so that CRM's scoring takes care of them again.
    - The opportunities' checklist lines are removed first: they keep their template
      with ``ondelete="restrict"`` (a director cannot delete answered items by mistake),
      and the whole model goes away with the addon anyway.
    - The KAM stages and the Key Accounts team (with its mail alias) that still hold
      deals, other than this addon's demo deals, become ordinary records of the
      database instead of being deleted: their deals keep their stage and team.
    """
    cr = env.cr
    env.flush_all()
    # In SQL: the addon's write would give the deals their category's again.
    ruled = (
        env["crm.lead"].sudo().search([("kam_category_sets_probability", "=", True)])
    )
    cr.execute(
        SQL(
            "UPDATE crm_lead SET probability = automated_probability"
            " WHERE id = ANY(%s)",
            ruled.ids,
        )
    )
    env["crm.lead"].invalidate_model(["probability"])
    cr.execute("DELETE FROM kam_lead_checklist_line")
    cr.execute(
        """
        WITH leads AS (
            SELECT lead.id, lead.stage_id, lead.team_id
              FROM crm_lead lead
             WHERE lead.id NOT IN (
                    SELECT res_id FROM ir_model_data
                     WHERE module = 'kam_pipeline_stages' AND model = 'crm.lead'
             )
        )
        DELETE FROM ir_model_data data
         WHERE data.module = 'kam_pipeline_stages'
           AND (
                (data.model = 'crm.stage'
                 AND data.res_id IN (SELECT stage_id FROM leads))
             OR (data.model = 'crm.team'
                 AND data.res_id IN (SELECT team_id FROM leads))
             OR (data.model = 'mail.alias'
                 AND data.res_id IN (
                    SELECT team.alias_id FROM crm_team team
                     WHERE team.id IN (SELECT team_id FROM leads)
                 ))
           )
        """
    )


#: A record of the addon's data that every catalogue of ``i18n/`` translates: when it
#: lacks an installed language, the catalogue of that language was never loaded.
TRANSLATION_SENTINEL = "kam_pipeline_stages.crm_stage_kam_first_meeting"
#: One loader at a time (every worker loads the registry).
TRANSLATION_LOCK = "kam_pipeline_stages.data_translations"


def load_missing_data_translations(env):
    """Load the translations of the addon's data (stages, team, checklists) for the
    installed languages that lack them; the ones present are kept.

    ``odoo-bin --load-language=ru_RU`` on an existing database loads the catalogues
    while only ``base`` is in the registry: the terms of the other models (the KAM
    stages and checklist items) are skipped, and these records are ``noupdate``.
    Called when the registry is ready (``_register_hook``), it costs one query when
    nothing is missing. Returns the languages loaded.
    """
    module = "kam_pipeline_stages"
    langs = [
        code
        for code, _name in env["res.lang"].get_installed()
        if code != "en_US" and get_po_paths(module, code)
    ]
    sentinel = env.ref(TRANSLATION_SENTINEL, raise_if_not_found=False)
    if not langs or not sentinel:
        return []
    env.cr.execute(
        SQL(
            "SELECT lang FROM unnest(%s::varchar[]) lang"
            " WHERE NOT EXISTS (SELECT 1 FROM crm_stage WHERE id = %s AND name ? lang)",
            langs,
            sentinel.id,
        )
    )
    missing = [lang for (lang,) in env.cr.fetchall()]
    if not missing or not try_job_lock(env.cr, TRANSLATION_LOCK):
        return []
    try:
        with env.cr.savepoint():
            env["ir.module.module"]._load_module_terms([module], missing)
    except psycopg2.Error:
        # Another worker loads them at the same time: its load is enough.
        _logger.info("Translations of %s loaded by another worker", module)
        return []
    _logger.info("Translations of %s loaded for %s", module, ", ".join(missing))
    return missing
