import { verifyEnvelope } from '../src/envelope/verify.js';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface Sample {
  status: number;
  text: string;
}

/** Every acknowledged report is stored, and nothing was refused. */
export function durabilityChecks(acknowledged: number, rejected: number, stored: number): Check[] {
  return [
    { name: 'every 2xx answer is stored', ok: stored >= acknowledged, detail: `${stored} records stored, ${acknowledged} 2xx answers` },
    { name: 'no non-2xx answers', ok: rejected === 0, detail: `${rejected} non-2xx answers` },
  ];
}

/** Sampled answers are HTTP 200, code 830, and verify against the published key. */
export function sampleChecks(samples: readonly Sample[], pem: string | null): Check[] {
  if (pem === null) return [{ name: 'signed answers verify', ok: false, detail: 'the store has no global signing key' }];
  const results = samples.map((s) => verifyEnvelope(s.text, pem));
  const verified = results.filter((r) => r.valid).length;
  const code830 = results.filter((r) => r.valid && codeOf(r.response) === 830).length;
  const http200 = samples.filter((s) => s.status === 200).length;
  const n = samples.length;
  return [
    { name: 'sampled answers are HTTP 200', ok: n > 0 && http200 === n, detail: `${http200}/${n}` },
    { name: 'sampled signatures verify', ok: n > 0 && verified === n, detail: `${verified}/${n}` },
    { name: 'sampled answers are code 830', ok: n > 0 && code830 === n, detail: `${code830}/${n}` },
  ];
}

function codeOf(response: unknown): unknown {
  return typeof response === 'object' && response !== null ? (response as { code?: unknown }).code : undefined;
}
