// docker-compose.yml: valid against the Compose specification's JSON schema, and wired as the
// project needs (db → odoo → sidecar, healthchecks, the addon mounted, the sidecar's environment);
// sidecar/Dockerfile: multi-stage, non-root, HEALTHCHECK, runs the file tsc emits.
//
// The schema is compose-spec's compose-spec.json as shipped by the `dclint` npm package
// (schemas/compose.schema.json, MIT; upstream: github.com/compose-spec/compose-spec, Apache-2.0).
// When a `docker compose` client is installed, `docker compose config` is run too (it needs no daemon).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { repoRoot } from '../lib/paths.js';

const COMPOSE_FILE = join(repoRoot, 'docker-compose.yml');
const DOCKERFILE = join(repoRoot, 'sidecar', 'Dockerfile');
const ADDON_MOUNT = '/mnt/extra-addons';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown, what: string): JsonObject {
  assert.ok(isObject(value), `${what} must be a mapping`);
  return value;
}

/**
 * Compose interpolation with an empty environment, as `docker compose config`
 * does: `${VAR:-default}`, `${VAR-default}`, `${VAR}`, `$VAR`, `$$` → `$`.
 */
function interpolate(text: string, env: Record<string, string | undefined> = {}): string {
  return text.replace(/\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (match, braced, op, fallback, bare) => {
    if (match === '$$') return '$';
    const name = (braced ?? bare) as string;
    const value = env[name];
    if (op === ':-') return value ? value : (fallback as string);
    if (op === '-') return value !== undefined ? value : (fallback as string);
    return value ?? '';
  });
}

function loadCompose(): JsonObject {
  const raw = readFileSync(COMPOSE_FILE, 'utf8');
  return object(parse(interpolate(raw)) as unknown, 'docker-compose.yml');
}

function loadSchema(): JsonObject {
  const require = createRequire(import.meta.url);
  const file = join(dirname(require.resolve('dclint/package.json')), 'schemas', 'compose.schema.json');
  const schema = object(JSON.parse(readFileSync(file, 'utf8')) as unknown, 'compose schema');
  // It names draft-07 with an https URI that Ajv does not know; the keywords are draft-07's.
  delete schema['$schema'];
  return schema;
}

/** A service's environment as a map, whichever of the two Compose forms is used. */
function environment(service: JsonObject): Record<string, string> {
  const env = service['environment'];
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const text = String(entry);
        const at = text.indexOf('=');
        return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
      }),
    );
  }
  if (isObject(env)) return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
  return {};
}

/** `command` as a list of arguments (a string is split on blanks). */
function commandArgs(service: JsonObject): string[] {
  const command = service['command'];
  if (Array.isArray(command)) return command.map(String);
  if (typeof command === 'string') return command.split(/\s+/).filter(Boolean);
  return [];
}

/** Value of `--name=value`, `--name value`, or the short form `-s value`. */
function option(args: string[], long: string, short?: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg.startsWith(`${long}=`)) return arg.slice(long.length + 1);
    if (arg === long || (short !== undefined && arg === short)) return args[i + 1];
  }
  return undefined;
}

function healthcheckText(service: JsonObject, what: string): string {
  const healthcheck = object(service['healthcheck'], `${what}.healthcheck`);
  assert.notEqual(healthcheck['disable'], true, `${what}'s healthcheck must not be disabled`);
  const testValue = healthcheck['test'];
  assert.ok(testValue !== undefined && testValue !== null, `${what}.healthcheck.test is required`);
  return Array.isArray(testValue) ? testValue.map(String).join(' ') : String(testValue);
}

function dependsOnHealthy(service: JsonObject, on: string, what: string): void {
  const depends = object(service['depends_on'], `${what}.depends_on`);
  const entry = object(depends[on], `${what}.depends_on.${on}`);
  assert.equal(entry['condition'], 'service_healthy', `${what} must wait for ${on} to be healthy`);
}

