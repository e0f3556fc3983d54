# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Webhook subscriptions: signed events for the changes of an exposed model.

The capture trigger (``sql/change_capture.sql``) reads this table to queue
one ``rest.gateway.webhook.event`` per matching subscription in the writing
transaction; the sidecar delivers them, signing each with the webhook's
secret (Standard Webhooks). Layout and meaning: docs/data-model.md,
"Webhooks".

The secret must be usable for HMAC, so it is stored as is, in fields only
``base.group_system`` may read and that no view shows; it is shown once,
by the dialog that "Generate Secret" and "Rotate Secret" open
(docs/decisions.md D-W1).
"""

import base64
import json
import re
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..controllers.bridge_errors import GatewayAccessError

from .rest_gateway_key_reveal import reveal_action
from .rest_gateway_model import check_domain, domain_to_json

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32
SECRET_HINT_LENGTH = 4
# Wakes the sidecar's delivery workers (LISTEN rest_gateway_webhook).
WAKE_CHANNEL = "rest_gateway_webhook"

# event name -> the flag subscribing to it
EVENT_FLAGS = {
    "created": "on_create",
    "updated": "on_update",
    "deleted": "on_delete",
    "restored": "on_restore",
}

URL_MAX_LENGTH = 2048
HEADERS_MAX_COUNT = 20
HEADER_VALUE_MAX_LENGTH = 1024
# RFC 9110 token
HEADER_NAME_RE = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$")
# set by the delivery itself, or meaningless on one hop
RESERVED_HEADERS = frozenset({
    "host", "connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
    "proxy-connection", "te", "trailer", "trailers", "transfer-encoding", "upgrade",
})
RESERVED_HEADER_PREFIXES = ("webhook-", "content-")

RETRY_LIMITS = {
    "max_attempts": (1, 20),
    "retry_base_delay": (1, 86400),
    "retry_max_delay": (1, 604800),
    "timeout": (1, 30),
}


def generate_secret():
    """A new signing secret: ``whsec_`` + base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def secret_hint(secret):
    """``whsec_`` and the first characters of the secret, to tell secrets apart."""
    return secret[: len(SECRET_PREFIX) + SECRET_HINT_LENGTH] if secret else False


def wake_delivery(cr):
    """Queue a notification that wakes the delivery workers at commit."""
    cr.execute("SELECT pg_notify(%s, '')", [WAKE_CHANNEL])


def check_url(url):
    """Raise ``ValueError`` unless ``url`` is an absolute http(s) URL."""
    if not isinstance(url, str) or not url:
        raise ValueError("the URL is required")
    if len(url) > URL_MAX_LENGTH:
        raise ValueError(f"the URL is longer than {URL_MAX_LENGTH} characters")
    if any(char.isspace() or ord(char) < 32 for char in url):
        raise ValueError("the URL contains spaces or control characters")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError when out of range or not numeric
    except ValueError as exc:
        raise ValueError("the URL is malformed") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("the URL must be absolute, http:// or https://")
    if parts.username or parts.password:
        raise ValueError("the URL must not hold credentials; use a header")


def parse_headers(text):
    """Return the custom headers ``text`` (a JSON object) as a dict; ``ValueError`` if invalid."""
    text = (text or "").strip()
    if not text:
        return {}
    try:
        headers = json.loads(text)
    except ValueError as exc:
        raise ValueError('the headers must be a JSON object such as {"X-Token": "abc"}') from exc
    check_headers(headers)
    return headers


def check_headers(headers):
    """Raise ``ValueError`` unless ``headers`` is a dict of allowed header names to strings."""
    if not isinstance(headers, dict):
        raise ValueError('the headers must be a JSON object such as {"X-Token": "abc"}')
    if len(headers) > HEADERS_MAX_COUNT:
        raise ValueError(f"at most {HEADERS_MAX_COUNT} headers are allowed")
    seen = set()
    for name, value in headers.items():
        lowered = name.lower()
        if not HEADER_NAME_RE.match(name):
            raise ValueError(f"{name!r} is not a valid header name")
        if lowered in RESERVED_HEADERS or lowered.startswith(RESERVED_HEADER_PREFIXES):
            raise ValueError(f"the header {name} is set by the delivery and cannot be overridden")
        if lowered in seen:
            raise ValueError(f"the header {name} is given twice")
        seen.add(lowered)
        if not isinstance(value, str):
            raise ValueError(f"the value of the header {name} must be a string")
        if len(value) > HEADER_VALUE_MAX_LENGTH:
            raise ValueError(f"the value of the header {name} is longer than {HEADER_VALUE_MAX_LENGTH} characters")
        if any(ord(char) < 32 and char != "\t" or ord(char) == 127 for char in value):
            raise ValueError(f"the value of the header {name} contains control characters")


