# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Per-model settings of batch writes and upsert (docs/decisions.md D-B1…D-B6).

The sidecar reads ``max_batch_size`` with plain SQL; the upsert method
(models/base_upsert.py) reads the namespace and the match fields.
"""

import re

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

NAMESPACE_RE = re.compile(r"^[A-Za-z0-9_]+$")
DEFAULT_NAMESPACE = "rest_api"


class RestGatewayModel(models.Model):
    _inherit = "rest.gateway.model"

    max_batch_size = fields.Integer(
        default=100,
        help="Most operations one POST /{model}/batch may carry (at most 1000).",
    )
    upsert_namespace = fields.Char(
        string="External ID Namespace",
        default=DEFAULT_NAMESPACE,
        required=True,
        help="Module part of the external ids an upsert creates (module.name). "
        "An upsert may update a record by any external id, but creates only in this namespace.",
    )
    upsert_match_field_ids = fields.Many2many(
        "ir.model.fields",
        "rest_gateway_model_upsert_field_rel",
        "exposed_model_id",
        "field_id",
        string="Upsert Match Fields",
        domain="[('model_id', '=', model_id), ('store', '=', True), "
        "('ttype', 'in', ('char', 'integer', 'date', 'datetime', 'many2one', 'selection'))]",
        help="Fields an upsert may match records by ({\"match\": {field: value}}); "
        "mark only fields whose values are unique for this model.",
    )

    _max_batch_size_range = models.Constraint(
        "CHECK (max_batch_size >= 1 AND max_batch_size <= 1000)",
        "The maximum batch size must be between 1 and 1000.",
    )

    @api.constrains("upsert_namespace")
    def _check_upsert_namespace(self):
        for record in self:
            if not NAMESPACE_RE.match(record.upsert_namespace or ""):
                raise ValidationError(
                    _("The external ID namespace may hold only letters, digits and underscores.")
                )
