/**
 * Requests Node's HTTP parser refuses before the application sees them (an
 * unknown method such as FOO, a malformed request line, headers too large):
 * answered as problem+json like every other refusal (RFC 9457), instead of
 * Node's bare `400 Bad Request`, then the connection is closed.
 */
import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';

interface ParserError extends Error {
  code?: string;
}

const BY_CODE: Record<string, { status: number; title: string; code: string; detail: string }> = {
  HPE_INVALID_METHOD: { status: 405, title: 'Method Not Allowed', code: 'method_not_allowed', detail: 'The request method is not one this API serves.' },
  HPE_HEADER_OVERFLOW: { status: 431, title: 'Request Header Fields Too Large', code: 'payload_too_large', detail: 'The request headers are too large.' },
};
const MALFORMED = { status: 400, title: 'Bad Request', code: 'bad_request', detail: 'The request is not well-formed HTTP/1.1.' };

/** The raw answer for a parser error: a complete HTTP/1.1 response that closes the connection. */
export function clientErrorResponse(error: ParserError): string {
  const problem = BY_CODE[error.code ?? ''] ?? MALFORMED;
  const requestId = randomUUID();
  const body = JSON.stringify({
    type: `urn:rest-gateway:problem:${problem.code}`,
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    code: problem.code,
    request_id: requestId,
  });
  return [
    `HTTP/1.1 ${problem.status} ${problem.title}`,
    'Content-Type: application/problem+json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Request-ID: ${requestId}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/** `server.on('clientError', handleClientError)`. */
export function handleClientError(error: ParserError, socket: Socket): void {
  // a connection reset or timed out has nobody to answer
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(clientErrorResponse(error));
}
