import { Activity } from "@mail/core/web/activity";

import { patch } from "@web/core/utils/patch";

/**
 * A key account's contact reminder offers to log the contact in one tap: the
 * channel and a line of notes (kam.contact.log), which closes the reminder.
 */
patch(Activity.prototype, {
    async onClickKamLogContact() {
        const thread = this.thread;
        await this.env.services.action.doAction(
            "kam_management.action_kam_contact_log",
            {
                additionalContext: {
                    active_model: "res.partner",
                    active_id: this.props.activity.res_id,
                    active_ids: [this.props.activity.res_id],
                },
                onClose: async () => {
                    this.props.onActivityChanged(thread);
                    await this.props.reloadParentView?.();
                },
            }
        );
    },
});
