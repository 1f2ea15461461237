import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE, SESSION_TTL_MS } from './sessions.js';

/**
 * The session cookie's attributes: HttpOnly (no script reads it), SameSite=Strict (no other site
 * sends it), Path=/, and Secure when the request came over HTTPS (directly, or through a trusted
 * proxy's X-Forwarded-Proto, which Fastify reads only from TALLY_TRUSTED_PROXIES).
 */
function cookieOptions(request: FastifyRequest): { httpOnly: true; sameSite: 'strict'; path: '/'; secure: boolean } {
  return { httpOnly: true, sameSite: 'strict', path: '/', secure: request.protocol === 'https' };
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, id: string): void {
  reply.setCookie(SESSION_COOKIE, id, { ...cookieOptions(request), maxAge: SESSION_TTL_MS / 1000 });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
}
