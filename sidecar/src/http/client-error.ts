/**
 * Requests Node's HTTP parser refuses before the application sees them (an
 * unknown method such as FOO, a malformed request line, headers too large):
 * answered as problem+json like every other refusal (RFC 9457), instead of
 * Node's bare `400 Bad Request`, then the connection is closed.
 */
import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { ApiError, problemBody } from '../errors.js';

interface ParserError extends Error {
  code?: string;
}

function parserProblem(code: string | undefined): ApiError {
  if (code === 'HPE_INVALID_METHOD') return new ApiError(405, 'method_not_allowed', 'The request method is not one this API serves.');
  if (code === 'HPE_HEADER_OVERFLOW') return new ApiError(431, 'payload_too_large', 'The request headers are too large.');
  return new ApiError(400, 'bad_request', 'The request is not well-formed HTTP/1.1.');
}

/** The raw answer for a parser error: a complete HTTP/1.1 response that closes the connection. */
export function clientErrorResponse(error: ParserError): string {
  const problem = parserProblem(error.code);
  const requestId = randomUUID();
  const body = JSON.stringify(problemBody(problem, requestId));
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
