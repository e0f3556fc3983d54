# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Exposed models: which Odoo models the REST API serves and how.

Table ``rest_gateway_model`` is read by the sidecar with plain SQL
(docs/data-model.md); ``domain_json`` is the JSON form of ``domain`` so
that the sidecar never has to parse a Python literal. Creating, (de)activating
or deleting an exposed model installs or drops its change capture trigger
(models/rest_gateway_change.py).
"""

import ast
import json

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

# A domain that matches nothing: stored in ``domain_json`` while ``domain``
# is not (yet) a valid literal, so that a bad value never widens access.
FALSE_DOMAIN_JSON = json.dumps([[0, "=", 1]])


def parse_domain_literal(text):
    """Return ``text`` (a domain as the domain widget writes it) as a list.

    Only Python literals are accepted: the sidecar reads the JSON form, so
    there is nothing to evaluate ``uid`` or ``context_today()`` against.
    Raise ``ValueError`` with a readable message otherwise.
    """
    text = (text or "").strip() or "[]"
    try:
        value = ast.literal_eval(text)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError) as exc:
        raise ValueError(
            "the domain must be a literal list such as [('name', 'ilike', 'a')], "
            "without uid, context_today() or other expressions"
        ) from exc
    if not isinstance(value, (list, tuple)):
        raise ValueError("the domain must be a list of conditions")
    return _to_json_compatible(value)


def _to_json_compatible(value):
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_to_json_compatible(item) for item in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise ValueError("the domain may only hold strings, numbers, booleans, None and lists")


def check_domain(env, model_name, text):
    """Raise ``ValidationError`` unless ``text`` is a valid domain on ``model_name``."""
    if not model_name or model_name not in env:
        return
    try:
        domain = fields.Domain(parse_domain_literal(text))
        domain.validate(env[model_name].sudo().with_context(active_test=False))
    except (ValueError, TypeError, KeyError, AttributeError, UserError) as exc:
        raise ValidationError(
            env._("Invalid domain %(domain)s on %(model)s: %(error)s",
                  domain=text, model=model_name, error=exc)
        ) from exc


def domain_to_json(text):
    """JSON text of the domain ``text``, or a match-nothing domain if invalid."""
    try:
        return json.dumps(parse_domain_literal(text))
    except ValueError:
        return FALSE_DOMAIN_JSON


class RestGatewayModel(models.Model):
    _name = "rest.gateway.model"
    _description = "REST Gateway Exposed Model"
    _inherit = ["rest.gateway.config.notify"]
    _order = "model"
    _rec_names_search = ["model", "model_id.name"]

    model_id = fields.Many2one(
        "ir.model",
        string="Model",
        required=True,
        ondelete="cascade",
        domain=[("abstract", "=", False), ("transient", "=", False)],
        help="The Odoo model served by the REST API.",
    )
    model = fields.Char(
        related="model_id.model",
        store=True,
        index=True,
        string="Technical Name",
        help="Technical name of the model, e.g. res.partner; the sidecar keys its cache on it.",
    )
    active = fields.Boolean(default=True, help="An archived exposed model exposes nothing.")
    allow_read = fields.Boolean(string="Read", default=True, help="List and read records.")
    allow_create = fields.Boolean(string="Create", help="Create records.")
    allow_update = fields.Boolean(string="Update", help="Update records.")
    allow_delete = fields.Boolean(string="Delete", help="Delete records.")
    allow_archive = fields.Boolean(string="Archive", help="Archive records (models with an active field).")
    allow_restore = fields.Boolean(string="Restore", help="Unarchive records (models with an active field).")
    domain = fields.Char(
        default="[]",
        help="Odoo domain AND-ed into every query on this model; a Python literal, "
        "without uid or context_today().",
    )
    domain_json = fields.Text(
        string="Domain (JSON)",
        compute="_compute_domain_json",
        store=True,
        help="The domain as JSON, as the sidecar reads it.",
    )
    default_page_size = fields.Integer(default=20, help="Records per page when the client sets no limit.")
    max_page_size = fields.Integer(default=200, help="Largest page a client may ask for (at most 10000).")

    _model_id_unique = models.Constraint(
        "UNIQUE (model_id)",
        "A model can be exposed only once.",
    )
    _page_size_range = models.Constraint(
        "CHECK (default_page_size >= 1 AND default_page_size <= max_page_size AND max_page_size <= 10000)",
        "Page sizes must satisfy 1 ≤ default page size ≤ maximum page size ≤ 10000.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env["rest.gateway.change"]._sync_capture_triggers()
        return records

    def write(self, vals):
        result = super().write(vals)
        if {"active", "model_id"} & set(vals):
            self.env["rest.gateway.change"]._sync_capture_triggers()
        return result

    def unlink(self):
        result = super().unlink()
        self.env["rest.gateway.change"]._sync_capture_triggers()
        return result

    @api.depends("model_id.name", "model")
    def _compute_display_name(self):
        for record in self:
            record.display_name = record.model_id.name or record.model or ""

    @api.depends("domain")
    def _compute_domain_json(self):
        for record in self:
            record.domain_json = domain_to_json(record.domain)

    @api.constrains("domain", "model_id")
    def _check_domain(self):
        for record in self:
            check_domain(record.env, record.model_id.model, record.domain)

    @api.constrains("default_page_size", "max_page_size")
    def _check_page_size(self):
        for record in self:
            if not 1 <= record.default_page_size <= record.max_page_size <= 10000:
                raise ValidationError(
                    _("Page sizes must satisfy 1 ≤ default page size ≤ maximum page size ≤ 10000.")
                )
