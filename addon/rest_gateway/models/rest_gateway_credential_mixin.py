# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What API keys and OAuth clients share: usage counters, revocation, and
the API-facing helpers the sidecar's admin and self-service routes call.

Scopes arrive from the API as ``{"model", "operations", "domain",
"allowed_fields", "blocked_fields"}`` and are checked against the exposed
model's toggles and the run-as user's Odoo rights before they are stored.
"""

import re
import secrets
import string

from odoo import Command, _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

LIST_SEPARATOR_RE = re.compile(r"[\s,]+")
SECRET_PREFIX_ALPHABET = string.ascii_lowercase + string.digits
SECRET_PREFIX_LENGTH = 10


def split_list(text):
    """Entries of a text field holding one value per line or comma separated."""
    return [entry for entry in LIST_SEPARATOR_RE.split(text or "") if entry]


API_OPERATIONS = ("read", "create", "update", "delete", "archive", "restore")
# the Odoo access mode each API operation needs (ir.model.access)
ODOO_ACCESS_MODE = {
    "read": "read",
    "create": "create",
    "update": "write",
    "archive": "write",
    "restore": "write",
    "delete": "unlink",
}
API_WRITABLE_FIELDS = ("name", "expires_at", "rate_limit", "allowed_ips", "allowed_origins", "notes")


class RestGatewayCredentialMixin(models.AbstractModel):
    _name = "rest.gateway.credential.mixin"
    _description = "REST Gateway Credential (shared behaviour)"

    use_count = fields.Integer(
        string="Use Count",
        readonly=True,
        copy=False,
        help="Requests authenticated with this credential; written by the gateway in batches.",
    )
    revoked_at = fields.Datetime(
        string="Revoked On",
        readonly=True,
        copy=False,
        tracking=True,
        help="Set when the credential was revoked; a revoked credential never works again.",
    )

    # the field holding the secret's visible prefix, and the state it has when unset
    _secret_prefix_field = "prefix"
    _no_secret_state = "no_key"
    # the request log's column naming the credential (emptied when it is deleted)
    _request_log_field = "key_id"
    # how the change feed names this credential as a viewer (models/rest_gateway_change_viewer.py)
    _change_viewer_prefix = "key"

    def unlink(self):
        # the request log has no foreign keys (docs/decisions.md D-L2)
        self.env["rest.gateway.request.log"].sudo()._forget_references(self._request_log_field, self.ids)
        self.env["rest.gateway.change.viewer"].sudo()._forget_viewers(
            [f"{self._change_viewer_prefix}:{id_}" for id_ in self.ids])
        return super().unlink()

    # ------------------------------------------------------------------
    # State
    # ------------------------------------------------------------------

    def _get_credential_state(self, now):
        """revoked, archived, no secret yet, expired or active (one record)."""
        self.ensure_one()
        if self.revoked_at:
            return "revoked"
        if not self.active:
            return "archived"
        if not self[self._secret_prefix_field]:
            return self._no_secret_state
        if self.expires_at and self.expires_at <= now:
            return "expired"
        return "active"

    @api.model
    def _get_state_domains(self, now):
        """The domain of each state, so that searching on the state stays in SQL."""
        live = Domain("active", "=", True) & Domain("revoked_at", "=", False)
        has_secret = Domain(self._secret_prefix_field, "!=", False)
        return {
            "revoked": Domain("revoked_at", "!=", False),
            "archived": Domain("active", "=", False) & Domain("revoked_at", "=", False),
            self._no_secret_state: live & Domain(self._secret_prefix_field, "=", False),
            "expired": live & has_secret & Domain("expires_at", "<=", now),
            "active": live & has_secret & (Domain("expires_at", "=", False) | Domain("expires_at", ">", now)),
        }

    def _search_state(self, operator, value):
        if operator != "in":
            return NotImplemented
        domains = self._get_state_domains(fields.Datetime.now())
        return Domain.OR(domains[state] for state in value if state in domains)

    @api.model
    def _generate_prefix(self):
        """Return a random visible prefix used by no record, archived ones included."""
        records = self.sudo().with_context(active_test=False)
        while True:
            prefix = "".join(secrets.choice(SECRET_PREFIX_ALPHABET) for _i in range(SECRET_PREFIX_LENGTH))
            if not records.search_count([(self._secret_prefix_field, "=", prefix)], limit=1):
                return prefix

    # ------------------------------------------------------------------
    # Revocation
    # ------------------------------------------------------------------

    def _prepare_revoke_values(self):
        """Values written on revocation; concrete models add their secret's digest."""
        return {"active": False, "revoked_at": fields.Datetime.now()}

    def action_revoke(self):
        """Revoke for good: archived, secret digest erased, so unarchiving cannot revive it."""
        self.check_access("write")
        for record in self.filtered(lambda r: not r.revoked_at):
            # the digest is a manager-only field; write access was checked above
            record.sudo().write(record._prepare_revoke_values())
            record.message_post(body=_("Revoked; it can no longer be used."))
        return True

    # ------------------------------------------------------------------
    # API helpers (called through the bridge, as the acting user)
    # ------------------------------------------------------------------

    def _generate_plaintext(self):
        """Store a new secret for this record and return its plaintext (concrete models)."""
        raise NotImplementedError

    @api.model
    def rest_gateway_api_create(self, values):
        """Create the credential with its scopes; answer it with its plaintext, once."""
        vals = self._prepare_api_values(values)
        vals.setdefault("user_id", self.env.uid)
        user = self.env["res.users"].browse(vals["user_id"])
        vals["scope_ids"] = [
            Command.create(scope) for scope in self._prepare_scope_values(values.get("scopes") or [], user)
        ]
        record = self.create(vals)
        plaintext = record._generate_plaintext()
        return {"record": record._get_api_values(), "secret": plaintext}

    def rest_gateway_api_regenerate(self):
        """A new plaintext for this credential (the old one stops working at once)."""
        self.ensure_one()
        plaintext = self._generate_plaintext()
        return {"record": self._get_api_values(), "secret": plaintext}

    @api.model
    def _prepare_api_values(self, values):
        """Translate an API body into field values; scopes become commands."""
        if unknown := set(values) - set(API_WRITABLE_FIELDS) - set(self._get_api_extra_fields()) - {"scopes", "user_id"}:
            raise ValidationError(_("Unknown fields: %s.", ", ".join(sorted(unknown))))
        vals = {key: value for key, value in values.items() if key != "scopes"}
        for list_field in ("allowed_ips", "allowed_origins"):
            if isinstance(vals.get(list_field), list):
                vals[list_field] = "\n".join(vals[list_field])
        return vals

    @api.model
    def _get_api_extra_fields(self):
        """Model-specific fields the API may write (hook)."""
        return ()

    def _write_api_scopes(self, scopes):
        """Replace the scopes with ``scopes`` (API format), checked first."""
        self.ensure_one()
        commands = [Command.clear()] + [
            Command.create(vals) for vals in self._prepare_scope_values(scopes, self.user_id)
        ]
        self.write({"scope_ids": commands})

    @api.model
    def _prepare_scope_values(self, scopes, user):
        """Scope values for ``scopes``, refusing anything the exposed model or
        ``user``'s Odoo rights do not allow (the backend accepts such scopes
        and Odoo refuses at run time; the API refuses them up front)."""
        values, seen = [], set()
        for scope in scopes:
            model = scope.get("model")
            exposed = self.env["rest.gateway.model"].search([("model", "=", model)], limit=1)
            if not exposed:
                raise ValidationError(_("The model %s is not exposed.", model))
            if model in seen:
                raise ValidationError(_("The model %s is listed twice.", model))
            seen.add(model)
            operations = scope.get("operations") or list(API_OPERATIONS)
            self._check_scope_operations(exposed, operations, user)
            values.append({
                "exposed_model_id": exposed.id,
                **{f"allow_{op}": op in operations for op in API_OPERATIONS},
                "domain": repr(scope.get("domain") or []),
                "allowed_field_ids": [Command.set(self._get_field_ids(model, scope.get("allowed_fields")))],
                "blocked_field_ids": [Command.set(self._get_field_ids(model, scope.get("blocked_fields")))],
            })
        return values

    @api.model
    def _check_scope_operations(self, exposed, operations, user):
        if unknown := set(operations) - set(API_OPERATIONS):
            raise ValidationError(_("Unknown operations: %s.", ", ".join(sorted(unknown))))
        if closed := [op for op in operations if not exposed[f"allow_{op}"]]:
            raise ValidationError(
                _("%(model)s does not allow %(ops)s.", model=exposed.model, ops=", ".join(closed))
            )
        Model = self.env[exposed.model].with_user(user)
        if missing := [op for op in operations if not Model.browse().has_access(ODOO_ACCESS_MODE[op])]:
            raise ValidationError(
                _("%(user)s has no Odoo right to %(ops)s %(model)s.",
                  user=user.login, ops=", ".join(missing), model=exposed.model)
            )

    @api.model
    def _get_field_ids(self, model, names):
        if not names:
            return []
        found = self.env["ir.model.fields"].search([("model", "=", model), ("name", "in", names)])
        if missing := set(names) - set(found.mapped("name")):
            raise ValidationError(_("Unknown fields of %(model)s: %(names)s.", model=model, names=", ".join(sorted(missing))))
        return found.ids

    def _get_api_values(self):
        """The credential as the admin API shows it (never a secret or digest)."""
        self.ensure_one()
        return {
            "id": self.id,
            "name": self.name,
            "user": {"id": self.user_id.id, "login": self.user_id.login},
            "state": self.state,
            "active": self.active,
            "expires_at": self.expires_at,
            "rate_limit": self.rate_limit,
            "allowed_ips": split_list(self.allowed_ips),
            "allowed_origins": split_list(self.allowed_origins),
            "notes": self.notes or None,
            "last_used_at": self.last_used_at,
            "use_count": self.use_count,
            "revoked_at": self.revoked_at,
            "created_at": self.create_date,
            "scopes": [scope._get_api_values() for scope in self.scope_ids],
        }

    @api.model
    def rest_gateway_api_search(self, filters=None, offset=0, limit=50):
        """A page of credentials as the acting user sees them, with the total."""
        filters = filters or {}
        domain = []
        if filters.get("user_id"):
            domain.append(("user_id", "=", filters["user_id"]))
        if filters.get("state"):
            domain.append(("state", "in", [filters["state"]]))
        records = self.with_context(active_test=False).search(domain, offset=offset, limit=limit, order="id")
        total = self.with_context(active_test=False).search_count(domain)
        return {"records": [record._get_api_values() for record in records], "total": total}

    def rest_gateway_api_read(self):
        return [record._get_api_values() for record in self.with_context(active_test=False)]

    def rest_gateway_api_update(self, values):
        """Write API values (scopes replaced when given); answer the records."""
        vals = self._prepare_api_values(values)
        if "user_id" in vals:
            raise ValidationError(_("The run-as user of an existing credential cannot change."))
        if vals:
            self.write(vals)
        if "scopes" in values:
            for record in self:
                record._write_api_scopes(values["scopes"])
        return self.rest_gateway_api_read()

    def rest_gateway_api_revoke(self):
        self.action_revoke()
        return self.rest_gateway_api_read()
