# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The "REST Gateway" block of the general settings: change feed retention.

Stored as the system parameter ``rest_gateway.change_retention_days``,
which the sidecar's purge job reads (docs/data-model.md).
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

RETENTION_PARAM = "rest_gateway.change_retention_days"
DEFAULT_RETENTION_DAYS = 7


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    rest_gateway_change_retention_days = fields.Integer(
        string="Change Feed Retention (days)",
        config_parameter=RETENTION_PARAM,
        default=DEFAULT_RETENTION_DAYS,
        help="Captured changes older than this are purged; a change feed cursor older than "
        "the purge answers 410 and the client must resync.",
    )

    @api.constrains("rest_gateway_change_retention_days")
    def _check_rest_gateway_change_retention_days(self):
        for settings in self:
            if settings.rest_gateway_change_retention_days < 1:
                raise ValidationError(self.env._("The change feed retention must be at least one day."))
