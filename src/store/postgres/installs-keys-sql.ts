import { ALL_KEY, OS_MAX_CHARS, UNKNOWN_KEY, VERSION_MAX_CHARS, type InstallsBy } from '../../model/installs.js';

// metadata is `json` text; extracting from it fails on any \u0000 escape (decision 0009), so a
// metadata holding one is read with U+FFFD in its place. Its `os` when a JSON string, trimmed of
// spaces, cut to OS_MAX_CHARS; anything else (absent, empty, a number) is UNKNOWN_KEY.
const OS_JSON = `(CASE WHEN strpos(metadata::text, '\\u0000') > 0 THEN replace(metadata::text, '\\u0000', '\\uFFFD')::json ELSE metadata END) -> 'os'`;

/** What a FROM clause joins after `telemetry` for the `os` key to be read (its `os.os_json`). */
export const OS_LATERAL = `CROSS JOIN LATERAL (SELECT ${OS_JSON} AS os_json) AS os`;

/**
 * Each breakdown's key of a telemetry row in SQL: the raw (exact) installs query and the upgrade
 * that builds the install sketches read keys through these, ingest through model/installs.ts
 * (versionKey, osKey), which the store contract checks give the same keys.
 */
export const INSTALLS_KEYS_SQL: Record<InstallsBy, string> = {
  version: `COALESCE(NULLIF(left(product_version, ${VERSION_MAX_CHARS}), ''), '${UNKNOWN_KEY}')`,
  os: `COALESCE(NULLIF(left(btrim(CASE WHEN json_typeof(os.os_json) = 'string' THEN os.os_json #>> '{}' END), ${OS_MAX_CHARS}), ''), '${UNKNOWN_KEY}')`,
  none: `'${ALL_KEY}'`,
};
