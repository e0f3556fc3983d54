/**
 * Process entry point: read settings, check the installed addon speaks our
 * protocol, load the configuration, listen, and shut down gracefully on
 * SIGTERM/SIGINT (stop accepting, finish in-flight requests, close pools).
 */
import { createServer } from 'node:http';
import { handleClientError } from './http/client-error.js';
import { createApp } from './app.js';
import { createAuthServices } from './auth/auth-services.js';
import { readSettings, SettingsError } from './config/env.js';
import { GatewayConfigCache } from './config/gateway-config-cache.js';
import { checkAddonVersion } from './config/addon-version-check.js';
import { readBridgeSecret } from './db/bridge-secret.js';
import { listenForConfigChanges } from './db/config-listener.js';
import { createDb } from './db/knex.js';
import { insertRequestLogBatch } from './db/request-logs.js';
import { startChangePurge } from './jobs/purge-changes.js';
import { startIdempotencyPurge } from './jobs/purge-idempotency.js';
import { startWebhookEventPurge } from './jobs/purge-webhook-events.js';
import { startRequestLogPurge } from './jobs/purge-request-logs.js';
import { BridgeClient } from './odoo/bridge-client.js';
import { FieldMetadataCache } from './odoo/field-metadata.js';
import { createLogger } from './observability/logger.js';
import { defaultRateLimiter } from './ratelimit/limiter.js';
import { WebhookDeliveryWorker } from './webhooks/delivery-worker.js';
import { sharedOutboundClient } from './webhooks/outbound-client.js';
import { RequestLogWriter } from './requestlog/writer.js';

async function main(): Promise<void> {
  const settings = readSettings();
  const log = createLogger(settings.logLevel);
  const db = createDb(settings.databaseUrl, settings.databasePoolSize);
  await checkAddonVersion(db, settings.odooDb);

  let secret: string | null = null;
  const refreshSecret = async (): Promise<string> => {
    secret = await readBridgeSecret(db);
    if (!secret) throw new Error('the bridge secret (system parameter rest_gateway.bridge_secret) is missing');
    return secret;
  };
  await refreshSecret();

  const bridge = new BridgeClient({
    odooUrl: settings.odooUrl,
    odooDb: settings.odooDb,
    connections: settings.odooPoolSize,
    timeoutMs: settings.odooTimeoutMs,
    responseLimit: settings.bridgeResponseLimit,
    secret: { get: async () => secret ?? refreshSecret(), refresh: refreshSecret },
  });
  const fieldMetadata = new FieldMetadataCache(bridge);
  const config = new GatewayConfigCache(db, log);
  config.onReload(() => fieldMetadata.clear());
  const listener = listenForConfigChanges(
    settings.databaseUrl,
    (payload) => {
      log.debug('configuration changed', { payload });
      if (payload === 'ir.config_parameter' || payload === 'reconnect') secret = null;
      void config.reload().catch(() => undefined);
    },
    log,
  );
  await config.reload();

  const auth = createAuthServices(db, bridge, settings, log);
  const requestLog = new RequestLogWriter((entries) => insertRequestLogBatch(db, entries), log);
  const rateLimiter = defaultRateLimiter(db, log);
  const app = createApp({ settings, log, db, config, bridge, fieldMetadata, auth, requestLog }, rateLimiter);
  // Room for long filters in the query string (the filter itself is capped at 32,000 characters).
  const server = createServer({ maxHeaderSize: 64 * 1024 }, app.callback());
  server.keepAliveTimeout = 65_000;
  server.on('clientError', handleClientError);
  await new Promise<void>((resolve) => server.listen(settings.port, settings.host, resolve));
  const address = server.address();
  log.info('listening', { host: settings.host, port: typeof address === 'object' && address ? address.port : settings.port });
  const purgeJob = startChangePurge(db, log);
  const idempotencyPurgeJob = startIdempotencyPurge(db, log);
  const webhookPurgeJob = startWebhookEventPurge(db, log);
  const webhookWorker = new WebhookDeliveryWorker(
    { db, bridge, fieldMetadata, config, log, client: sharedOutboundClient() },
    { databaseUrl: settings.databaseUrl, concurrency: settings.webhookConcurrency, batchSize: 100, pollMs: 1_000 },
  );
  if (settings.webhookConcurrency > 0) webhookWorker.start();
  let webhooksStopped: Promise<void> = Promise.resolve();
  const requestLogPurgeJob = startRequestLogPurge(db, log);

  // While draining, answers ask clients to close their connection, so that
  // no keep-alive connection is idle (and reset) when the server closes.
  let draining = false;
  server.on('request', (_req, res) => {
    if (draining) res.setHeader('Connection', 'close');
  });

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    draining = true;
    // no new claims from now on; deliveries in flight end within their timeout
    webhooksStopped = webhookWorker.stop();
    log.info('shutting down', { signal, drain_ms: settings.shutdownDrainMs });
    setTimeout(() => closeServer(), settings.shutdownDrainMs).unref();
  };
  const closeServer = (): void => {
    const force = setTimeout(() => {
      log.warn('shutdown timed out; closing remaining connections');
      server.closeAllConnections();
    }, settings.shutdownTimeoutMs);
    force.unref();
    // a purge chunk in progress commits before the pool closes
    const purgeStopped = Promise.allSettled([purgeJob.stop(), idempotencyPurgeJob.stop(), requestLogPurgeJob.stop(), webhookPurgeJob.stop(), webhooksStopped]);
    server.close(() => {
      // the last usage counters and request log entries are written before the pool closes
      // (and the rate-limit counts still held in this process)
      void Promise.allSettled([purgeStopped, auth.usage.close(), requestLog.close(), rateLimiter.close()])
        .then(() => Promise.allSettled([listener.close(), bridge.close(), db.destroy()]))
        .then(() => {
          log.info('stopped');
          process.exit(0);
        });
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  const message = error instanceof SettingsError ? error.message : `Cannot start: ${(error as Error).message}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
