# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Show a freshly generated key once, like Odoo's ``res.users.apikeys.show``; and the
action that opens such a dialog for any secret (keys, client secrets, webhook secrets).

Nothing is stored: the plaintext travels in the action's
``context.default_key`` and lives only in the dialog.
"""

from odoo import fields, models


def reveal_action(title, plaintext, res_model="rest.gateway.key.reveal", field="key", view=False):
    """The dialog that shows a new secret once: ``plaintext`` travels in its context only."""
    return {
        "type": "ir.actions.act_window",
        "res_model": res_model,
        "name": title,
        "views": [(view, "form")],
        "target": "new",
        "context": {f"default_{field}": plaintext},
    }


class RestGatewayKeyReveal(models.AbstractModel):
    _name = "rest.gateway.key.reveal"
    _description = "REST Gateway: Show API Key"

    # the field 'id' is necessary for the onchange that returns the value of 'key'
    id = fields.Id()
    key = fields.Char(readonly=True)
