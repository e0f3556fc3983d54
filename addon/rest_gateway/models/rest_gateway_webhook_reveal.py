# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Show a webhook's new signing secret once, like ``rest.gateway.key.reveal``.

Nothing is stored here: the secret travels in the action's
``context.default_secret`` and lives only in the dialog.
"""

from odoo import fields, models


class RestGatewayWebhookReveal(models.AbstractModel):
    _name = "rest.gateway.webhook.reveal"
    _description = "REST Gateway: Show Webhook Secret"

    # the field 'id' is necessary for the onchange that returns the value of 'secret'
    id = fields.Id()
    secret = fields.Char(readonly=True)
