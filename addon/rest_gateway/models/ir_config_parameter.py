# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Notify the sidecars when a ``rest_gateway.*`` system parameter changes.

The sidecar caches the bridge secret and other ``rest_gateway.`` settings;
it reloads them on the ``rest_gateway_config`` channel (docs/data-model.md).
"""

from odoo import api, models

from .rest_gateway_config_notify import notify_config_change

PARAMETER_PREFIX = "rest_gateway."


class IrConfigParameter(models.Model):
    _inherit = "ir.config_parameter"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._notify_rest_gateway_change()
        return records

    def write(self, vals):
        touched = self._is_rest_gateway_parameter() or str(vals.get("key") or "").startswith(
            PARAMETER_PREFIX
        )
        result = super().write(vals)
        if touched:
            notify_config_change(self.env.cr, self._name)
        return result

    def unlink(self):
        touched = self._is_rest_gateway_parameter()
        result = super().unlink()
        if touched:
            notify_config_change(self.env.cr, self._name)
        return result

    def _is_rest_gateway_parameter(self):
        return any((param.sudo().key or "").startswith(PARAMETER_PREFIX) for param in self)

    def _notify_rest_gateway_change(self):
        if self._is_rest_gateway_parameter():
            notify_config_change(self.env.cr, self._name)
