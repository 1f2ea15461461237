import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csrfTokenMatches, SESSION_TTL_MS, SessionStore } from '../../src/http/plugins/admin/sessions.js';

describe('dashboard sessions', () => {
  it('finds a session by its id until it expires, then forgets it', () => {
    let now = 1_000_000;
    const sessions = new SessionStore(() => now);
    const { id, session } = sessions.create();
    assert.equal(sessions.find(id), session);
    now += SESSION_TTL_MS - 1;
    assert.equal(sessions.find(id), session);
    now += 1;
    assert.equal(sessions.find(id), null);
  });

  it('forgets a deleted session and never finds an unknown id', () => {
    const sessions = new SessionStore();
    const { id } = sessions.create();
    sessions.delete(id);
    assert.equal(sessions.find(id), null);
    assert.equal(sessions.find('x'.repeat(43)), null);
  });

  it('matches only the session\'s own CSRF token', () => {
    const { session } = new SessionStore().create();
    assert.equal(csrfTokenMatches(session, session.csrfToken), true);
    assert.equal(csrfTokenMatches(session, `${session.csrfToken}x`), false);
    assert.equal(csrfTokenMatches(session, undefined), false);
    assert.equal(csrfTokenMatches(session, ''), false);
  });
});