describe('docker-compose.yml', () => {
  test('is valid against the Compose specification schema', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(loadSchema());
    const ok = validate(loadCompose());
    assert.ok(ok, `schema errors:\n${ajv.errorsText(validate.errors, { separator: '\n' })}`);
  });

  test('the schema check does catch a broken file', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(loadSchema());
    assert.equal(validate({ services: { odoo: { image: 'odoo:19' } } }), true);
    assert.equal(validate({ services: { odoo: { image: 'odoo:19', helthcheck: {} } } }), false, 'a misspelt key');
    assert.equal(
      validate({ services: { odoo: { image: 'odoo:19', depends_on: { db: { condition: 'healthy' } } } } }),
      false,
      'an unknown depends_on condition',
    );
  });

  test('defines db, odoo and sidecar', () => {
    const services = object(loadCompose()['services'], 'services');
    for (const name of ['db', 'odoo', 'sidecar']) assert.ok(isObject(services[name]), `service ${name} is missing`);
  });

  test('db: PostgreSQL 15 with a healthcheck, a role Odoo accepts', () => {
    const db = object(object(loadCompose()['services'], 'services')['db'], 'db');
    assert.match(String(db['image']), /^postgres:15(\b|$)/);
    assert.match(healthcheckText(db, 'db'), /pg_isready/);
    const env = environment(db);
    assert.ok(env['POSTGRES_USER'] && env['POSTGRES_USER'] !== 'postgres', 'Odoo refuses the postgres role: set POSTGRES_USER');
    assert.ok(env['POSTGRES_PASSWORD'], 'POSTGRES_PASSWORD is required by the postgres image');
  });

  test('odoo: odoo:19, the addon mounted, rest_gateway installed in one named, unlisted database', () => {
    const services = object(loadCompose()['services'], 'services');
    const odoo = object(services['odoo'], 'odoo');
    assert.equal(odoo['image'], 'odoo:19');
    dependsOnHealthy(odoo, 'db', 'odoo');
    assert.match(healthcheckText(odoo, 'odoo'), /\/web\/health/);

    const volumes = Array.isArray(odoo['volumes']) ? odoo['volumes'] : [];
    const addonMount = volumes
      .map((v) => (typeof v === 'string' ? { source: v.split(':')[0] ?? '', target: v.split(':')[1] ?? '' } : isObject(v) ? { source: String(v['source']), target: String(v['target']) } : undefined))
      .find((v) => v?.target === ADDON_MOUNT);
    assert.ok(addonMount, `the addon folder must be mounted at ${ADDON_MOUNT}`);
    assert.equal(normalize(join(repoRoot, addonMount.source)), join(repoRoot, 'addon'), 'the mount source must be ./addon');
    assert.ok(existsSync(join(repoRoot, 'addon')), './addon must exist');

    const args = commandArgs(odoo);
    const init = option(args, '--init', '-i');
    assert.ok(init?.split(',').includes('rest_gateway'), 'the command must install rest_gateway (-i rest_gateway)');
    assert.ok(args.includes('--no-database-list'), 'the command must pass --no-database-list');
    const db = option(args, '--database', '-d');
    assert.ok(db, 'the command must name the database (-d)');
    assert.equal(option(args, '--db-filter'), `^${db}$`, 'the db filter must match exactly the named database');

    const env = environment(odoo);
    const dbEnv = environment(object(services['db'], 'db'));
    assert.equal(env['HOST'], 'db', "the image's entrypoint reads the database host from HOST");
    assert.equal(env['USER'], dbEnv['POSTGRES_USER']);
    assert.equal(env['PASSWORD'], dbEnv['POSTGRES_PASSWORD']);
  });

  test('sidecar: built from sidecar/Dockerfile, wired to db and odoo, on port 8080', () => {
    const services = object(loadCompose()['services'], 'services');
    const sidecar = object(services['sidecar'], 'sidecar');
    const build = object(sidecar['build'], 'sidecar.build');
    assert.equal(normalize(join(repoRoot, String(build['context'] ?? '.'))), repoRoot, 'the build context must be the repository root');
    assert.equal(build['dockerfile'], 'sidecar/Dockerfile');
    dependsOnHealthy(sidecar, 'odoo', 'sidecar');
    assert.match(healthcheckText(sidecar, 'sidecar'), /\/healthz/);

    const env = environment(sidecar);
    for (const name of ['DATABASE_URL', 'ODOO_URL', 'ODOO_DB']) assert.ok(env[name], `sidecar needs ${name}`);
    const odooArgs = commandArgs(object(services['odoo'], 'odoo'));
    const odooDb = option(odooArgs, '--database', '-d');
    assert.equal(env['ODOO_DB'], odooDb, 'ODOO_DB must be the database Odoo serves');
    assert.equal(env['ODOO_URL'], 'http://odoo:8069');
    const url = new URL(String(env['DATABASE_URL']));
    assert.match(url.protocol, /^postgres(ql)?:$/);
    assert.equal(url.hostname, 'db');
    assert.equal(url.pathname, `/${odooDb}`, 'DATABASE_URL must point at the Odoo database');
    const dbEnv = environment(object(services['db'], 'db'));
    assert.equal(decodeURIComponent(url.username), dbEnv['POSTGRES_USER']);
    assert.equal(decodeURIComponent(url.password), dbEnv['POSTGRES_PASSWORD']);
    assert.equal(env['PORT'] ?? '8080', '8080');

    const ports = Array.isArray(sidecar['ports']) ? sidecar['ports'] : [];
    assert.ok(
      ports.some((p) => (isObject(p) ? Number(p['target']) === 8080 : /(^|:)8080(\/tcp)?$/.test(String(p)))),
      'the sidecar must publish container port 8080',
    );
  });

  test('docker compose config accepts it (when a docker compose client is installed)', (t) => {
    const probe = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) {
      t.skip('no `docker compose` client here; the schema check above stands in for it');
      return;
    }
    const result = spawnSync('docker', ['compose', '-f', COMPOSE_FILE, 'config', '--quiet'], { encoding: 'utf8', cwd: repoRoot });
    assert.equal(result.status, 0, result.stderr);
  });
});

