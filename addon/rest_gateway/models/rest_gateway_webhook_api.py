# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The webhook management API, called through the bridge as the acting user.

The sidecar's ``/webhooks`` routes call these methods (docs/bridge-protocol.md,
"Webhook methods") with the authenticated API key's id first; the bridge is
signed, so the id is trusted. A key manages only the webhooks it created,
only when it has ``allow_webhooks``, and only on models its scopes let it
read; the rows themselves are written with ``sudo()`` (API users have no
access to the backend model), after these checks.
"""

import json

from odoo import Command, _, api, models
from odoo.exceptions import MissingError, ValidationError

from ..controllers.bridge_errors import GatewayAccessError

from .rest_gateway_model import parse_domain_literal
from .rest_gateway_webhook import (
    EVENT_FLAGS,
    RETRY_LIMITS,
    check_headers,
    check_url,
    column_field,
    parse_headers,
)
from .rest_gateway_webhook_rotate import MAX_GRACE_HOURS

API_WRITABLE_KEYS = frozenset({
    "name", "url", "model", "events", "update_fields", "domain", "fields", "headers",
    "max_attempts", "retry_base_delay", "retry_max_delay", "timeout", "active",
})
API_REQUIRED_KEYS = ("name", "url", "model", "events")
NAME_MAX_LENGTH = 256
DOMAIN_MAX_LENGTH = 20000
FIELD_LIST_MAX_LENGTH = 1000
API_DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _api_datetime(value):
    return value.strftime(API_DATETIME_FORMAT) if value else None


class RestGatewayWebhook(models.Model):
    _inherit = "rest.gateway.webhook"

    # ------------------------------------------------------------------
    # Methods opened to the bridge
    # ------------------------------------------------------------------

    @api.model
    def rest_gateway_api_list(self, key_id):
        """The key's webhooks, archived ones included, by id."""
        key = self._get_api_key(key_id)
        webhooks = self.sudo().with_context(active_test=False).search([("key_id", "=", key.id)], order="id")
        return [webhook._get_api_webhook_values() for webhook in webhooks]

    @api.model
    def rest_gateway_api_read(self, key_id, webhook_id):
        key = self._get_api_key(key_id)
        return self._get_api_webhook(key, webhook_id)._get_api_webhook_values()

    @api.model
    def rest_gateway_api_create(self, key_id, values):
        """Create a webhook for the key, read as the acting user; the secret comes back once."""
        key = self._get_api_key(key_id)
        if not isinstance(values, dict):
            raise ValidationError(_("The webhook must be a JSON object."))
        if missing := [name for name in API_REQUIRED_KEYS if name not in values]:
            raise ValidationError(_("Missing webhook keys: %s.", ", ".join(missing)))
        vals = self._prepare_api_webhook_values(key, values)
        webhook = self.sudo().create({**vals, "key_id": key.id, "user_id": self.env.user.id})
        secret = webhook._set_new_secret()
        return {**webhook._get_api_webhook_values(), "secret": secret}

    @api.model
    def rest_gateway_api_update(self, key_id, webhook_id, values):
        """Change the given keys of one of the key's webhooks."""
        key = self._get_api_key(key_id)
        webhook = self._get_api_webhook(key, webhook_id)
        if not isinstance(values, dict):
            raise ValidationError(_("The webhook must be a JSON object."))
        webhook.write(self._prepare_api_webhook_values(key, values, webhook))
        return webhook._get_api_webhook_values()

    @api.model
    def rest_gateway_api_delete(self, key_id, webhook_id):
        key = self._get_api_key(key_id)
        self._get_api_webhook(key, webhook_id).unlink()
        return True

    @api.model
    def rest_gateway_api_rotate_secret(self, key_id, webhook_id, grace_hours=24):
        """Replace the secret; the old one keeps signing for ``grace_hours``."""
        key = self._get_api_key(key_id)
        webhook = self._get_api_webhook(key, webhook_id)
        if not _is_int(grace_hours) or not 0 <= grace_hours <= MAX_GRACE_HOURS:
            raise ValidationError(
                _("grace_hours must be an integer between 0 and %s.", MAX_GRACE_HOURS)
            )
        secret = webhook._set_new_secret(grace_hours)
        return {**webhook._get_api_webhook_values(), "secret": secret}

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------

    @api.model
    def _get_api_key(self, key_id):
        """The live API key ``key_id`` of the acting user, allowed to manage webhooks."""
        key = self.env["rest.gateway.key"]
        if _is_int(key_id) and key_id > 0:
            key = key.sudo().with_context(active_test=False).browse(key_id).exists()
        if not (key and key.state == "active" and key.allow_webhooks and key.user_id == self.env.user):
            raise GatewayAccessError(_("This API key may not manage webhooks."))
        return key

    @api.model
    def _get_api_webhook(self, key, webhook_id):
        """The key's webhook ``webhook_id`` (sudo); anyone else's does not exist."""
        webhook = self.browse()
        if _is_int(webhook_id) and 0 < webhook_id < 2**31:
            webhook = self.sudo().with_context(active_test=False).search(
                [("id", "=", webhook_id), ("key_id", "=", key.id)], limit=1,
            )
        if not webhook:
            raise MissingError(_("Webhook %s does not exist.", webhook_id))
        return webhook

    @api.model
    def _get_api_scope(self, key, model_name):
        """The key's scope letting it read ``model_name``, on an active exposed model."""
        if not isinstance(model_name, str) or not model_name:
            raise ValidationError(_("model must be the technical name of an exposed model, e.g. res.partner."))
        scope = key.scope_ids.filtered(
            lambda scope: scope.model == model_name and scope.allow_read and scope.exposed_model_id.active
        )[:1]
        if not scope or model_name not in self.env:
            raise ValidationError(_("The model %s is not in this API key's scopes (read).", model_name[:128]))
        if not self.env[model_name].has_access("read"):
            raise ValidationError(_("%(user)s has no Odoo right to read %(model)s.",
                                    user=self.env.user.login, model=model_name))
        return scope

    @api.model
    def _prepare_api_webhook_values(self, key, values, webhook=None):
        """ORM values from API ``values``, refusing anything the key may not do."""
        if unknown := sorted(set(values) - API_WRITABLE_KEYS):
            raise ValidationError(_("Unknown or read-only webhook keys: %s.", ", ".join(map(str, unknown))))
        model_name = values["model"] if "model" in values else webhook.model
        scope = self._get_api_scope(key, model_name)
        vals = {}
        if "model" in values:
            vals["exposed_model_id"] = scope.exposed_model_id.id
        if "name" in values:
            name = values["name"]
            if not isinstance(name, str) or not name.strip() or len(name) > NAME_MAX_LENGTH:
                raise ValidationError(_("name must be a non-empty text of at most %s characters.", NAME_MAX_LENGTH))
            vals["name"] = name.strip()
        if "url" in values:
            try:
                check_url(values["url"])
            except ValueError as exc:
                raise ValidationError(_("url: %s.", exc)) from exc
            vals["url"] = values["url"]
        if "events" in values:
            vals |= self._prepare_api_events(values["events"])
        if "headers" in values:
            headers = values["headers"] if values["headers"] is not None else {}
            try:
                check_headers(headers)
            except ValueError as exc:
                raise ValidationError(_("headers: %s.", exc)) from exc
            vals["headers"] = json.dumps(headers) if headers else False
        if "domain" in values:
            vals["domain"] = self._prepare_api_domain(values["domain"])
        for name, (low, high) in RETRY_LIMITS.items():
            if name in values:
                if not _is_int(values[name]) or not low <= values[name] <= high:
                    raise ValidationError(
                        _("%(key)s must be an integer between %(low)s and %(high)s.", key=name, low=low, high=high)
                    )
                vals[name] = values[name]
        if "active" in values:
            if not isinstance(values["active"], bool):
                raise ValidationError(_("active must be true or false."))
            vals["active"] = values["active"]
        # field lists are checked against the (new) model, the given lists or the current ones
        model_changed = webhook is not None and "model" in values and webhook.model != model_name
        for api_key, field_name, columns_only in (
            ("update_fields", "update_field_ids", True),
            ("fields", "field_ids", False),
        ):
            if api_key in values:
                names = values[api_key] if values[api_key] is not None else []
            elif model_changed:
                names = webhook[field_name].mapped("name")
            else:
                continue
            field_ids = self._get_api_field_ids(scope, api_key, names, columns_only)
            vals[field_name] = [Command.set(field_ids)]
        return vals

    @api.model
    def _prepare_api_events(self, events):
        if not isinstance(events, list) or not events or not all(isinstance(event, str) for event in events):
            raise ValidationError(
                _("events must be a non-empty list among %s.", ", ".join(EVENT_FLAGS))
            )
        if unknown := sorted(set(events) - set(EVENT_FLAGS)):
            raise ValidationError(
                _("Unknown events: %(unknown)s (use %(known)s).",
                  unknown=", ".join(unknown), known=", ".join(EVENT_FLAGS))
            )
        return {flag: event in events for event, flag in EVENT_FLAGS.items()}

    @api.model
    def _prepare_api_domain(self, domain):
        """The domain widget's text for a JSON domain list (checked by the model's constraint)."""
        if domain is None:
            domain = []
        if not isinstance(domain, list):
            raise ValidationError(_('domain must be a JSON domain list such as [["name", "ilike", "a"]].'))
        try:
            text = repr(domain)
        except RecursionError as exc:
            raise ValidationError(_("domain is nested too deeply.")) from exc
        if len(text) > DOMAIN_MAX_LENGTH:
            raise ValidationError(_("domain is longer than %s characters.", DOMAIN_MAX_LENGTH))
        try:
            parse_domain_literal(text)
        except (ValueError, RecursionError) as exc:
            raise ValidationError(_("domain: %s.", exc)) from exc
        return text

    @api.model
    def _get_api_field_ids(self, scope, api_key, names, columns_only):
        """``ir.model.fields`` ids of ``names``, fields the key and the user may read."""
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            raise ValidationError(_("%s must be a list of field names.", api_key))
        if len(names) > FIELD_LIST_MAX_LENGTH:
            raise ValidationError(_("%(key)s lists more than %(max)s fields.", key=api_key, max=FIELD_LIST_MAX_LENGTH))
        model = self.env[scope.model]
        if unknown := sorted({name for name in names if name not in model._fields}):
            raise ValidationError(
                _("%(key)s: unknown fields of %(model)s: %(names)s.", key=api_key, model=model._name,
                  names=", ".join(unknown))
            )
        scope = scope.sudo()
        blocked = set(scope.blocked_field_ids.mapped("name"))
        allowed = set(scope.allowed_field_ids.mapped("name"))
        refused = sorted({
            name for name in names
            if name in blocked or (allowed and name not in allowed)
            or not model._has_field_access(model._fields[name], "read")
        })
        if refused:
            raise ValidationError(
                _("%(key)s: this API key may not read %(names)s.", key=api_key, names=", ".join(refused))
            )
        if columns_only and (not_columns := sorted({name for name in names if column_field(model, name) is None})):
            raise ValidationError(
                _("%(key)s: %(names)s cannot be watched (only stored fields with a column).",
                  key=api_key, names=", ".join(not_columns))
            )
        if not names:
            return []
        return self.env["ir.model.fields"].sudo().search([("model", "=", model._name), ("name", "in", names)]).ids

    # ------------------------------------------------------------------
    # Answer
    # ------------------------------------------------------------------

    def _get_api_webhook_values(self):
        """The webhook as the API shows it (never a secret)."""
        self.ensure_one()
        webhook = self.sudo()
        try:
            headers = parse_headers(webhook.headers)
        except ValueError:
            headers = {}
        return {
            "id": webhook.id,
            "name": webhook.name,
            "url": webhook.url,
            "model": webhook.model,
            "events": [event for event, flag in EVENT_FLAGS.items() if webhook[flag]],
            "update_fields": webhook.update_fields or [],
            "domain": json.loads(webhook.domain_json or "[]"),
            "fields": webhook.payload_fields or [],
            "headers": headers,
            "max_attempts": webhook.max_attempts,
            "retry_base_delay": webhook.retry_base_delay,
            "retry_max_delay": webhook.retry_max_delay,
            "timeout": webhook.timeout,
            "active": webhook.active,
            "secret_hint": webhook.secret_hint or None,
            "previous_secret_expires_at": _api_datetime(webhook.previous_secret_expires_at),
            "disabled_reason": webhook.disabled_reason or None,
            "created_at": _api_datetime(webhook.create_date),
        }
