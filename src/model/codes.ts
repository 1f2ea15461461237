/**
 * The closed set of answer codes and the one table that maps each to its HTTP status and
 * message. Codes 100–972 are the published API's; the 4xx/5xx-numbered ones are Tally's own
 * for requests that never reached an endpoint (see docs/decisions/0003-transport-error-codes.md).
 */
export const CODES = {
  100: { status: 401, message: 'Invalid API Key' },
  101: { status: 401, message: 'Inactive API Key' },
  102: { status: 401, message: "The used API key doesn't have the required capability to access this endpoint" },
  103: { status: 401, message: "API key can't be used from this IP address" },
  104: { status: 429, message: 'Too many requests' },
  150: { status: 403, message: 'Access denied (the IP, user identifier or license key is blocked)' },
  400: { status: 400, message: 'Malformed request body' },
  404: { status: 404, message: 'Not found' },
  413: { status: 413, message: 'Request body too large' },
  415: { status: 415, message: 'Unsupported content type' },
  500: { status: 500, message: 'Internal server error' },
  503: { status: 503, message: 'Service unavailable' },
  830: { status: 200, message: 'Correct format data saved' },
  831: { status: 200, message: 'Incorrect format data saved' },
  // Tally's own: a report whose event_id was stored before (not stored again), and the batch answer.
  832: { status: 200, message: 'Data already saved' },
  840: { status: 200, message: 'Batch data saved' },
  970: { status: 200, message: 'Telemetry data found' },
  971: { status: 200, message: 'No telemetry data found' },
  972: { status: 200, message: 'Incorrect data found' },
  // Tally's own (not in the published API): the answer of GET /api/v1/get-public-key.
  990: { status: 200, message: 'Public key found' },
} as const satisfies Record<number, { status: number; message: string }>;

export type Code = keyof typeof CODES;

/** What an endpoint answers: a code and the endpoint's own fields, in the order they go on the wire. */
export interface Reply {
  code: Code;
  fields?: Readonly<Record<string, unknown>>;
  /** Extra HTTP headers, e.g. Retry-After. */
  headers?: Readonly<Record<string, string>>;
}

/**
 * A Reply that never changes, frozen through its fields, so that one object can answer every
 * request that gets it (ingest's 830, 832, 150) and the signer may reuse what it built for it
 * within a second (envelope.ts). Only the fields' first level of arrays and objects is frozen:
 * a constant reply's fields hold no deeper values.
 */
export function constantReply(code: Code, fields?: Readonly<Record<string, unknown>>): Reply {
  if (fields === undefined) return Object.freeze({ code });
  for (const value of Object.values(fields)) Object.freeze(value);
  return Object.freeze({ code, fields: Object.freeze(fields) });
}

/** Whether `reply` was made by constantReply (so it can be answered again as it is). */
export function isConstantReply(reply: Reply): boolean {
  return Object.isFrozen(reply) && (reply.fields === undefined || Object.isFrozen(reply.fields));
}
