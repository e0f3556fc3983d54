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
