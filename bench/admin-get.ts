import http from 'node:http';

/** An answer of the admin API: status, parsed JSON (null when not JSON) and its size. */
export interface AdminAnswer {
  status: number;
  body: unknown;
  bytes: number;
}

/**
 * One GET over a real socket with the admin token, and no client-side timeout (fetch's would give
 * up after 300 s without headers): an exact answer over 100M records may take minutes, and the
 * bench is there to say how long.
 */
export function adminGet(base: string, pathAndQuery: string, token: string): Promise<AdminAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.get(base + pathAndQuery, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = null;
        try {
          body = JSON.parse(text);
        } catch {
          // Not JSON: the caller sees the status.
        }
        resolve({ status: res.statusCode ?? 0, body, bytes: Buffer.byteLength(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}
