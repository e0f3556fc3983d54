/**
 * The sidecar's PostgreSQL handle (the database Odoo owns). SQL lives only
 * under db/; nothing here runs DDL on Odoo's tables.
 */
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

// Odoo stores timestamps without time zone, in UTC: read them as UTC.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMP, (value) => new Date(`${value.replace(' ', 'T')}Z`));

export type Db = Knex;

export function createDb(databaseUrl: string, poolSize: number): Db {
  return knexFactory({
    client: 'pg',
    connection: { connectionString: databaseUrl, application_name: 'rest-gateway-sidecar' },
    pool: { min: 0, max: poolSize },
    acquireConnectionTimeout: 10_000,
  });
}

export async function withTransaction<T>(db: Db, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.transaction(work);
}

/**
 * Runs `work` in a transaction holding the advisory lock `lockKey`, so one
 * sidecar at a time does it (the retention purges); null, without running
 * it, when another sidecar holds the lock.
 */
export async function withTryLock<T>(db: Db, lockKey: number, work: (trx: Knex.Transaction) => Promise<T>): Promise<T | null> {
  return db.transaction(async (trx) => {
    const lock = await trx.raw<{ rows: Array<{ locked: boolean }> }>('SELECT pg_try_advisory_xact_lock(?) AS locked', [lockKey]);
    if (!lock.rows[0]?.locked) return null;
    return work(trx);
  });
}
