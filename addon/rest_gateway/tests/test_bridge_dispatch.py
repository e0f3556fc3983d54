# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""``rest.gateway.bridge._dispatch`` without HTTP: hooks, results and error mapping."""

import json
from unittest.mock import patch

import psycopg2.errors

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..controllers import bridge_errors
from ..controllers.bridge_errors import BridgeError, error_kind, response_status
from .common import RestGatewayCase


@tagged("post_install", "-at_install")
class TestBridgeDispatch(RestGatewayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Bridge = cls.env["rest.gateway.bridge"]
        cls.admin = cls.env.ref("base.user_admin")
        cls.user = cls._make_user("rgw_dispatch_user")
        cls.portal = cls._make_user("rgw_dispatch_portal", groups=("base.group_portal",))

    def _dispatch(self, operations, uid=None, readonly=False, **body):
        return self.Bridge._dispatch({"uid": uid or self.admin.id, "operations": operations, **body},
                                     readonly=readonly)

    def test_bridge_methods_hook(self):
        methods = self.Bridge._get_bridge_methods()
        reads = {"web_search_read", "web_read", "search_read", "read", "search", "search_count",
                 "fields_get", "name_search", "read_group", "formatted_read_group",
                 "rest_gateway_search", "rest_gateway_read"}
        writes = {"create", "write", "unlink", "action_archive", "action_unarchive", "copy", "web_save"}
        self.assertEqual({name: methods.get(name) for name in reads}, dict.fromkeys(reads, "read"))
        self.assertEqual({name: methods.get(name) for name in writes}, dict.fromkeys(writes, "write"))

    def test_private_method_refused_even_if_listed(self):
        hooked = self.Bridge._get_bridge_methods() | {"_read": "read", "check_access": "read",
                                                      "default_get": "read"}
        with patch.object(type(self.Bridge), "_get_bridge_methods", return_value=hooked):
            result = self._dispatch([{"model": "res.partner", "method": "_read", "args": [["name"]]}])
            self.assertEqual(result["error"]["kind"], "bad_request")
            # so are methods marked @api.private
            result = self._dispatch([{"model": "res.partner", "method": "check_access", "args": ["read"]}])
            self.assertEqual(result["error"]["kind"], "bad_request")
            # a public method opened by an override goes through
            result = self._dispatch([{"model": "res.partner", "method": "default_get", "args": [["type"]]}])
            self.assertEqual(result, {"results": [{"type": "contact"}]})

    def test_runs_without_superuser(self):
        result = self._dispatch(
            [{"model": "res.partner", "method": "search_count", "args": [[]]},
             {"model": "ir.config_parameter", "method": "search_count", "args": [[]]}],
            uid=self.user.id,
        )
        # the caller's env is superuser; the operations still run as the user
        self.assertEqual(result["error"]["kind"], "access")
        self.assertEqual(result["error"]["operation"], 1)

    def test_portal_user_is_valid(self):
        result = self._dispatch([{"model": "res.users", "method": "read", "ids": [self.portal.id],
                                  "args": [["login"]]}], uid=self.portal.id)
        self.assertEqual(result, {"results": [[{"id": self.portal.id, "login": "rgw_dispatch_portal"}]]})

    def test_context_is_built_from_the_allowed_keys(self):
        self.admin.tz = "Europe/Brussels"

        def spy(records, domain, limit=None):
            return {"context": dict(records.env.context), "uid": records.env.uid, "su": records.env.su}

        with patch.object(type(self.env["res.partner"]), "search_count", spy):
            result = self._dispatch([{"model": "res.partner", "method": "search_count", "args": [[]]}],
                                    context={"active_test": False})
        self.assertEqual(result["results"][0], {
            "context": {"lang": "en_US", "tz": "Europe/Brussels", "active_test": False},
            "uid": self.admin.id,
            "su": False,
        })

    def test_create_returns_ids(self):
        result = self._dispatch([{"model": "res.partner", "method": "create", "args": [{"name": "RGW One"}]},
                                 {"model": "res.partner", "method": "create",
                                  "args": [[{"name": "RGW Two"}, {"name": "RGW Three"}]]}])
        one, many = result["results"]
        self.assertEqual(len(one), 1)
        self.assertEqual(len(many), 2)
        self.assertEqual(self.env["res.partner"].browse(one).name, "RGW One")

    def test_empty_batch(self):
        self.assertEqual(self._dispatch([]), {"results": []})
        self.assertEqual(self._dispatch([], atomic=False), {"results": []})

    def test_programming_errors_are_internal_logged_and_silent(self):
        """A ValueError, TypeError or KeyError inside a method is a bug: kind
        ``internal``, the traceback in the log, none of its text in the answer."""
        for exc in (ValueError("secret value 42"), TypeError("secret type 42"), KeyError("secret_key_42")):
            def failing(records, domain, limit=None, exc=exc):
                raise exc

            for atomic in (True, False):
                with self.subTest(exc=type(exc).__name__, atomic=atomic), \
                        patch.object(type(self.env["res.partner"]), "search_count", failing), \
                        self.assertLogs(bridge_errors.__name__, "ERROR") as logs:
                    result = self._dispatch([{"model": "res.partner", "method": "search_count", "args": [[]]}],
                                            atomic=atomic)
                    error = result["error"] if atomic else result["results"][0]["error"]
                    self.assertEqual(error, {"kind": "internal", "message": bridge_errors.INTERNAL_MESSAGE,
                                             "operation": 0})
                    self.assertNotIn("42", json.dumps(result))
                    self.assertEqual(response_status(result), 200)
                    self.assertIn("42", logs.output[0])
                    self.assertIn("Traceback", logs.output[0])

    def test_database_refusal_keeps_its_text_in_the_log(self):
        # res.partner.color is an int4 column: PostgreSQL refuses 2**40 ("integer out of range")
        with mute_logger("odoo.sql_db", bridge_errors.__name__):
            result = self._dispatch([{"model": "res.partner", "method": "create",
                                      "args": [{"name": "RGW Out Of Range", "color": 2 ** 40}]}])
        self.assertEqual(result["error"], {"kind": "bad_request", "message": bridge_errors.DATA_ERROR_MESSAGE,
                                           "operation": 0})

    def test_concurrency_and_internal_errors(self):
        for exc, kind in (
            (psycopg2.errors.SerializationFailure(), "concurrency"),
            (RuntimeError("secret internals"), "internal"),
        ):
            def failing(records, domain, limit=None, exc=exc):
                raise exc

            with self.subTest(kind=kind), patch.object(type(self.env["res.partner"]), "search_count", failing), \
                    mute_logger(bridge_errors.__name__):
                result = self._dispatch([{"model": "res.partner", "method": "search_count", "args": [[]]}])
                self.assertEqual(result["error"]["kind"], kind)
                self.assertEqual(result["error"]["operation"], 0)
                self.assertNotIn("secret internals", result["error"]["message"])

    def test_error_kind_table(self):
        self.assertEqual(error_kind(AccessError("x")), "access")
        self.assertEqual(error_kind(BridgeError("bad_request", "x")), "bad_request")
        # programming errors are not the request's fault
        for exc in (KeyError("x"), ValueError("x"), TypeError("x"), AttributeError("x"), Exception("x")):
            self.assertEqual(error_kind(exc), "internal", exc)
        self.assertEqual(response_status({"results": []}), 200)
        self.assertEqual(response_status({"error": {"kind": "bad_request", "message": ""}}), 400)
        self.assertEqual(response_status({"error": {"kind": "access", "message": ""}}), 200)
