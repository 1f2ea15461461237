import type { FieldErrors } from '../model/record.js';
import type { TelemetryStore } from '../store/contract/store.js';
import { summaryAnswer, type SummaryAnswer } from './summary-answer.js';
import { summaryRequest, type SummaryParams } from './summary-request.js';

export type SummaryOutcome = { ok: true; answer: SummaryAnswer } | { ok: false; errors: FieldErrors };

/**
 * The summary use case, free of HTTP: checks the range, asks the store for the aggregates and
 * shapes them. A product that is not (or no longer) registered is not an error:
 * reports naming made-up product ids are stored too, and summarizing them is how one finds them.
 */
export async function summarizeTelemetry(
  telemetry: TelemetryStore,
  params: SummaryParams,
  nowUs: number,
  maxReportAgeDays: number,
): Promise<SummaryOutcome> {
  const parsed = summaryRequest(params, nowUs, maxReportAgeDays);
  if (!parsed.ok) return parsed;
  const summary = await telemetry.summarize(parsed.request.filter, parsed.request.options);
  return { ok: true, answer: summaryAnswer(parsed.request, summary) };
}
