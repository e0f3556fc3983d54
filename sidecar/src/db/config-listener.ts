/**
 * LISTENs on the channel the addon NOTIFYs on every configuration change
 * (or on another channel, e.g. the webhook outbox's wake-up),
 * on a dedicated connection that reconnects after a failure (a reconnect
 * counts as a change: notifications may have been missed meanwhile).
 */
import pg from 'pg';

export const CONFIG_CHANNEL = 'rest_gateway_config';

export interface ConfigListener {
  close(): Promise<void>;
}

export interface ListenerLog {
  warn(message: string, extra?: Record<string, unknown>): void;
}

export function listenForConfigChanges(
  databaseUrl: string,
  onChange: (payload: string) => void,
  log: ListenerLog,
  retryMs = 1_000,
  channel = CONFIG_CHANNEL,
): ConfigListener {
  let client: pg.Client | null = null;
  let closed = false;
  let timer: NodeJS.Timeout | null = null;

  const connect = async (isReconnect: boolean): Promise<void> => {
    const next = new pg.Client({ connectionString: databaseUrl, application_name: 'rest-gateway-listener' });
    next.on('notification', (msg) => onChange(msg.payload ?? ''));
    next.on('error', (error) => {
      log.warn('configuration listener lost its connection', { error: error.message, channel });
      scheduleReconnect();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
      if (closed) {
        await next.end();
        return;
      }
      client = next;
      if (isReconnect) onChange('reconnect');
    } catch (error) {
      log.warn('configuration listener cannot connect', { error: (error as Error).message, channel });
      next.end().catch(() => undefined);
      scheduleReconnect();
    }
  };

  const scheduleReconnect = (): void => {
    if (closed || timer) return;
    const old = client;
    client = null;
    old?.end().catch(() => undefined);
    timer = setTimeout(() => {
      timer = null;
      void connect(true);
    }, retryMs);
    timer.unref();
  };

  void connect(false);

  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await client?.end().catch(() => undefined);
    },
  };
}
