import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import type { InstallsAnswer } from '../../src/query/installs.js';
import { InstallsAnswer as InstallsAnswerSchema } from '../../src/http/schemas/installs.js';
import { seedFleet, storedRecords, type Fleet } from '../insights/fleet.js';
import { installsTruth } from '../insights/installs-truth.js';
import { startTestServer, type TestServer } from './test-server.js';

const DAY_US = 86_400_000_000;

let server: TestServer;
let fleet: Fleet;

/** A fleet whose 20 days end yesterday, so that the default range (the last 30 days) holds all of it. */
before(async () => {
  server = await startTestServer();
  const today = Math.floor(Date.now() / 86_400_000) * DAY_US;
  fleet = await seedFleet(server.store, { seed: 7, machines: 30, days: 20, startUs: today - 20 * DAY_US });
});
after(() => server.close());

interface Reply {
  status: number;
  body: InstallsAnswer & { error?: string; errors?: Record<string, string[]> };
}

async function installs(query: string, token: string | null = server.adminToken): Promise<Reply> {
  const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
  const res = await fetch(`${server.url}/admin/api/installs?${query}`, { headers });
  return { status: res.status, body: (await res.json()) as Reply['body'] };
}

const micros = (iso: string): number => Date.parse(iso) * 1000 + Number(iso.slice(23, 26));

/** The answer's counts equal the truth over the range it says it covered. */
function assertTruth(body: InstallsAnswer): void {
  const request = { productId: body.product_id, fromUs: micros(body.from), toUs: micros(body.to), interval: body.interval, by: body.by, maxKeys: 20 };
  const truth = installsTruth(storedRecords(fleet), request);
  assert.deepEqual({ totals: body.totals, series: body.series }, truth);
}

describe('GET /admin/api/installs', () => {
  it('by default counts machines and users per day over the whole UTC days of the last 30 days, all keys together, from the sketches', async () => {
    const today = Math.floor(Date.now() / 86_400_000) * DAY_US;
    const { status, body } = await installs(`product_id=${fleet.productId}`);
    assert.equal(status, 200, JSON.stringify(body));
    assert.ok(Value.Check(InstallsAnswerSchema, body), JSON.stringify([...Value.Errors(InstallsAnswerSchema, body)].slice(0, 3)));
    assert.deepEqual(Object.keys(body), ['product_id', 'interval', 'by', 'from', 'to', 'distinct', 'totals', 'series']);
    assert.deepEqual([body.product_id, body.interval, body.by, body.distinct], [fleet.productId, 'day', 'none', 'hll ±1.6%']);
    assert.equal(micros(body.to), today + DAY_US - 1, 'to the end of today');
    assert.equal(micros(body.from), today - 30 * DAY_US, 'from the start of the day 30 days before');
    assert.ok(body.series.length >= 19 && body.series.every((row) => row.key === 'all'));
    assert.ok(body.totals.machines > 0 && body.totals.users > 0);
    assertTruth(body);
  });

  it('answers every interval and breakdown over a range given in ISO-8601 or Unix seconds, `to` covering the unit it names', async () => {
    const start = new Date(fleet.startUs / 1000);
    const day = (offset: number): string => new Date(start.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
    for (const interval of ['day', 'week', 'month']) {
      for (const by of ['version', 'os', 'none']) {
        const { status, body } = await installs(`product_id=${fleet.productId}&from=${day(3)}&to=${day(12)}&interval=${interval}&by=${by}`);
        assert.equal(status, 200, JSON.stringify(body));
        assert.equal(micros(body.from), fleet.startUs + 3 * DAY_US);
        assert.equal(micros(body.to), fleet.startUs + 13 * DAY_US - 1);
        assert.ok(body.series.length > 0);
        assertTruth(body);
      }
    }
    const unix = await installs(`product_id=${fleet.productId}&from=${fleet.startUs / 1e6 + 3600}&to=${fleet.startUs / 1e6 + 5 * 86400}&by=os&interval=week`);
    assert.equal(unix.status, 200);
    assert.equal(micros(unix.body.from), fleet.startUs, 'a sketched answer counts whole days');
    assertTruth(unix.body);
  });

  it('answers exactly, over the range as given, with distinct=exact', async () => {
    const query = `product_id=${fleet.productId}&from=${fleet.startUs / 1e6 + 3600}&to=${fleet.startUs / 1e6 + 5 * 86400}&by=version&interval=day&distinct=exact`;
    const { status, body } = await installs(query);
    assert.equal(status, 200, JSON.stringify(body));
    assert.ok(Value.Check(InstallsAnswerSchema, body));
    assert.equal(body.distinct, 'exact');
    assert.deepEqual([micros(body.from), micros(body.to)], [fleet.startUs + 3_600_000_000, fleet.startUs + 5 * DAY_US + 999_999], '`to` in seconds is its whole second');
    assertTruth(body);
    assert.equal((await installs(`product_id=${fleet.productId}&distinct=approximate`)).status, 400);
  });

  it('answers a product without reports (registered or not) with an empty series and zero totals', async () => {
    for (const productId of [server.seed.productB, 999_999]) {
      const { status, body } = await installs(`product_id=${productId}&by=version`);
      assert.equal(status, 200);
      assert.deepEqual([body.totals, body.series], [{ machines: 0, users: 0 }, []]);
    }
  });

  it('refuses bad parameters with 400 and a message per field', async () => {
    const refusals: [string, Record<string, string[]>][] = [
      ['', { product_id: ['The product id field is required.'] }],
      ['product_id=abc&interval=hour&by=country', {}],
      ['product_id=1&from=yesterday', {}],
      ['product_id=1&from=2024-03-01&to=2024-02-01', { to: ['The to field must be a date after or equal to from.'] }],
      ['product_id=1&from=2023-01-01&to=2024-12-31', { to: ['The range spans 731 days; an answer holds at most 400 days: narrow from and to, or use a longer interval.'] }],
      ['product_id=1&colour=red', {}],
      ['product_id=1&by[]=os', {}],
    ];
    for (const [query, expected] of refusals) {
      const { status, body } = await installs(query);
      assert.equal(status, 400, query);
      assert.equal(body.error, 'The installs parameters are invalid.', query);
      for (const [field, messages] of Object.entries(expected)) assert.deepEqual(body.errors?.[field], messages, query);
      if (query.includes('interval=hour')) assert.deepEqual(Object.keys(body.errors ?? {}), ['product_id', 'interval', 'by']);
    }
    const weeks = await installs('product_id=1&from=2023-01-01&to=2024-12-31&interval=week');
    assert.equal(weeks.status, 200, '105 weeks fit');
  });

  it('is behind the admin credentials', async () => {
    assert.equal((await installs(`product_id=${fleet.productId}`, null)).status, 401);
  });
});
