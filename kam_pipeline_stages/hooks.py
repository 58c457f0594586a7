from odoo.tools import SQL


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
