import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE, SESSION_TTL_MS } from './sessions.js';

/**
 * Whether the session cookie is Secure. The public URL the operator set decides (https: always,
 * so a TLS-terminating proxy that is not in TALLY_TRUSTED_PROXIES cannot make it plain; http:
 * never); without one, whether the request came over HTTPS (directly, or through a trusted
 * proxy's X-Forwarded-Proto, which Fastify reads only from TALLY_TRUSTED_PROXIES).
 */
export function cookieIsSecure(publicUrl: string | null, request: FastifyRequest): boolean {
  if (publicUrl !== null) return publicUrl.toLowerCase().startsWith('https://');
  return request.protocol === 'https';
}

/** The session cookie's attributes: HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Path=/, Secure as above. */
function cookieOptions(publicUrl: string | null, request: FastifyRequest): { httpOnly: true; sameSite: 'strict'; path: '/'; secure: boolean } {
  return { httpOnly: true, sameSite: 'strict', path: '/', secure: cookieIsSecure(publicUrl, request) };
}

export function setSessionCookie(publicUrl: string | null, request: FastifyRequest, reply: FastifyReply, id: string): void {
  reply.setCookie(SESSION_COOKIE, id, { ...cookieOptions(publicUrl, request), maxAge: SESSION_TTL_MS / 1000 });
}

export function clearSessionCookie(publicUrl: string | null, request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, cookieOptions(publicUrl, request));
}
