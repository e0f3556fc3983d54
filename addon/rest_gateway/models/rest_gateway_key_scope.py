# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Scopes: what one API key or one OAuth client may do on one exposed model.

The sidecar reads ``rest_gateway_key_scope`` and both field relation tables
(docs/data-model.md). A scope belongs to exactly one key or one client. Its
toggles are narrowed by the exposed model's own toggles, and its domain is
AND-ed with the exposed model's domain.
"""

import json

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .credential_denylist import is_credential_field
from .rest_gateway_model import check_domain, domain_to_json


class RestGatewayKeyScope(models.Model):
    _name = "rest.gateway.key.scope"
    _description = "REST Gateway Key Scope"
    _inherit = ["rest.gateway.config.notify"]
    _order = "key_id, model, id"

    key_id = fields.Many2one(
        "rest.gateway.key",
        string="Key",
        index=True,
        ondelete="cascade",
        help="The API key this scope belongs to (or set OAuth Client).",
    )
    client_id = fields.Many2one(
        "rest.gateway.oauth.client",
        string="OAuth Client",
        index="btree_not_null",
        ondelete="cascade",
        help="The OAuth client this scope belongs to (or set Key).",
    )
    exposed_model_id = fields.Many2one(
        "rest.gateway.model",
        string="Exposed Model",
        required=True,
        index=True,
        ondelete="cascade",
        help="One scope per exposed model and key.",
    )
    model_id = fields.Many2one(
        related="exposed_model_id.model_id",
        string="Model",
        help="Limits the field pickers to this model's fields.",
    )
    model = fields.Char(
        related="exposed_model_id.model",
        store=True,
        index=True,
        string="Technical Name",
    )
    user_id = fields.Many2one("res.users", string="Run As", compute="_compute_user_id")
    allow_read = fields.Boolean(string="Read", default=True, help="Narrowed by the exposed model's Read toggle.")
    allow_create = fields.Boolean(string="Create", help="Narrowed by the exposed model's Create toggle.")
    allow_update = fields.Boolean(string="Update", help="Narrowed by the exposed model's Update toggle.")
    allow_delete = fields.Boolean(string="Delete", help="Narrowed by the exposed model's Delete toggle.")
    allow_archive = fields.Boolean(string="Archive", help="Narrowed by the exposed model's Archive toggle.")
    allow_restore = fields.Boolean(string="Restore", help="Narrowed by the exposed model's Restore toggle.")
    domain = fields.Char(
        default="[]",
        help="Odoo domain AND-ed with the exposed model's domain for this key; a Python literal.",
    )
    domain_json = fields.Text(
        string="Domain (JSON)",
        compute="_compute_domain_json",
        store=True,
        help="The domain as JSON, as the sidecar reads it.",
    )
    allowed_field_ids = fields.Many2many(
        "ir.model.fields",
        "rest_gateway_scope_allowed_field_rel",
        "scope_id",
        "field_id",
        string="Allowed Fields",
        domain="[('model_id', '=', model_id)]",
        help="Fields this key may read and write. Empty: every field.",
    )
    restrict_fields = fields.Boolean(
        string="Allowlist Set",
        copy=True,
        help="Set when the scope is given allowed fields. It stays set if those fields disappear "
        "(a module uninstalled): the key then reads and writes no field rather than every field. "
        "Clear it to allow every field again.",
    )
    blocked_field_ids = fields.Many2many(
        "ir.model.fields",
        "rest_gateway_scope_blocked_field_rel",
        "scope_id",
        "field_id",
        string="Blocked Fields",
        domain="[('model_id', '=', model_id)]",
        help="Fields this key may never read, write, filter or sort on.",
    )

    _key_model_unique = models.Constraint(
        "UNIQUE (key_id, exposed_model_id)",
        "A key can have only one scope per exposed model.",
    )
    _client_model_unique = models.Constraint(
        "UNIQUE (client_id, exposed_model_id)",
        "An OAuth client can have only one scope per exposed model.",
    )
    _one_owner = models.Constraint(
        "CHECK ((key_id IS NULL) <> (client_id IS NULL))",
        "A scope belongs to exactly one key or one OAuth client.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        scopes = super().create(vals_list)
        scopes._sync_restrict_fields()
        return scopes

    def write(self, vals):
        result = super().write(vals)
        if "allowed_field_ids" in vals:
            self._sync_restrict_fields()
        return result

    def _sync_restrict_fields(self):
        """Remember which scopes were given an allowlist (docs/decisions.md D-S34).

        Kept as a column of its own: when the fields of an allowlist are
        deleted, their relation rows go with them, and an empty list would
        read as "every field". Only an explicit edit of the list, or of this
        flag, changes it.
        """
        for scope in self:
            restrict = bool(scope.allowed_field_ids)
            if scope.restrict_fields != restrict:
                scope.restrict_fields = restrict

    @api.depends("key_id.user_id", "client_id.user_id")
    def _compute_user_id(self):
        for scope in self:
            scope.user_id = scope.key_id.user_id or scope.client_id.user_id

    @api.depends("key_id.display_name", "client_id.display_name", "exposed_model_id.display_name")
    def _compute_display_name(self):
        for scope in self:
            owner = scope.key_id or scope.client_id
            scope.display_name = f"{owner.display_name} / {scope.exposed_model_id.display_name}"

    def _get_api_values(self):
        """The scope as the admin API shows it."""
        self.ensure_one()
        return {
            "model": self.model,
            "operations": [op for op in ("read", "create", "update", "delete", "archive", "restore")
                           if self[f"allow_{op}"]],
            "domain": json.loads(self.domain_json or "[]"),
            "allowed_fields": self.sudo().allowed_field_ids.mapped("name"),
            "blocked_fields": self.sudo().blocked_field_ids.mapped("name"),
        }

    @api.depends("domain")
    def _compute_domain_json(self):
        for scope in self:
            scope.domain_json = domain_to_json(scope.domain)

    @api.constrains("domain", "exposed_model_id")
    def _check_domain(self):
        for scope in self:
            check_domain(scope.env, scope.exposed_model_id.sudo().model, scope.domain)

    @api.constrains("key_id", "client_id")
    def _check_key_id(self):
        # record rules are checked before a write, not after: without this a
        # user could move a scope onto a key they cannot otherwise touch
        user = self.env.user
        if user._is_superuser() or user.has_group("rest_gateway.group_manager"):
            return
        for scope in self:
            if scope.client_id:
                raise ValidationError(_("Only REST Gateway managers manage OAuth clients."))
            if not scope.key_id.with_user(user).has_access("write"):
                raise ValidationError(_("You can only add scopes to your own keys."))

    @api.constrains("allowed_field_ids", "blocked_field_ids", "exposed_model_id")
    def _check_fields(self):
        for scope in self.sudo():
            fields_ = scope.allowed_field_ids | scope.blocked_field_ids
            if foreign := fields_.filtered(lambda field: field.model_id != scope.exposed_model_id.model_id):
                raise ValidationError(
                    _("Fields %(fields)s do not belong to %(model)s.",
                      fields=", ".join(foreign.mapped("name")), model=scope.model)
                )
            if credentials := scope.allowed_field_ids.filtered(lambda field: is_credential_field(field.name)):
                raise ValidationError(
                    _("%(fields)s hold credentials; the REST gateway never serves them.",
                      fields=", ".join(credentials.mapped("name")))
                )
            if both := scope.allowed_field_ids & scope.blocked_field_ids:
                raise ValidationError(
                    _("A field cannot be both allowed and blocked: %(fields)s.",
                      fields=", ".join(both.mapped("name")))
                )