describe('sidecar/Dockerfile', () => {
  const text = (): string => readFileSync(DOCKERFILE, 'utf8');
  /** Instructions with their continuation lines joined. */
  const instructions = (): string[] =>
    text()
      .replace(/\\\n/g, ' ')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));

  test('is multi-stage on node:20-slim', () => {
    const froms = instructions().filter((line) => /^FROM\s/i.test(line));
    assert.ok(froms.length >= 2, 'expected at least two stages');
    for (const from of froms) assert.match(from, /^FROM\s+node:20-slim\b/i);
  });

  test('installs with npm ci and builds with the sidecar workspace build script', () => {
    const runs = instructions().filter((line) => /^RUN\s/i.test(line));
    assert.ok(runs.some((r) => /\bnpm ci\b/.test(r)), 'npm ci');
    assert.ok(runs.some((r) => /npm run build (-w|--workspace)[ =]sidecar/.test(r)), 'npm run build -w sidecar');
  });

  test('runs as a non-root user with a HEALTHCHECK on /healthz', () => {
    const lines = instructions();
    const users = lines.filter((line) => /^USER\s/i.test(line));
    const last = users[users.length - 1];
    assert.ok(last, 'USER is required');
    assert.doesNotMatch(last, /^USER\s+(root|0)(:|\s|$)/i);
    const health = lines.find((line) => /^HEALTHCHECK\s/i.test(line));
    assert.ok(health, 'HEALTHCHECK is required');
    assert.match(health, /\/healthz/);
  });

  test('starts the file tsc emits for sidecar/src/server.ts', () => {
    // `npm run build -w sidecar` compiles with sidecar/tsconfig.build.json
    const tsconfig = object(JSON.parse(readFileSync(join(repoRoot, 'sidecar', 'tsconfig.build.json'), 'utf8')) as unknown, 'tsconfig');
    const options = object(tsconfig['compilerOptions'], 'compilerOptions');
    const outDir = String(options['outDir'] ?? '.');
    const rootDir = String(options['rootDir'] ?? 'src'); // tsc's default would be the sources' common root
    const emitted = join(outDir, relative(rootDir, 'src/server.ts')).replace(/\.ts$/, '.js');
    const cmd = instructions().filter((line) => /^CMD\s/i.test(line)).pop();
    assert.ok(cmd, 'CMD is required');
    assert.ok(cmd.includes(emitted), `CMD must run ${emitted} (from sidecar/ as the work dir): ${cmd}`);
    const workdirs = instructions().filter((line) => /^WORKDIR\s/i.test(line));
    assert.match(workdirs[workdirs.length - 1] ?? '', /\/sidecar$/, 'the last WORKDIR must be the sidecar folder');
  });
});
