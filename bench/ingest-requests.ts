import type { TallyFixture } from './tally-fixture.js';

export const INGEST_PATH = '/api/v1/send-telemetry-data';
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/** The published example form body, fields in the published order, naming the fixture's registry rows. */
export function ingestBody(fixture: TallyFixture, value: number): string {
  return new URLSearchParams([
    ['api_key', fixture.apiKey],
    ['data_type', 'numeric-single-value'],
    ['numeric_data_single_value', String(value)],
    ['product_id', String(fixture.productId)],
    ['user_identifier', '554dddsqfqs4dqd5qsd74q'],
    ['license_key', fixture.licenseKey],
    ['activation_identifier', fixture.activationIdentifier],
    ['product_version', fixture.productVersion],
    ['data_group', 'test_group'],
  ]).toString();
}

/** Ten bodies with values 45…54; autocannon prebuilds each once and cycles through them. */
export function ingestBodies(fixture: TallyFixture): string[] {
  return Array.from({ length: 10 }, (_, i) => ingestBody(fixture, 45 + i));
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
