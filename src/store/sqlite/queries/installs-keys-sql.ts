import { ALL_KEY, OS_MAX_CHARS, UNKNOWN_KEY, VERSION_MAX_CHARS, type InstallsBy } from '../../../model/installs.js';

// metadata.os when it is a JSON string: U+0000 read as U+FFFD (as PostgreSQL must; SQLite's text
// functions would stop at it), by replacing its escape in the JSON text before decoding; trimmed
// of spaces, cut to OS_MAX_CHARS; anything else (absent, empty, a number) is UNKNOWN_KEY.
const OS_TEXT = `CASE WHEN json_type(metadata, '$.os') = 'text' THEN replace(metadata -> '$.os', '\\u0000', '\\ufffd') ->> '$' END`;

/**
 * Each breakdown's key of a telemetry row in SQL: the raw (exact) installs query and the upgrade
 * that builds the install sketches read keys through these, ingest through model/installs.ts
 * (versionKey, osKey), which the store contract checks give the same keys.
 */
export const INSTALLS_KEYS_SQL: Record<InstallsBy, string> = {
  version: `COALESCE(NULLIF(substr(product_version, 1, ${VERSION_MAX_CHARS}), ''), '${UNKNOWN_KEY}')`,
  os: `COALESCE(NULLIF(substr(trim(${OS_TEXT}), 1, ${OS_MAX_CHARS}), ''), '${UNKNOWN_KEY}')`,
  none: `'${ALL_KEY}'`,
};
