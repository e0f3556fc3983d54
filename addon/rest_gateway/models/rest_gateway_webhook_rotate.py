# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The "Rotate Secret" dialog of a webhook: how long the old secret keeps signing.

During the grace period the sidecar signs every delivery with both secrets
(Standard Webhooks allows several signatures), so receivers can switch to
the new secret at their pace.
"""

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

MAX_GRACE_HOURS = 720  # 30 days


class RestGatewayWebhookRotate(models.TransientModel):
    _name = "rest.gateway.webhook.rotate"
    _description = "REST Gateway: Rotate Webhook Secret"

    webhook_id = fields.Many2one("rest.gateway.webhook", required=True, ondelete="cascade")
    grace_hours = fields.Integer(
        string="Grace Period (hours)",
        default=24,
        help="Hours during which deliveries are also signed with the current secret. 0: it stops at once.",
    )

    @api.constrains("grace_hours")
    def _check_grace_hours(self):
        for wizard in self:
            if not 0 <= wizard.grace_hours <= MAX_GRACE_HOURS:
                raise ValidationError(_("The grace period must be between 0 and %s hours.", MAX_GRACE_HOURS))

    def action_rotate(self):
        """Replace the secret and show the new one once."""
        self.ensure_one()
        webhook = self.webhook_id
        return webhook._action_reveal_secret(webhook._set_new_secret(self.grace_hours))