def column_field(model, name):
    """The field of ``model`` named ``name`` if it is a database column (own or
    ``_inherits`` parent's), which is what the capture trigger compares; else ``None``."""
    field = model._fields.get(name)
    while field is not None and field.inherited:
        field = field.related_field
    if field is None or not field.store or not field.column_type:
        return None
    return field


class RestGatewayWebhook(models.Model):
    _name = "rest.gateway.webhook"
    _description = "REST Gateway Webhook"
    _inherit = ["mail.thread"]
    _order = "name, id"

    name = fields.Char(required=True, tracking=True, help="What the webhook is for, e.g. the receiving system.")
    active = fields.Boolean(default=True, tracking=True, help="An archived webhook queues and delivers nothing.")
    url = fields.Char(string="Target URL", required=True, tracking=True, help="Where events are POSTed (http or https).")
    exposed_model_id = fields.Many2one(
        "rest.gateway.model",
        string="Exposed Model",
        required=True,
        ondelete="cascade",
        tracking=True,
        domain=[("active", "=", True)],
        help="The model whose changes are sent.",
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
    on_create = fields.Boolean(string="Created", default=True, tracking=True, help="Send an event when a record is created.")
    on_update = fields.Boolean(string="Updated", default=True, tracking=True, help="Send an event when a record is updated.")
    on_delete = fields.Boolean(string="Deleted", default=True, tracking=True, help="Send an event when a record is deleted.")
    on_restore = fields.Boolean(
        string="Restored", tracking=True, help="Send an event when an archived record is unarchived.",
    )
    update_field_ids = fields.Many2many(
        "ir.model.fields",
        "rest_gateway_webhook_update_field_rel",
        "webhook_id",
        "field_id",
        string="Updated Fields",
        domain="[('model_id', '=', model_id)]",
        help="Send updates only when one of these fields changed. Empty: any change.",
    )
    update_fields = fields.Json(
        string="Updated Field Names",
        compute="_compute_update_fields",
        store=True,
        help="Names of the updated fields, as the capture trigger reads them.",
    )
    domain = fields.Char(
        default="[]",
        help="Only records matching this domain at delivery are sent (not checked for deletions).",
    )
    domain_json = fields.Text(
        string="Domain (JSON)",
        compute="_compute_domain_json",
        store=True,
        help="The domain as JSON, as the sidecar reads it.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Read As",
        required=True,
        ondelete="cascade",
        default=lambda self: self.env.user,
        tracking=True,
        help="The payload is read as this user, with their access rights and record rules.",
    )
    field_ids = fields.Many2many(
        "ir.model.fields",
        "rest_gateway_webhook_field_rel",
        "webhook_id",
        "field_id",
        string="Payload Fields",
        domain="[('model_id', '=', model_id)]",
        help="Fields sent in the payload. Empty: the model's default fields.",
    )
    payload_fields = fields.Json(
        string="Payload Field Names",
        compute="_compute_payload_fields",
        store=True,
        help="Names of the payload fields, as the sidecar reads them.",
    )
    headers = fields.Text(
        string="Custom Headers",
        help='Extra request headers as a JSON object, e.g. {"X-Token": "abc"}.',
    )
    max_attempts = fields.Integer(default=8, help="Attempts before an event is given up (dead), 1 to 20.")
    retry_base_delay = fields.Integer(
        string="Base Delay", default=10,
        help="Seconds before the second attempt; doubled for each further attempt.",
    )
    retry_max_delay = fields.Integer(string="Maximum Delay", default=3600, help="Longest delay between attempts, in seconds.")
    timeout = fields.Integer(default=10, help="Seconds an attempt may take, 1 to 30.")
    allow_private = fields.Boolean(
        string="Allow Private Targets",
        groups="base.group_system",
        tracking=True,
        help="Allow targets on private, loopback and link-local addresses (administrators only).",
    )
    secret = fields.Char(copy=False, groups="base.group_system", help="Signing secret, shown once.")
    secret_hint = fields.Char(readonly=True, copy=False, help="The secret's first characters, to tell secrets apart.")
    previous_secret = fields.Char(copy=False, groups="base.group_system")
    previous_secret_expires_at = fields.Datetime(
        string="Previous Secret Until",
        readonly=True,
        copy=False,
        help="Until then deliveries are also signed with the secret before the last rotation.",
    )
    key_id = fields.Many2one(
        "rest.gateway.key",
        string="API Key",
        ondelete="set null",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="The API key that created this webhook through the API; its scope also bounds the payload.",
    )
    disabled_reason = fields.Char(
        readonly=True, copy=False, tracking=True, help="Why delivery stopped, e.g. the receiver answered 410 Gone.",
    )
    event_ids = fields.One2many("rest.gateway.webhook.event", "webhook_id", string="Events", readonly=True)
    pending_event_count = fields.Integer(compute="_compute_event_counts", string="Pending Events")
    dead_event_count = fields.Integer(compute="_compute_event_counts", string="Dead Events")

    def init(self):
        # what the capture trigger probes on every captured row
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS rest_gateway_webhook_active_model_index
                ON rest_gateway_webhook (model) WHERE active
        """)

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("update_field_ids")
    def _compute_update_fields(self):
        for webhook in self:
            webhook.update_fields = sorted(webhook.sudo().update_field_ids.mapped("name")) or None

    @api.depends("field_ids")
    def _compute_payload_fields(self):
        for webhook in self:
            webhook.payload_fields = webhook.sudo().field_ids.mapped("name") or None

    @api.depends("domain")
    def _compute_domain_json(self):
        for webhook in self:
            webhook.domain_json = domain_to_json(webhook.domain)

    def _compute_event_counts(self):
        counts = {
            (webhook.id, state): count
            for webhook, state, count in self.env["rest.gateway.webhook.event"]._read_group(
                [("webhook_id", "in", self.ids), ("state", "in", ("pending", "dead"))],
                ["webhook_id", "state"], ["__count"],
            )
        }
        for webhook in self:
            webhook.pending_event_count = counts.get((webhook.id, "pending"), 0)
            webhook.dead_event_count = counts.get((webhook.id, "dead"), 0)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("exposed_model_id")
    def _check_exposed_model_active(self):
        for webhook in self:
            if not webhook.exposed_model_id.active:
                raise ValidationError(
                    _("%(model)s is not exposed (its exposed model is archived): activate it first.",
                      model=webhook.exposed_model_id.model)
                )

    @api.constrains("on_create", "on_update", "on_delete", "on_restore")
    def _check_events(self):
        for webhook in self:
            if not any(webhook[flag] for flag in EVENT_FLAGS.values()):
                raise ValidationError(_("Webhook %s: subscribe to at least one event.", webhook.name))

    @api.constrains("url")
    def _check_url(self):
        for webhook in self:
            try:
                check_url(webhook.url)
            except ValueError as exc:
                raise ValidationError(_("Invalid target URL %(url)s: %(error)s.", url=webhook.url, error=exc)) from exc

    @api.constrains("headers")
    def _check_headers(self):
        for webhook in self:
            try:
                parse_headers(webhook.headers)
            except ValueError as exc:
                raise ValidationError(_("Invalid custom headers: %s.", exc)) from exc

    @api.constrains("domain", "exposed_model_id")
    def _check_domain(self):
        for webhook in self:
            check_domain(webhook.env, webhook.exposed_model_id.model, webhook.domain)

    @api.constrains("update_field_ids", "field_ids", "exposed_model_id")
    def _check_fields(self):
        for webhook in self.sudo():
            model_record = webhook.exposed_model_id.model_id
            chosen = webhook.update_field_ids | webhook.field_ids
            if foreign := chosen.filtered(lambda field: field.model_id != model_record):
                raise ValidationError(
                    _("Fields %(fields)s do not belong to %(model)s.",
                      fields=", ".join(foreign.mapped("name")), model=webhook.model)
                )
            if webhook.model in self.env:
                model = self.env[webhook.model]
                if not_columns := [name for name in webhook.update_field_ids.mapped("name")
                                   if column_field(model, name) is None]:
                    raise ValidationError(
                        _("Updates cannot be filtered on %(fields)s: only stored fields with a column are "
                          "compared.", fields=", ".join(not_columns))
                    )

    @api.constrains("max_attempts", "retry_base_delay", "retry_max_delay", "timeout")
    def _check_retry_policy(self):
        for webhook in self:
            for name, (low, high) in RETRY_LIMITS.items():
                if not low <= webhook[name] <= high:
                    raise ValidationError(
                        _("%(field)s must be between %(low)s and %(high)s.",
                          field=self._fields[name].get_description(self.env)["string"], low=low, high=high)
                    )
            if webhook.retry_max_delay < webhook.retry_base_delay:
                raise ValidationError(
                    _("The maximum delay (retry_max_delay) cannot be shorter than the base delay (retry_base_delay).")
                )

    @api.constrains("allow_private")
    def _check_allow_private(self):
        # constraints run as sudo, but env.user is still the real user
        if self.env.user._is_superuser() or self.env.user._is_system():
            return
        if any(webhook.sudo().allow_private for webhook in self):
            raise ValidationError(_("Only administrators may allow private targets."))

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    def write(self, vals):
        if vals.get("active") and "disabled_reason" not in vals:
            vals = {**vals, "disabled_reason": False}
        result = super().write(vals)
        if vals.get("active"):
            wake_delivery(self.env.cr)  # events queued while it was away may be due
        return result

    # ------------------------------------------------------------------
    # Secret
    # ------------------------------------------------------------------

    def _set_new_secret(self, grace_hours=0):
        """Store a new secret and return it; the current one keeps signing for
        ``grace_hours`` (0: it stops at once). The caller shows it once."""
        self.ensure_one()
        self.check_access("write")
        current = self.sudo().secret
        new_secret = generate_secret()
        values = {"secret": new_secret, "secret_hint": secret_hint(new_secret)}
        if current and grace_hours > 0:
            values |= {
                "previous_secret": current,
                "previous_secret_expires_at": fields.Datetime.now() + timedelta(hours=grace_hours),
            }
        else:
            values |= {"previous_secret": False, "previous_secret_expires_at": False}
        self.sudo().write(values)
        if current:
            self.message_post(body=_(
                "The signing secret was rotated (new secret %(hint)s…); the previous one signs for "
                "%(hours)s more hours.", hint=values["secret_hint"], hours=grace_hours,
            ))
        else:
            self.message_post(body=_("A signing secret was generated (%(hint)s…).", hint=values["secret_hint"]))
        return new_secret

    def action_generate_secret(self):
        """Give a webhook without a secret its first one and show it once."""
        self.ensure_one()
        if self.secret_hint:
            raise GatewayAccessError(_("This webhook already has a secret: rotate it instead."))
        return self._action_reveal_secret(self._set_new_secret())

    def action_open_rotate_secret(self):
        """Open the dialog asking how long the current secret keeps signing."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "rest.gateway.webhook.rotate",
            "name": _("Rotate Secret"),
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_webhook_id": self.id},
        }

    def _action_reveal_secret(self, plaintext):
        return reveal_action(_("Webhook Secret"), plaintext, res_model="rest.gateway.webhook.reveal", field="secret")

    # ------------------------------------------------------------------
    # Smart buttons
    # ------------------------------------------------------------------

    def action_view_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("rest_gateway.rest_gateway_webhook_event_action")
        state = self.env.context.get("event_state")
        action["domain"] = [("webhook_id", "=", self.id)] + ([("state", "=", state)] if state else [])
        action["context"] = {"default_webhook_id": self.id}
        return action
