import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { EnvelopeSigner } from '../../envelope/envelope.js';
import { readNonce } from '../../envelope/request-nonce.js';
import { ingestReport, type IngestDeps } from '../../ingest/ingest-report.js';
import type { Reply } from '../../model/codes.js';
import type { ApiKey } from '../../model/registry.js';
import type { Metrics } from '../../observability/metrics.js';
import { apiKeyFromRequest } from '../body/api-key-from-request.js';
import { acceptApiKey, type KeyAcceptanceDeps } from '../plugins/api/api-key-check.js';
import { signAnswer, type Fields } from '../plugins/api/signed-reply.js';
import { replyForError } from '../plugins/error-reply.js';
import { INGEST_ROUTES, observeAnswer } from '../plugins/observe-requests.js';
import { requestId } from '../plugins/request-id.js';
import type { LoggedRequest } from '../plugins/log-serializers.js';
import type { ClientAddress } from './client-address.js';
import { laneBody, laneFields } from './lane-body.js';
import { laneBodyOf, type LaneBody } from './lane-requests.js';

export interface IngestLaneDeps {
  ingest: IngestDeps;
  keys: KeyAcceptanceDeps;
  signer: EnvelopeSigner;
  metrics: Metrics | null;
  log: FastifyBaseLogger;
  clientAddress: ClientAddress;
  bodyLimit: number;
  /** True once the app is closing: Fastify then answers the signed 503 (closing.ts). */
  isClosing: () => boolean;
}

/** Takes a request and answers it (true), or leaves it to Fastify (false, nothing read). */
export type IngestLane = (request: IncomingMessage, response: ServerResponse) => boolean;

/** What one request came to: its answer, and what signing it needs. */
interface Outcome {
  answer: Reply;
  /** The fields the answer is signed for (null: the global key, a refusal). */
  signFor: Fields | null;
  fields: Fields | null;
  key: ApiKey | null;
  /** The body could not be read or parsed: close the connection after the answer, as Fastify does. */
  close: boolean;
}

/**
 * The single-report ingest endpoint (POST `send-telemetry-data` and its aliases, CONTRACT §3)
 * served in front of Fastify, for the requests laneBodyOf takes: the published clients' one
 * report per request. The same steps and shared functions as the Fastify route, in the same
 * order, give the same answers: the fields (form or JSON over the query string), the key check
 * with the failed-authentication cut-off (acceptApiKey), the nonce check, ingestReport (the
 * answer only after the commit), the signed envelope (signAnswer), `X-Request-Id`, the metrics
 * and the slow and 5xx log lines (observeAnswer). What it leaves out is Fastify's per-request
 * work: the router, the request and reply objects, the hook chains and a child logger
 * (docs/decisions/0047-ingest-lane.md). While the app is closing every request goes to Fastify
 * (its signed 503); app.ts makes no lane while per-request logging or an operator limit is on.
 */
export function ingestLane(deps: IngestLaneDeps): IngestLane {
  return (request, response) => {
    if (deps.isClosing()) return false;
    const body = laneBodyOf(request, INGEST_ROUTES, deps.bodyLimit);
    if (body === null) return false;
    const exchange: Exchange = { request, response, id: requestId(request), ip: deps.clientAddress(request), started: performance.now() };
    outcomeOf(deps, exchange, body)
      .then((outcome) => answer(deps, exchange, outcome))
      .catch((error: unknown) => {
        deps.log.error({ err: error, reqId: exchange.id }, 'the ingest lane could not answer');
        response.destroy();
      });
    return true;
  };
}

/** One request the lane took, and what is known of it from the start. */
interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
  id: string;
  ip: string;
  started: number;
}

async function outcomeOf(deps: IngestLaneDeps, exchange: Exchange, body: LaneBody): Promise<Outcome> {
  const { request, ip } = exchange;
  let parsed: unknown;
  try {
    parsed = await laneBody(request, body, deps.bodyLimit);
  } catch (error) {
    return { answer: failed(deps, exchange, error), signFor: null, fields: null, key: null, close: true };
  }
  let fields: Fields | null = null;
  let key: ApiKey | null = null;
  try {
    fields = laneFields(request, parsed);
    const accepted = await acceptApiKey(deps.keys, apiKeyFromRequest(request.headers.authorization, fields), ip, 'send_telemetry');
    if (!accepted.ok) return { answer: accepted.refusal, signFor: null, fields, key: null, close: false };
    key = accepted.key;
    const nonce = readNonce(fields);
    if (!nonce.ok) return { answer: { code: 400, fields: { errors: { nonce: [nonce.error] } } }, signFor: null, fields, key, close: false };
    return { answer: await ingestReport(deps.ingest, fields, key, ip), signFor: fields, fields, key, close: false };
  } catch (error) {
    return { answer: failed(deps, exchange, error), signFor: null, fields, key, close: false };
  }
}

/** The answer to an error raised while reading or ingesting (error-reply.ts); ours (500) are logged, as Fastify's error handler does. */
function failed(deps: IngestLaneDeps, exchange: Exchange, error: unknown): Reply {
  const answer = replyForError(error, deps.bodyLimit);
  if (answer.code === 500) deps.log.error({ err: error, reqId: exchange.id, req: logged(exchange) }, 'unexpected error');
  return answer;
}

async function answer(deps: IngestLaneDeps, exchange: Exchange, outcome: Outcome): Promise<void> {
  const { request, response } = exchange;
  const signed = await signAnswer(deps.signer, outcome.answer, { signFor: outcome.signFor, nonceFrom: outcome.fields, apiKey: outcome.key, userAgent: request.headers['user-agent'] });
  const headers: Record<string, string | number> = { ...signed.headers, 'x-request-id': exchange.id, 'content-length': Buffer.byteLength(signed.body) };
  if (outcome.close) headers['connection'] = 'close';
  response.writeHead(signed.status, headers).end(signed.body);
  const route = (request.url ?? '').split('?')[0] ?? '';
  deps.metrics?.laneAnswered();
  observeAnswer(deps.metrics, { route, status: signed.status, code: outcome.answer.code, ms: performance.now() - exchange.started, request: logged(exchange), log: deps.log, reqId: exchange.id });
}

function logged({ request, ip }: Exchange): LoggedRequest {
  return { method: request.method, url: request.url, ip };
}
