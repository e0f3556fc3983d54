# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The bridge's dispatch: run a signed batch of ORM calls as a named user.

The controller (controllers/bridge.py) checks the signature and hands the
decoded body to :meth:`RestGatewayBridge._dispatch`, which validates it and
runs each operation as ``env(user=uid, su=False)``: Odoo's ACLs, record
rules and constraints apply, and nothing here uses ``sudo()`` for data.
The contract is docs/bridge-protocol.md.
"""

import inspect
import json
import re
import secrets
import time

import psycopg2.errors
import pytz

from odoo import _, api, models
from odoo.exceptions import AccessError, MissingError
from odoo.fields import Domain
from odoo.service.model import get_public_method
from odoo.tools import json_default

from ..controllers.bridge_errors import BridgeError, GatewayAccessError, error_body

SECRET_PARAM = "rest_gateway.bridge_secret"
PREVIOUS_SECRET_PARAM = "rest_gateway.bridge_secret_previous"
# when the current secret replaced the previous one (Unix seconds)
ROTATED_AT_PARAM = "rest_gateway.bridge_secret_rotated_at"
# how long the previous secret stays valid after a rotation (Settings)
GRACE_MINUTES_PARAM = "rest_gateway.bridge_secret_grace_minutes"
DEFAULT_GRACE_MINUTES = 5
SECRET_BYTES = 48

READ = "read"
WRITE = "write"
REQUEST_KEYS = frozenset({"uid", "context", "atomic", "operations", "idempotency"})
IDEMPOTENCY_KEYS = frozenset({"id", "attempt", "digest", "call_digest"})
DIGEST_RE = re.compile(r"^[0-9a-f]{64}$")
OPERATION_KEYS = frozenset({"model", "method", "ids", "args", "kwargs", "guard", "read", "group"})
CONTEXT_TYPES = {
    "lang": str,
    "tz": str,
    "allowed_company_ids": list,
    "active_test": bool,
    "bin_size": bool,
}


# Methods whose results never hold a recordset (plain values, dicts, lists).
JSON_READY_METHODS = frozenset({
    "read", "search_read", "web_read", "web_search_read", "search_count", "fields_get",
    "name_search", "formatted_read_group", "rest_gateway_search", "rest_gateway_read",
    "rest_gateway_fields_get",
})


def get_bridge_grace_minutes(env):
    """Minutes the previous bridge secret stays valid after a rotation."""
    value = env["ir.config_parameter"].sudo().get_param(GRACE_MINUTES_PARAM)
    try:
        return max(0, int(value)) if value not in (None, False, "") else DEFAULT_GRACE_MINUTES
    except ValueError:
        return DEFAULT_GRACE_MINUTES


def get_bridge_secrets(env, now=None):
    """The secrets a bridge signature may use at ``now`` (Unix seconds).

    The current one, and the previous one only within the grace period after
    the rotation that replaced it; without a rotation time (a rotation made
    by an older version) the previous secret is refused.
    """
    params = env["ir.config_parameter"].sudo()
    now = time.time() if now is None else now
    valid = [params.get_param(SECRET_PARAM)]
    previous, rotated_at = params.get_param(PREVIOUS_SECRET_PARAM), params.get_param(ROTATED_AT_PARAM)
    if previous and rotated_at:
        try:
            within_grace = 0 <= now - float(rotated_at) <= get_bridge_grace_minutes(env) * 60
        except ValueError:
            within_grace = False
        if within_grace:
            valid.append(previous)
    return [secret for secret in valid if secret]


# The generic ORM methods the bridge calls on any exposed model (_get_bridge_methods).
READ_METHODS = (
    "web_search_read", "web_read", "search_read", "read", "search",
    "search_count", "fields_get", "name_search", "read_group",
    "formatted_read_group", "rest_gateway_search", "rest_gateway_read",
    "rest_gateway_fields_get",
)
WRITE_METHODS = (
    "create", "write", "unlink", "action_archive", "action_unarchive",
    "copy", "web_save", "rest_gateway_upsert",
)


def _bad_request(message):
    return BridgeError("bad_request", message)


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


class RestGatewayBridge(models.AbstractModel):
    _name = "rest.gateway.bridge"
    _description = "REST Gateway Bridge"

    # ------------------------------------------------------------------
    # Hooks
    # ------------------------------------------------------------------

    @api.model
    def _get_bridge_methods(self):
        """Return the methods the bridge may call, as ``{name: "read" | "write"}``.

        Only ``read`` methods run on the read-only route
        (``/rest_gateway/bridge/ro``), whose cursor may be on a replica.
        Extend it to open a method of your own to the sidecar::

            def _get_bridge_methods(self):
                return super()._get_bridge_methods() | {"action_confirm": "write"}

        A listed method still runs as the request's user, with Odoo's
        access rights; names starting with ``_`` and methods marked
        ``@api.private`` are refused whatever this returns.
        """
        # the webhook management API (models/rest_gateway_webhook_api.py); its
        # rest_gateway_api_read/create/update are opened with the credential
        # methods (models/rest_gateway_bridge_auth.py)
        webhook_methods = {
            "rest_gateway_api_list": READ,
            "rest_gateway_api_delete": WRITE,
            "rest_gateway_api_rotate_secret": WRITE,
        }
        return {name: READ for name in READ_METHODS} | {name: WRITE for name in WRITE_METHODS} | webhook_methods

    # ------------------------------------------------------------------
    # Secret
    # ------------------------------------------------------------------

    @api.model
    def _init_bridge_secret(self):
        """Create the bridge secret unless one exists (install hook)."""
        params = self.env["ir.config_parameter"].sudo()
        if not params.get_param(SECRET_PARAM):
            params.set_param(SECRET_PARAM, secrets.token_urlsafe(SECRET_BYTES))

    @api.model
    def action_rotate_bridge_secret(self):
        """Replace the bridge secret; the old one stays valid for the grace period.

        The sidecar reloads the secret on the ``rest_gateway_config``
        notification and signs with the new one; requests in flight signed
        with the old one are accepted for ``rest_gateway.bridge_secret_grace_minutes``
        (Settings, 5 by default), then refused: a leaked secret dies with
        its rotation.
        """
        if not (self.env.su or self.env.user.has_group("rest_gateway.group_manager")):
            raise GatewayAccessError(_("Only REST Gateway managers can rotate the bridge secret."))
        params = self.env["ir.config_parameter"].sudo()
        if current := params.get_param(SECRET_PARAM):
            params.set_param(PREVIOUS_SECRET_PARAM, current)
        params.set_param(ROTATED_AT_PARAM, str(int(time.time())))
        params.set_param(SECRET_PARAM, secrets.token_urlsafe(SECRET_BYTES))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("Bridge secret rotated. The previous secret is accepted for %s more minute(s).",
                             get_bridge_grace_minutes(self.env)),
                "sticky": False,
            },
        }

    # ------------------------------------------------------------------
    # Dispatch
    # ------------------------------------------------------------------

    @api.model
    def _dispatch(self, payload, readonly=False):
        """Validate and run a decoded bridge request body; return the response body.

        :param payload: the JSON-decoded body, see docs/bridge-protocol.md
        :param bool readonly: the request came through the read-only route,
            so write methods are refused
        :return: ``{"results": [...]}`` or ``{"error": {...}}``, ready for JSON
        """
        try:
            request = self._parse_request(payload, readonly)
            env = self._prepare_env(request["uid"], request["context"])
            if request["idempotency"]:
                self._lock_idempotency_claim(request["idempotency"])
        except psycopg2.errors.SerializationFailure:
            raise  # a retry took the claim over since our snapshot: Odoo retries, then refuses
        except Exception as exc:  # noqa: BLE001 - mapped by bridge_errors (BridgeError mostly)
            return {"error": error_body(self.env, exc)}
        if request["atomic"]:
            body = self._run_atomic(env, request["operations"], readonly)
        else:
            body = self._run_each(env, request["operations"], readonly)
        if request["idempotency"] and "results" in body:
            self._record_idempotency_result(request["idempotency"], body)
        return body

    # ------------------------------------------------------------------
    # Idempotency (docs/decisions.md D-S40)
    # ------------------------------------------------------------------

    @api.model
    def _lock_idempotency_claim(self, claim):
        """Lock the sidecar's idempotency claim for this transaction, or refuse.

        The row lock, held until commit, tells the sidecar that a write of
        the claim is running (a retry then answers "in progress"); the
        ``attempt`` fences a write that arrives after a retry took the claim
        over (its lease expired): it finds no matching row and does not run.
        Raw SQL: the row is the gateway's bookkeeping, not the user's data,
        and the acting user cannot read the table.
        """
        self.env.cr.execute(
            """
            SELECT state FROM rest_gateway_idempotency
             WHERE id = %s AND attempt = %s AND request_digest = %s
               FOR UPDATE
            """,
            [claim["id"], claim["attempt"], claim["digest"]],
        )
        row = self.env.cr.fetchone()
        if row is None or row[0] != "in_progress":
            raise BridgeError(
                "idempotency",
                _("This attempt no longer holds its Idempotency-Key (a retry took it over, "
                  "or its outcome is already known); nothing was run."),
            )

    @api.model
    def _record_idempotency_result(self, claim, body):
        """Record the bridge answer on the claim, in the write's transaction.

        Only answers with ``results`` are recorded: an atomic error rolled
        everything back, so the claim stays open for the request to go on
        (a retry of the call, a batch run again unmerged).
        """
        self.env.cr.execute(
            """
            UPDATE rest_gateway_idempotency
               SET state = 'committed', bridge_result = %s, call_digest = %s
             WHERE id = %s AND attempt = %s
            """,
            [json.dumps(body, ensure_ascii=False, default=json_default), claim["call_digest"],
             claim["id"], claim["attempt"]],
        )

    def _run_atomic(self, env, operations, readonly):
        """All operations in one savepoint: the first failure rolls all back."""
        results, index = [], None
        try:
            with env.cr.savepoint():
                for index, operation in enumerate(operations):
                    results.append(self._run_operation(env, operation, readonly))
        except psycopg2.errors.ReadOnlySqlTransaction:
            raise  # let Odoo retry the request on a read/write cursor
        except Exception as exc:  # noqa: BLE001 - mapped by bridge_errors
            return {"error": error_body(env, exc, index)}
        return {"results": results}

    def _run_each(self, env, operations, readonly):
        """One savepoint per group of operations: each group fails alone.

        Consecutive operations with the same ``group`` share a savepoint (a
        write and the checks around it); when one fails, every operation of
        the group answers its error. Without ``group``, an operation is a
        group of its own.
        """
        results, start = [], 0
        while start < len(operations):
            group = operations[start]["group"]
            end = start + 1
            while group is not None and end < len(operations) and operations[end]["group"] == group:
                end += 1
            index, group_results = start, []
            try:
                with env.cr.savepoint():
                    for index in range(start, end):
                        group_results.append({"result": self._run_operation(env, operations[index], readonly)})
            except psycopg2.errors.ReadOnlySqlTransaction:
                raise
            except Exception as exc:  # noqa: BLE001 - mapped by bridge_errors
                group_results = [{"error": error_body(env, exc, index)}] * (end - start)
            results.extend(group_results)
            start = end
        return {"results": results}

    def _run_operation(self, env, operation, readonly):
        """Run one operation as ``env``'s user and return its JSON-ready result.

        With ``guard``, the ids must match the guard domain before the method
        runs and every resulting record must match it after; with ``read``,
        the result is the resulting records as ``search_read`` gives them.
        """
        model, method = self._get_operation_method(env, operation, readonly)
        records = model.browse(operation["ids"])
        guard, read = operation["guard"], operation["read"]
        if guard is not None:
            self._check_guard_domain(model, guard)
            self._check_guard_before(records, guard)
        result = self._call_method(method, records, operation)
        if guard is None and read is None:
            if operation["method"] in JSON_READY_METHODS:
                return result  # no recordset inside: skip walking large results
            return self._prepare_result(result)
        resulting = self._get_resulting_records(records, result)
        if read is not None:
            # the read checks the guard too: one query instead of two
            return self._read_resulting_records(resulting, read["fields"], guard)
        self._check_guard_after(resulting, guard)
        return self._prepare_result(result)

    def _get_operation_method(self, env, operation, readonly):
        """The operation's model and method, once both are allowed; else ``bad_request``."""
        model_name, method_name = operation["model"], operation["method"]
        model_class = env.registry.get(model_name)
        if model_class is None or model_class._abstract:
            raise _bad_request(_("Unknown model %s.", model_name))
        access = self._get_bridge_methods().get(method_name)
        if access is None or method_name.startswith("_"):
            raise _bad_request(_("Method %s is not allowed through the bridge.", method_name))
        if readonly and access != READ:
            raise _bad_request(
                _("Method %s writes; use the read/write route /rest_gateway/bridge.", method_name)
            )
        model = env[model_name]
        try:
            method = get_public_method(model, method_name)
        except (AttributeError, AccessError) as exc:
            raise _bad_request(str(exc)) from exc
        if operation["ids"] and getattr(method, "_api_model", False):
            raise _bad_request(_("%(model)s.%(method)s takes no ids.", model=model_name, method=method_name))
        return model, method

    def _call_method(self, method, records, operation):
        """Call ``method`` on ``records`` with the operation's arguments, flushed."""
        args, kwargs = operation["args"], operation["kwargs"]
        try:
            bound = inspect.signature(method).bind(records, *args, **kwargs)
        except TypeError as exc:
            raise _bad_request(
                _("Bad arguments for %(model)s.%(method)s: %(error)s",
                  model=records._name, method=operation["method"], error=exc)
            ) from exc
        self._check_argument_domains(records, bound.arguments)
        result = method(records, *args, **kwargs)
        # surface constraint and integrity errors (and precommit hooks such
        # as mail tracking) inside the savepoint, attributed to this operation
        records.env.flush_all()
        records.env.cr.precommit.run()
        records.env.flush_all()
        return result

    # ------------------------------------------------------------------
    # Guard and read-back
    # ------------------------------------------------------------------

    @api.model
    def _get_guarded_ids(self, records, guard):
        """Ids of ``records`` that match ``guard`` as the acting user.

        Archived records count: the ids are explicit, as for ``browse``.
        """
        if not records:
            return set()
        domain = Domain.AND([Domain("id", "in", records.ids), Domain(guard)])
        return set(records.with_context(active_test=False).search(domain).ids)

    @api.model
    def _check_guard_before(self, records, guard):
        """Raise ``MissingError`` unless every record matches ``guard``.

        A record outside the credential's scope is answered like a record
        that does not exist (the sidecar's 404), as for reads.
        """
        if hidden := sorted(set(records.ids) - self._get_guarded_ids(records, guard)):
            raise MissingError(
                _("%(model)s %(ids)s does not exist or is not visible to this credential.",
                  model=records._name, ids=", ".join(map(str, hidden)))
            )

    @api.model
    def _check_guard_after(self, records, guard):
        """Raise ``AccessError`` (rolling the operation back) unless every
        resulting record still matches ``guard``."""
        self._check_not_outside(records, self._get_guarded_ids(records, guard))

    @api.model
    def _check_not_outside(self, records, matching_ids):
        """Raise ``AccessError`` naming the ``records`` not in ``matching_ids``."""
        if outside := sorted(set(records.ids) - set(matching_ids)):
            raise GatewayAccessError(
                _("The operation would put %(model)s %(ids)s outside the credential's scope.",
                  model=records._name, ids=", ".join(map(str, outside)))
            )

    @api.model
    def _get_resulting_records(self, records, result):
        """The records an operation produced or changed.

        The recordset a method returns when it is of the operation's model
        (``create``, ``copy``), otherwise the operation's records that still
        exist (none after ``unlink``).
        """
        if isinstance(result, models.BaseModel) and result._name == records._name:
            return result
        return records.exists()

    @api.model
    def _read_resulting_records(self, records, fields, guard=None):
        """``search_read`` of ``records`` as the acting user, in their order.

        With ``guard``, only records matching it are read, and any other
        raises as :meth:`_check_guard_after` does.
        """
        if not records:
            return []
        domain = Domain("id", "in", records.ids)
        if guard is not None:
            domain &= Domain(guard)
        rows = records.with_context(active_test=False).search_read(domain, fields)
        by_id = {row["id"]: row for row in rows}
        if guard is not None:
            self._check_not_outside(records, by_id)
        return [by_id[id_] for id_ in records.ids if id_ in by_id]

    @api.model
    def _prepare_result(self, value):
        """Make a method's result JSON-ready: recordsets become lists of ids.

        Dates, datetimes and bytes are left to the JSON encoder
        (``odoo.tools.json.json_default``) that the controller uses.
        """
        if isinstance(value, models.BaseModel):
            return value.ids
        if isinstance(value, dict):
            return {key: self._prepare_result(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [self._prepare_result(item) for item in value]
        return value

    # ------------------------------------------------------------------
    # Request validation
    # ------------------------------------------------------------------

    @api.model
    def _parse_request(self, payload, readonly=False):
        """Check the body's shape; return it with defaults filled in.

        Raise :class:`BridgeError` ``bad_request`` naming the first problem.
        """
        if not isinstance(payload, dict):
            raise _bad_request(_("The body must be a JSON object."))
        if unknown := sorted(set(payload) - REQUEST_KEYS):
            raise _bad_request(_("Unknown keys in the body: %s.", ", ".join(unknown)))
        uid = payload.get("uid")
        if uid is None:
            raise BridgeError("user_invalid", _("The body names no user (uid)."))
        if not _is_int(uid):
            raise _bad_request(_("uid must be an integer."))
        atomic = payload.get("atomic", True)
        if not isinstance(atomic, bool):
            raise _bad_request(_("atomic must be a boolean."))
        operations = payload.get("operations")
        if not isinstance(operations, list):
            raise _bad_request(_("operations must be a list."))
        return {
            "uid": uid,
            "context": self._parse_context(payload.get("context")),
            "atomic": atomic,
            "operations": [self._parse_operation(index, op) for index, op in enumerate(operations)],
            "idempotency": self._parse_idempotency(payload.get("idempotency"), readonly),
        }

    @api.model
    def _parse_idempotency(self, claim, readonly):
        """``idempotency``: ``{"id", "attempt", "digest", "call_digest"}`` of
        the sidecar's claim; ``None`` when absent. Writes only."""
        if claim is None:
            return None
        if readonly:
            raise _bad_request(_("idempotency is for the read/write route."))
        if (not isinstance(claim, dict) or set(claim) != IDEMPOTENCY_KEYS
                or not _is_int(claim["id"]) or not _is_int(claim["attempt"])
                or not all(isinstance(claim[key], str) and DIGEST_RE.match(claim[key])
                           for key in ("digest", "call_digest"))):
            raise _bad_request(
                _("idempotency must be {\"id\", \"attempt\": integers, \"digest\", \"call_digest\": SHA-256 hex}.")
            )
        return claim

    @api.model
    def _parse_context(self, context):
        if context is None:
            return {}
        if not isinstance(context, dict):
            raise _bad_request(_("context must be an object."))
        for key, value in context.items():
            expected = CONTEXT_TYPES.get(key)
            if expected is None:
                raise _bad_request(
                    _("Context key %(key)s is not allowed; allowed keys: %(keys)s.",
                      key=key, keys=", ".join(CONTEXT_TYPES))
                )
            if not isinstance(value, expected):
                raise _bad_request(_("Context key %s has the wrong type.", key))
        company_ids = context.get("allowed_company_ids")
        if company_ids is not None and (not company_ids or not all(map(_is_int, company_ids))):
            raise _bad_request(_("allowed_company_ids must be a non-empty list of integers."))
        return context

    @api.model
    def _parse_operation(self, index, operation):
        if not isinstance(operation, dict):
            raise _bad_request(_("operations[%s] must be an object.", index))
        if unknown := sorted(set(operation) - OPERATION_KEYS):
            raise _bad_request(_("operations[%(index)s] has unknown keys: %(keys)s.",
                                 index=index, keys=", ".join(unknown)))
        for key in ("model", "method"):
            if not isinstance(operation.get(key), str) or not operation[key]:
                raise _bad_request(_("operations[%(index)s].%(key)s must be a non-empty string.",
                                     index=index, key=key))
        ids = operation.get("ids") or []
        if not isinstance(ids, list) or not all(_is_int(id_) and id_ > 0 for id_ in ids):
            raise _bad_request(_("operations[%s].ids must be a list of positive integers.", index))
        args = operation.get("args") or []
        if not isinstance(args, list):
            raise _bad_request(_("operations[%s].args must be a list.", index))
        kwargs = operation.get("kwargs") or {}
        if not isinstance(kwargs, dict):
            raise _bad_request(_("operations[%s].kwargs must be an object.", index))
        if "context" in kwargs:
            raise _bad_request(_("operations[%s].kwargs cannot carry a context; use the body's context.", index))
        group = operation.get("group")
        if group is not None and not _is_int(group):
            raise _bad_request(_("operations[%s].group must be an integer.", index))
        return {"model": operation["model"], "method": operation["method"], "ids": ids,
                "args": args, "kwargs": kwargs, "group": group,
                "guard": self._parse_guard(index, operation.get("guard")),
                "read": self._parse_read(index, operation.get("read"))}

    @api.model
    def _parse_guard(self, index, guard):
        """``guard``: a domain (list); ``None`` when absent. Its terms are
        checked by Odoo when it is applied."""
        if guard is not None and not isinstance(guard, list):
            raise _bad_request(_("operations[%s].guard must be a domain (a list).", index))
        return guard

    @api.model
    def _parse_read(self, index, read):
        """``read``: ``{"fields": [names]}``; ``None`` when absent."""
        if read is None:
            return None
        fields = read.get("fields") if isinstance(read, dict) else None
        if (not isinstance(read, dict) or set(read) != {"fields"} or not isinstance(fields, list)
                or not fields or not all(isinstance(name, str) and name for name in fields)):
            raise _bad_request(
                _("operations[%s].read must be {\"fields\": [field names]}.", index)
            )
        return {"fields": fields}

    @api.model
    def _get_bridge_user(self, uid):
        """Who ``uid`` is, read in one query on the request path.

        :return: ``(lang, tz, company_ids)`` of an active internal or portal
            user, or ``None``. Browsing the user instead would fetch every
            column of ``res.users`` and ``res.partner`` on each request.
        """
        portal_group_id = self.env["ir.model.data"]._xmlid_to_res_id("base.group_portal")
        # raw SQL: pending ORM writes of this transaction must be visible
        self.env["res.users"].flush_model(["active", "share", "partner_id", "company_ids", "group_ids"])
        self.env["res.partner"].flush_model(["lang", "tz"])
        self.env.cr.execute(
            """
            SELECT p.lang, p.tz,
                   ARRAY(SELECT cid FROM res_company_users_rel WHERE user_id = u.id)
              FROM res_users u
              JOIN res_partner p ON p.id = u.partner_id
             WHERE u.id = %s AND u.active
               AND (NOT u.share  -- internal (share is "not in base.group_user")
                    OR EXISTS (SELECT 1 FROM res_groups_users_rel g
                                WHERE g.uid = u.id AND g.gid = %s))
            """,
            [uid, portal_group_id],
        )
        return self.env.cr.fetchone()

    @api.model
    def _prepare_env(self, uid, context):
        """The environment operations run in: the user, never superuser.

        The user's language and time zone are the defaults; the body's
        context overrides them.
        """
        user = self._get_bridge_user(uid)
        if user is None:
            raise BridgeError(
                "user_invalid",
                _("User %s does not exist, is archived, or is neither internal nor portal.", uid),
            )
        lang, tz, user_company_ids = user
        prepared = {}
        if lang and self.env["res.lang"]._get_code(lang):
            prepared["lang"] = lang
        if tz:
            prepared["tz"] = tz
        if "lang" in context and not self.env["res.lang"]._get_code(context["lang"]):
            raise _bad_request(_("Language %s is not installed.", context["lang"]))
        if "tz" in context and context["tz"] not in pytz.all_timezones_set:
            raise _bad_request(_("Unknown time zone %s.", context["tz"]))
        company_ids = context.get("allowed_company_ids")
        if company_ids and not set(company_ids) <= set(user_company_ids):
            raise BridgeError(
                "access",
                _("allowed_company_ids must be among the companies of user %s.", uid),
            )
        prepared.update(context)
        return self.env(user=uid, su=False, context=prepared)
