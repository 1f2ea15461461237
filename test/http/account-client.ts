/** A browser-like client of the dashboard for tests: logs in through the form, keeps the cookie, sends the CSRF token. */
export interface DashboardClient {
  cookie: string;
  csrf: string;
  get(path: string): Promise<Response>;
  send(method: string, path: string, body?: unknown): Promise<Response>;
}

/** POST /login with these form fields; the raw answer (303, 429, …), redirects not followed. */
export function postLogin(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/login`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/** A client on the session that this login answer started (its Set-Cookie), or on `cookie` at `url`. */
export async function clientOf(url: string, cookie: string): Promise<DashboardClient> {
  const session = await fetch(`${url}/admin/api/session`, { headers: { cookie } });
  const csrf = session.status === 200 ? ((await session.json()) as { csrf_token: string }).csrf_token : '';
  return {
    cookie,
    csrf,
    get: (path) => fetch(`${url}${path}`, { headers: { cookie } }),
    send: (method, path, body) => fetch(`${url}${path}`, {
      method,
      headers: { cookie, 'x-tally-csrf': csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  };
}

/** The session cookie (`tally_session=…`) a login answer set, or '' when it set none. */
export function cookieOf(res: Response): string {
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

/** Logs in with a name and password and returns a client on the new session; throws when the login failed. */
export async function logInAs(url: string, name: string, password: string): Promise<DashboardClient> {
  const res = await postLogin(url, { name, password });
  if (res.headers.get('location') !== '/') throw new Error(`login as ${name} went to ${res.headers.get('location')} (${res.status})`);
  return clientOf(url, cookieOf(res));
}
