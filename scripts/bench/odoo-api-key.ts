// An Odoo API key for Odoo's own JSON-2 API (the baseline), written straight into res_users_apikeys in
// the throwaway benchmark database: Odoo only issues keys through an interactive identity check.
// Format as Odoo 19 stores it: 40 hex chars, index = first 8, passlib pbkdf2_sha512 with 6000 rounds.
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import pg from 'pg';

function ab64(buffer: Buffer): string {
  return buffer.toString('base64').replace(/\+/g, '.').replace(/=+$/, '');
}

export function passlibPbkdf2Sha512(secret: string, rounds = 6000): string {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(secret, salt, rounds, 64, 'sha512');
  return `$pbkdf2-sha512$${rounds}$${ab64(salt)}$${ab64(hash)}`;
}

export async function createOdooApiKey(databaseUrl: string, userId: number, name: string): Promise<string> {
  const key = randomBytes(20).toString('hex');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO res_users_apikeys (name, user_id, scope, expiration_date, key, index, create_date)
       VALUES ($1, $2, NULL, NULL, $3, $4, now() at time zone 'utc')`,
      [name, userId, passlibPbkdf2Sha512(key), key.slice(0, 8)],
    );
  } finally {
    await client.end();
  }
  return key;
}
