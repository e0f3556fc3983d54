# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Change notification for the configuration read by the sidecar.

Every create, write and unlink of a model inheriting this mixin sends
``pg_notify('rest_gateway_config', <model name>)`` in the same transaction
(docs/data-model.md, "Change notification"): PostgreSQL delivers it on
commit only, and drops it if the transaction or savepoint rolls back.
"""

from odoo import api, models

NOTIFY_CHANNEL = "rest_gateway_config"


def notify_config_change(cr, payload):
    """Queue a notification on :data:`NOTIFY_CHANNEL` for ``payload``."""
    cr.execute("SELECT pg_notify(%s, %s)", [NOTIFY_CHANNEL, payload])


class RestGatewayConfigNotify(models.AbstractModel):
    _name = "rest.gateway.config.notify"
    _description = "REST Gateway Configuration Change Notifier"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._notify_config_change()
        return records

    def write(self, vals):
        result = super().write(vals)
        self._notify_config_change()
        return result

    def unlink(self):
        records = self.exists()
        result = super().unlink()
        records._notify_config_change()
        return result

    def _notify_config_change(self):
        """Tell the sidecars that this model's configuration changed.

        PostgreSQL folds identical notifications of one transaction into one,
        so calling this once per ORM call is cheap.
        """
        if self:
            notify_config_change(self.env.cr, self._name)
