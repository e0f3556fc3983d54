/** HMAC-SHA256 signature of a bridge request (docs/bridge-protocol.md). */
import { createHmac } from 'node:crypto';

export const TIMESTAMP_HEADER = 'x-rest-gateway-timestamp';
export const SIGNATURE_HEADER = 'x-rest-gateway-signature';

export function signBridgeBody(secret: string, body: string, timestamp: number): Record<string, string> {
  const ts = String(Math.floor(timestamp));
  const mac = createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
  return { [TIMESTAMP_HEADER]: ts, [SIGNATURE_HEADER]: `v1=${mac}` };
}
