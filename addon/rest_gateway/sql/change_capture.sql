-- License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
-- Change capture for the REST Gateway (docs/data-model.md, "rest.gateway.change").
--
-- One AFTER ... FOR EACH ROW trigger per exposed model's table calls this
-- function, which appends a row to rest_gateway_change in the writing
-- transaction. Being a trigger, it sees every path (the ORM, raw SQL of
-- other modules, crons, the API) and a rollback (of the transaction or of a
-- savepoint) takes the row away with the change itself.
--
-- It also queues the webhook events of the change (rest_gateway_webhook_event,
-- the outbox the sidecar delivers from), in the same transaction.
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
    -- Webhooks: the event this change is ('created', 'updated', 'deleted',
    -- 'restored') and how many outbox rows it queued.
    hook_event varchar;
    queued integer;
    -- the records the events are about, and the (webhook, record) pairs an
    -- event of this transaction already answers for (see "Folding" below)
    record_ids integer[];
    fold_id integer;
    taken bigint[];
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

    -- Webhooks (docs/data-model.md, "Webhooks"): one outbox row per active
    -- subscription of the model whose event flag matches, in the writing
    -- transaction, and at most one per webhook, record and transaction: a
    -- later change of a record folds into the event the transaction already
    -- queued for it (docs/decisions.md D-W2). A model without webhooks costs
    -- one index probe (rest_gateway_webhook_active_model_index) that finds
    -- nothing.
    PERFORM 1
       FROM rest_gateway_webhook AS hook
      WHERE hook.active
        AND hook.model = TG_ARGV[0]
        AND hook.secret IS NOT NULL  -- nothing to sign with until a secret is generated
      LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;

    IF TG_OP = 'INSERT' THEN
        hook_event := 'created';
    ELSIF TG_OP = 'DELETE' THEN
        hook_event := 'deleted';
    ELSIF TG_NARGS = 1 AND changed ? 'active'
          AND old_row -> 'active' = 'false'::jsonb AND to_jsonb(NEW) -> 'active' = 'true'::jsonb THEN
        -- unarchiving is a restore, not an update
        hook_event := 'restored';
    ELSE
        hook_event := 'updated';
    END IF;
    record_ids := CASE
        WHEN TG_NARGS = 3 THEN child_ids
        WHEN TG_OP = 'DELETE' THEN ARRAY[OLD.id]
        ELSE ARRAY[NEW.id]
    END;

    -- Folding. This transaction's events are uncommitted, so still pending
    -- and unseen by any sidecar; a rolled-back savepoint undoes the fold
    -- with the change. `taken` gets the (webhook, record) pairs whose change
    -- an event of this transaction took in (or cancelled), as
    -- webhook_id << 32 | res_id, which then queue nothing new.
    IF TG_OP = 'DELETE' THEN
        -- Created then deleted: the record never existed outside this
        -- transaction, so nothing is sent. An update or restore of a record
        -- deleted in the same transaction becomes its deletion, or goes for
        -- a webhook not subscribed to deletions (there is nothing to read).
        WITH gone AS (
            DELETE FROM rest_gateway_webhook_event AS e
             USING rest_gateway_webhook AS hook
             WHERE e.res_id = OLD.id AND e.txid = tx AND e.state = 'pending' AND e.model = TG_ARGV[0]
               AND hook.id = e.webhook_id
               AND (e.event = 'created' OR NOT hook.on_delete)
            RETURNING e.webhook_id, e.res_id
        ), became_deleted AS (
            -- exactly the rows gone leaves (one statement must not touch a row twice)
            UPDATE rest_gateway_webhook_event AS e
               SET event = 'deleted', changed_fields = NULL
              FROM rest_gateway_webhook AS hook
             WHERE e.res_id = OLD.id AND e.txid = tx AND e.state = 'pending' AND e.model = TG_ARGV[0]
               AND hook.id = e.webhook_id
               AND e.event <> 'created' AND hook.on_delete
            RETURNING e.webhook_id, e.res_id
        )
        SELECT array_agg((webhook_id::bigint << 32) | res_id) INTO taken
          FROM (SELECT * FROM gone UNION ALL SELECT * FROM became_deleted) AS folded;
    ELSIF TG_OP = 'UPDATE' THEN
        -- A created event absorbs the updates of its transaction (the
        -- subscriber reads the record as it is at delivery); an updated or
        -- restored one takes the sorted union of the changed columns, and an
        -- updated one becomes restored for a webhook subscribed to that.
        -- One statement per record (a single one for most tables): with a
        -- scalar res_id the cached generic plan is used, where an array
        -- would have every row re-planned, which costs more than the fold.
        FOREACH fold_id IN ARRAY record_ids LOOP
            WITH folded AS (
                UPDATE rest_gateway_webhook_event AS e
                   SET event = CASE
                           WHEN e.event = 'updated' AND hook_event = 'restored' AND hook.on_restore THEN 'restored'
                           ELSE e.event
                       END,
                       changed_fields = CASE
                           WHEN e.event = 'created' THEN NULL
                           ELSE (SELECT jsonb_agg(DISTINCT name ORDER BY name)
                                   FROM (SELECT jsonb_array_elements_text(coalesce(e.changed_fields, '[]'::jsonb))
                                         UNION ALL
                                         SELECT jsonb_array_elements_text(changed)) AS both_sets (name))
                       END
                  FROM rest_gateway_webhook AS hook
                 WHERE e.res_id = fold_id AND e.txid = tx AND e.state = 'pending' AND e.model = TG_ARGV[0]
                   AND hook.id = e.webhook_id
                RETURNING e.webhook_id, e.res_id
            )
            SELECT taken || array_agg((webhook_id::bigint << 32) | res_id) INTO taken FROM folded;
        END LOOP;
    END IF;

    INSERT INTO rest_gateway_webhook_event
           (webhook_id, model, res_id, event, changed_fields, created_at, state, attempts, next_attempt_at, txid)
    SELECT hook.id, TG_ARGV[0], record_id, hook_event, changed, stamp, 'pending', 0, stamp, tx
      FROM rest_gateway_webhook AS hook
     CROSS JOIN unnest(record_ids) AS record_id
     WHERE hook.active
       AND hook.model = TG_ARGV[0]
       AND hook.secret IS NOT NULL
       AND CASE hook_event
               WHEN 'created' THEN hook.on_create
               WHEN 'deleted' THEN hook.on_delete
               WHEN 'restored' THEN hook.on_restore
               ELSE hook.on_update AND (
                   hook.update_fields IS NULL
                   OR jsonb_array_length(hook.update_fields) = 0
                   OR hook.update_fields ?| ARRAY(SELECT jsonb_array_elements_text(changed))
               )
           END
       AND (taken IS NULL OR ((hook.id::bigint << 32) | record_id) <> ALL(taken))
     ORDER BY hook.id, record_id;
    GET DIAGNOSTICS queued = ROW_COUNT;
    IF queued > 0 THEN
        PERFORM pg_notify('rest_gateway_webhook', '');
    END IF;
    RETURN NULL;  -- AFTER trigger: the return value is ignored
END
$function$;

COMMENT ON FUNCTION rest_gateway_capture_change() IS
    'REST Gateway change capture (addon rest_gateway, sql/change_capture.sql)';
