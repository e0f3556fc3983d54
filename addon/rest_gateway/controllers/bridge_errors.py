# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Odoo exception → bridge error kind: the one mapping table of the bridge.

Kinds and their meaning are fixed by docs/bridge-protocol.md; the sidecar
turns a kind into an HTTP status (sidecar/src/odoo/errors.ts). Only errors
that describe a refused request are listed: Odoo's own (access, missing,
validation, user), the database's refusals, and :class:`BridgeError`, which
the addon raises for a bad argument. Anything else, ``ValueError``,
``TypeError`` and ``KeyError`` included, is a bug: ``internal``, with a
generic message, and the traceback in Odoo's log.
"""

import logging

import psycopg2.errors

from odoo.exceptions import (
    AccessDenied,
    AccessError,
    ConcurrencyError,
    LockError,
    MissingError,
    RedirectWarning,
    UserError,
    ValidationError,
)

_logger = logging.getLogger(__name__)

INTERNAL_MESSAGE = "An internal error occurred; the details are in the Odoo server log."
# PostgreSQL's own text names columns and values: it stays in the log
DATA_ERROR_MESSAGE = "A value is malformed or out of range for the database."
CONCURRENCY_MESSAGE = "A concurrent transaction changed or locked the same data; try again."
ACCESS_MESSAGE = "Odoo's access rights or record rules refuse this operation to the credential's user."


class GatewayAccessError(AccessError):
    """A refusal the addon itself words (its message is safe to show).

    Odoo's own AccessError of an access right or a record rule names the
    user and, for technical users, the records refused and their
    companies: its text stays in the log and the client gets
    :data:`ACCESS_MESSAGE` (docs/decisions.md D-S9).
    """


class BridgeError(Exception):
    """An error the bridge itself raises: a bad request body, an invalid user."""

    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind
        self.message = message


# Checked in order, so a subclass comes before its parent.
ERROR_KINDS = (
    (BridgeError, None),  # carries its own kind
    (AccessDenied, "access"),
    (AccessError, "access"),
    (MissingError, "missing"),
    (LockError, "concurrency"),
    (ValidationError, "validation"),
    (RedirectWarning, "user"),
    (UserError, "user"),
    (ConcurrencyError, "concurrency"),
    (psycopg2.errors.SerializationFailure, "concurrency"),
    (psycopg2.errors.DeadlockDetected, "concurrency"),
    (psycopg2.errors.LockNotAvailable, "concurrency"),
    (psycopg2.errors.UniqueViolation, "unique"),  # SQLSTATE 23505
    (psycopg2.IntegrityError, "integrity"),  # the rest of class 23
    (psycopg2.DataError, "bad_request"),  # class 22: a value PostgreSQL cannot take
)

# HTTP status of a bridge response whose top-level ``error`` has this kind
# (bridge-protocol.md); any other failure of an atomic request is a 200 with
# a typed body. Per-operation errors of a non-atomic request are always 200.
KIND_HTTP_STATUS = {
    "signature": 401,
    "bad_request": 400,
}


def error_kind(exc):
    """The bridge kind of ``exc`` (``internal`` when it is not in the table)."""
    for exc_class, kind in ERROR_KINDS:
        if isinstance(exc, exc_class):
            return exc.kind if kind is None else kind
    return "internal"


def error_message(env, exc, kind):
    """Odoo's user-facing message for ``exc``, never a traceback.

    ``env.cr`` must be usable again (after the savepoint's rollback), as the
    message of an integrity error is looked up from the constraint.
    """
    if isinstance(exc, BridgeError):
        return exc.message
    if kind == "internal":
        return INTERNAL_MESSAGE
    if kind == "concurrency":
        return CONCURRENCY_MESSAGE
    if isinstance(exc, psycopg2.IntegrityError):
        return _integrity_message(env, exc)
    if isinstance(exc, AccessError) and not isinstance(exc, GatewayAccessError):
        _logger.info("REST Gateway bridge: access refused: %s", exc)
        return ACCESS_MESSAGE
    if isinstance(exc, psycopg2.DataError):
        _logger.info("REST Gateway bridge: the database refused a value: %s", exc)
        return DATA_ERROR_MESSAGE
    return str(exc.args[0]) if exc.args else exc.__class__.__name__


def _integrity_message(env, exc):
    model = env["base"]
    for model_class in env.registry.values():
        if model_class._table == exc.diag.table_name and not model_class._abstract:
            model = env[model_class._name]
            break
    return model._sql_error_to_message(exc)


def error_body(env, exc, operation=None):
    """The ``error`` object of a bridge response for ``exc``.

    Unexpected exceptions are logged here with their traceback.
    """
    kind = error_kind(exc)
    if kind == "internal":
        _logger.exception("REST Gateway bridge: unexpected error", exc_info=exc)
    try:
        message = error_message(env, exc, kind)
    except Exception:  # noqa: BLE001 - the error must still reach the sidecar
        _logger.exception("REST Gateway bridge: cannot describe %r", exc)
        message = INTERNAL_MESSAGE
    error = {"kind": kind, "message": message}
    if operation is not None:
        error["operation"] = operation
    return error


def response_status(body):
    """HTTP status of a bridge response body."""
    error = body.get("error")
    return KIND_HTTP_STATUS.get(error["kind"], 200) if error else 200
