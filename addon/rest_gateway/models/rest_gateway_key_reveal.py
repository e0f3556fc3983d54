# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Show a freshly generated key once, like Odoo's ``res.users.apikeys.show``.

Nothing is stored: the plaintext travels in the action's
``context.default_key`` and lives only in the dialog.
"""

from odoo import fields, models


class RestGatewayKeyReveal(models.AbstractModel):
    _name = "rest.gateway.key.reveal"
    _description = "REST Gateway: Show API Key"

    # the field 'id' is necessary for the onchange that returns the value of 'key'
    id = fields.Id()
    key = fields.Char(readonly=True)
