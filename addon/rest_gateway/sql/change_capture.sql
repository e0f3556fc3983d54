-- License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
-- Change capture for the REST Gateway (docs/data-model.md, "rest.gateway.change").
--
-- One AFTER ... FOR EACH ROW trigger per exposed model's table calls this
-- function, which appends a row to rest_gateway_change in the writing
-- transaction. Being a trigger, it sees every path (the ORM, raw SQL of
-- other modules, crons, the API) and a rollback (of the transaction or of a
-- savepoint) takes the row away with the change itself.
--
-- Arguments (TG_ARGV):
--   [0]  the Odoo model the rows are changes of, e.g. 'res.partner';
--   [1], [2] (optional) the table and column of a model that _inherits the
--        triggering table's model, e.g. 'res_users', 'partner_id': an UPDATE
--        of a partner row is then an update of the users linked to it (their
--        name lives on the partner). Such triggers fire on UPDATE only: the
--        child table's own trigger records its creations and deletions.
CREATE OR REPLACE FUNCTION rest_gateway_capture_change() RETURNS trigger
LANGUAGE plpgsql AS $function$
DECLARE
    -- Names of the columns whose value changed (UPDATE only); Odoo names a
    -- stored field's column after the field, so these are field names. The
    -- webhook feature filters on it ("only when email changed").
    changed jsonb;
    old_row jsonb;
    -- _inherits triggers: the ids of the child records of this parent row.
    child_ids integer[];
    -- The top-level transaction id (xid8, 64 bits: it never wraps around).
    -- The feed orders rows by (txid, id) and only serves rows whose txid is
    -- below the oldest running transaction, so rows of a transaction that
    -- commits late are never skipped (docs/decisions.md D-C2).
    tx bigint := pg_current_xact_id()::text::bigint;
    -- UTC, as Odoo stores datetimes; the transaction's start time, read by
    -- the retention purge only.
    stamp timestamp := now() AT TIME ZONE 'UTC';
BEGIN
    IF TG_NARGS = 3 THEN
        -- Look the children up first: most parent rows have none (a partner
        -- that is not a user), and then nothing else needs computing.
        EXECUTE format('SELECT array_agg(id) FROM %I WHERE %I = $1', TG_ARGV[1], TG_ARGV[2])
           INTO child_ids USING NEW.id;
        IF child_ids IS NULL THEN
            RETURN NULL;
        END IF;
    END IF;

    IF TG_OP = 'UPDATE' THEN
        -- Compare as jsonb: every column type has a jsonb equality, which a
        -- row comparison (OLD IS DISTINCT FROM NEW) lacks for json, xml or
        -- point columns and would then fail the writer's statement.
        old_row := to_jsonb(OLD);
        SELECT jsonb_agg(col.key ORDER BY col.key) INTO changed
          FROM jsonb_each(to_jsonb(NEW)) AS col
         WHERE col.value IS DISTINCT FROM old_row -> col.key;
        -- A no-op update (UPDATE t SET x = x) changes nothing a client sees.
        IF changed IS NULL THEN
            RETURN NULL;
        END IF;
    END IF;

    IF TG_NARGS = 1 THEN
        INSERT INTO rest_gateway_change (model, res_id, operation, txid, changed_at, changed_fields)
        VALUES (
            TG_ARGV[0],
            CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END,
            CASE TG_OP WHEN 'INSERT' THEN 'create' WHEN 'UPDATE' THEN 'update' ELSE 'delete' END,
            tx, stamp, changed
        );
    ELSE
        -- _inherits: the changed parent row is part of every child linked to it.
        INSERT INTO rest_gateway_change (model, res_id, operation, txid, changed_at, changed_fields)
        SELECT TG_ARGV[0], child_id, 'update', tx, stamp, changed FROM unnest(child_ids) AS child_id;
    END IF;

    -- Wakes the sidecar's webhook workers at commit; PostgreSQL folds
    -- identical notifications of one transaction into one, and drops them
    -- on rollback.
    PERFORM pg_notify('rest_gateway_change', TG_ARGV[0]);
    RETURN NULL;  -- AFTER trigger: the return value is ignored
END
$function$;

COMMENT ON FUNCTION rest_gateway_capture_change() IS
    'REST Gateway change capture (addon rest_gateway, sql/change_capture.sql)';
