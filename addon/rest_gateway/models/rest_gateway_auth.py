# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Password operations for the sidecar: log in, change, reset.

Reached through the signed route ``/rest_gateway/bridge/auth``
(controllers/auth_bridge.py). Every check is Odoo's own: ``authenticate``
with its login cooldown, ``change_password``, auth_signup's
``reset_password``. ``sudo()`` appears only where Odoo's own login and
reset pages use it. Protocol: docs/bridge-protocol.md, "Authentication".
"""

import contextlib
import ipaddress
import logging

from odoo import _, api, fields, models
from odoo.exceptions import AccessDenied, UserError, ValidationError
from odoo.http import request

_logger = logging.getLogger(__name__)

OPERATIONS = {
    "authenticate": ("login", "password", "client_address"),
    "change_password": ("uid", "old_password", "new_password", "client_address"),
    "reset_password": ("login", "client_address"),
}
# arguments an operation may leave out (an integer or null)
OPTIONAL_OPERATION_ARGS = {
    "change_password": ("keep_token_id",),
}


class AuthFailure(Exception):
    """A refusal the sidecar turns into an HTTP answer (kind → status)."""

    def __init__(self, kind, message, retry_after=None):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.retry_after = retry_after


class RestGatewayAuth(models.AbstractModel):
    _name = "rest.gateway.auth"
    _description = "REST Gateway Password Authentication"

    @api.model
    def _dispatch_auth(self, payload):
        """Run one authentication operation; answer ``{"result"}`` or ``{"error"}``."""
        try:
            operation, args = self._parse_auth_request(payload)
            with self.env.cr.savepoint(), self._as_client_address(args.pop("client_address")):
                return {"result": getattr(self, f"_auth_{operation}")(**args)}
        except AuthFailure as exc:
            error = {"kind": exc.kind, "message": exc.message}
            if exc.retry_after:
                error["retry_after"] = exc.retry_after
            return {"error": error}
        except (UserError, ValidationError) as exc:
            return {"error": {"kind": "validation", "message": str(exc.args[0]) if exc.args else ""}}
        except Exception:  # noqa: BLE001 - never a traceback to the sidecar
            _logger.exception("REST Gateway auth bridge: unexpected error")
            return {"error": {"kind": "internal", "message": "An internal error occurred."}}

    @api.model
    def _parse_auth_request(self, payload):
        if not isinstance(payload, dict) or payload.get("operation") not in OPERATIONS:
            raise AuthFailure("bad_request", "Unknown operation.")
        names = OPERATIONS[payload["operation"]]
        optional = OPTIONAL_OPERATION_ARGS.get(payload["operation"], ())
        if set(payload) - {"operation", *names, *optional} or any(name not in payload for name in names):
            raise AuthFailure("bad_request", f"{payload['operation']} takes exactly: {', '.join(names)}.")
        args = {name: payload[name] for name in names}
        if any(not isinstance(v, str) for k, v in args.items() if k != "uid") or not isinstance(args.get("uid", 0), int):
            raise AuthFailure("bad_request", "Wrong argument types.")
        for name in optional:
            value = payload.get(name)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise AuthFailure("bad_request", "Wrong argument types.")
            args[name] = value
        return payload["operation"], args

    # ------------------------------------------------------------------
    # Client address and Odoo's login cooldown
    # ------------------------------------------------------------------

    @contextlib.contextmanager
    def _as_client_address(self, address):
        """Make Odoo see the API client's address, not the sidecar's.

        Odoo's login cooldown (``res.users._assert_can_auth``) counts failures
        per ``request.httprequest.remote_addr`` and its login log names that
        address: behind the sidecar it would otherwise be the sidecar's, so
        one attacker would lock every API user out. The route is signed by
        the sidecar, which resolved the address behind trusted proxies.
        """
        try:
            parsed = ipaddress.ip_address(address)
        except ValueError as exc:
            raise AuthFailure("bad_request", "client_address is not an IP address.") from exc
        if parsed.version == 6 and parsed.ipv4_mapped:
            parsed = parsed.ipv4_mapped
        if not request:
            yield
            return
        httprequest = request.httprequest
        saved = httprequest.remote_addr, httprequest.environ.get("REMOTE_ADDR")
        httprequest.remote_addr = httprequest.environ["REMOTE_ADDR"] = str(parsed)
        try:
            yield
        finally:
            httprequest.remote_addr, httprequest.environ["REMOTE_ADDR"] = saved

    @api.model
    def _get_login_cooldown(self):
        """Seconds to wait when the client's address is on Odoo's login
        cooldown, else 0. Reads the failure counters of Odoo's baseline
        ``_assert_can_auth`` and decides with its ``_on_login_cooldown`` hook."""
        if not request:
            return 0
        failures_map = getattr(self.env.registry, "_login_failures", None) or {}
        failures, previous = failures_map.get(request.httprequest.remote_addr, (0, None))
        if failures and self.env["res.users"]._on_login_cooldown(failures, previous):
            return int(self.env["ir.config_parameter"].sudo().get_param("base.login_cooldown_duration", 60))
        return 0

    @api.model
    def _check_not_locked_out(self):
        if retry_after := self._get_login_cooldown():
            raise AuthFailure("locked", _("Too many failed logins from this address; try again later."), retry_after)

    # ------------------------------------------------------------------
    # Operations
    # ------------------------------------------------------------------

    @api.model
    def _auth_authenticate(self, login, password):
        """Odoo's interactive password check; answer the user's id and profile.

        Unknown login and wrong password are the same failure, and take the
        same time (a dummy hash is verified when no user matched). A user
        with two-factor authentication is refused after a correct password:
        the API cannot ask for the second factor, a key is the way in.
        """
        self._check_not_locked_out()
        Users = self.env["res.users"]
        credential = {"type": "password", "login": login, "password": password}
        try:
            auth_info = Users.authenticate(credential, {"interactive": True})
        except AccessDenied as exc:
            self._equalize_failure_time(login, password)
            raise AuthFailure("credentials", _("Invalid login or password.")) from exc
        user = Users.browse(auth_info["uid"])
        if not (user._is_internal() or user._is_portal()):
            raise AuthFailure("credentials", _("Invalid login or password."))
        if auth_info.get("mfa") != "skip" and user._mfa_type():
            raise AuthFailure(
                "mfa_required",
                _("This account uses two-factor authentication, which the API cannot ask for. "
                  "Sign in to Odoo, create an API key, and send it as a Bearer token."),
            )
        return {"uid": user.id, "user": Users.with_user(user).rest_gateway_me()}

    @api.model
    def _equalize_failure_time(self, login, password):
        Users = self.env["res.users"].sudo()
        if not Users.search_count(Users._get_login_domain(login), limit=1):
            context = Users._crypt_context()
            context.verify(password, self._get_dummy_hash(context))

    @api.model
    def _get_dummy_hash(self, context):
        registry = self.env.registry
        if getattr(registry, "_rest_gateway_dummy_hash", None) is None:
            registry._rest_gateway_dummy_hash = context.hash("rest-gateway-timing")
        return registry._rest_gateway_dummy_hash

    @api.model
    def _auth_change_password(self, uid, old_password, new_password, keep_token_id=None):
        """Odoo's ``change_password`` as the user, under the login cooldown.

        The change revokes the user's other API sessions and tokens
        (res_users.py); ``keep_token_id``, the session the change was made
        with, stays. Answers how many were revoked.
        """
        self._check_not_locked_out()
        Users = self.env(user=uid, su=False)["res.users"].with_context(rest_gateway_keep_token_id=keep_token_id)
        Tokens = self.env["rest.gateway.token"].sudo()
        live = [("user_id", "=", uid), ("revoked_at", "=", False), ("expires_at", ">", fields.Datetime.now())]
        before = Tokens.search_count(live)
        try:
            with Users._assert_can_auth(user=uid):
                Users.change_password(old_password, new_password)
        except AccessDenied as exc:
            raise AuthFailure("credentials", _("The current password is wrong.")) from exc
        return {"uid": uid, "revoked": before - Tokens.search_count(live)}

    @api.model
    def _auth_reset_password(self, login):
        """Start auth_signup's reset flow, as Odoo's /web/reset_password does.

        The answer is the same whether the login exists or not.
        """
        if problem := self._get_reset_password_problem():
            raise AuthFailure("reset_unavailable", problem)
        # as Odoo's /web/reset_password (auth='public'): the public user, sudo
        public = self.env.ref("base.public_user")
        Users = self.env(user=public.id)["res.users"].sudo()
        try:
            with self.env.cr.savepoint():
                Users.reset_password(login)
        except Exception as exc:  # noqa: BLE001 - unknown login, no email, mail server: same answer
            _logger.info("REST Gateway: password reset for %r not started: %s", login, exc)
        return {"requested": True}

    @api.model
    def _get_reset_password_problem(self):
        """Why Odoo's reset flow cannot start here, or ``None`` (hook)."""
        if not hasattr(self.env["res.users"], "reset_password"):
            return _("Password reset needs the auth_signup module, which is not installed.")
        if self.env["ir.config_parameter"].sudo().get_param("auth_signup.reset_password") != "True":
            return _("Password reset is disabled in Odoo's settings.")
        return None
