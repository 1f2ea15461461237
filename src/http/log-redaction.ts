import type { FastifyRequest } from 'fastify';

const SECRET_PARAMETER = /([?&]api_key=)[^&#]*/gi;

/** A URL with the value of every `api_key` query parameter replaced, so keys never reach a log. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMETER, '$1[redacted]');
}

/**
 * How a request appears in a log line: method, redacted URL, client IP, and nothing of its
 * headers or body (the Authorization header and the form's api_key are secrets).
 */
export function requestForLog(request: FastifyRequest): { method: string; url: string; ip: string } {
  return { method: request.method, url: redactUrl(request.url), ip: request.ip };
}
