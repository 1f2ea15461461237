import { seededRandom } from './summary-records.js';
import type { TallyFixture } from './tally-fixture.js';

export const INGEST_PATH = '/api/v1/send-telemetry-data';
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/** The reports the single-report load sends (`--bodies`): the published example's, or a fleet's. */
export const INGEST_BODIES = ['published', 'fleet'] as const;
export type IngestBodies = (typeof INGEST_BODIES)[number];

/** What one report says beyond the fixture's registry rows. */
interface ReportVaries {
  value: string;
  dataGroup: string;
  userIdentifier: string;
}

/** A form body in the published field order, naming the fixture's registry rows. */
function formBody(fixture: TallyFixture, { value, dataGroup, userIdentifier }: ReportVaries): string {
  return new URLSearchParams([
    ['api_key', fixture.apiKey],
    ['data_type', 'numeric-single-value'],
    ['numeric_data_single_value', value],
    ['product_id', String(fixture.productId)],
    ['user_identifier', userIdentifier],
    ['license_key', fixture.licenseKey],
    ['activation_identifier', fixture.activationIdentifier],
    ['product_version', fixture.productVersion],
    ['data_group', dataGroup],
  ]).toString();
}

/** The published example form body with `value` as its single value. */
export function ingestBody(fixture: TallyFixture, value: number): string {
  return formBody(fixture, { value: String(value), dataGroup: 'test_group', userIdentifier: '554dddsqfqs4dqd5qsd74q' });
}

/**
 * The bodies the load cycles through. `published`: ten copies of the published example with values
 * 45…54, so every group commit touches the same few rollup rows. `fleet`: 1,000 correct reports as a
 * fleet sends them (seeded): values spread over four decades (log-normal, 2 decimals), eight data
 * groups and 100,000 users, so a group commit writes a rollup bin row or two per report, as in
 * production (docs/performance.md, "A fleet's reports cost more").
 */
export function ingestBodies(fixture: TallyFixture, bodies: IngestBodies = 'published'): string[] {
  if (bodies === 'published') return Array.from({ length: 10 }, (_, i) => ingestBody(fixture, 45 + i));
  const random = seededRandom(20);
  return Array.from({ length: 1000 }, () => {
    // Box–Muller: a standard normal from two uniforms; e^(5 + 1.5 z) is mostly between 1 and 15,000.
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return formBody(fixture, {
      value: Math.exp(5 + 1.5 * z).toFixed(2),
      dataGroup: `group-${Math.floor(random() * 8)}`,
      userIdentifier: `user-${Math.floor(random() * 100_000)}`,
    });
  });
}

/** One POST as a plain client would send it; returns the status and the raw answer. */
export async function postIngest(baseUrl: string, body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(baseUrl + INGEST_PATH, {
    method: 'POST',
    headers: { 'content-type': FORM_CONTENT_TYPE },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, text: await response.text() };
}

/** The bytes of Tally's answer to one correct report, so that the bare baseline can answer as many. */
export async function answerSize(baseUrl: string, body: string): Promise<number> {
  const answer = await postIngest(baseUrl, body);
  if (answer.status !== 200) throw new Error(`tally answered HTTP ${answer.status} to the fixture's report: ${answer.text}`);
  return Buffer.byteLength(answer.text, 'utf8');
}
