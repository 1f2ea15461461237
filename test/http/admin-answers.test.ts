import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from './test-server.js';

/**
 * The admin API's exact answers (status and body bytes, key order included) to bad and
 * borderline input, pinned before the routes' hand reading was replaced by schemas
 * (docs/decisions/0020-admin-api-schemas.md). Rows run in order on one server: some change it
 * (the blocklist rows add then remove an entry).
 */
type Row = [method: string, path: string, body: string | undefined, status: number, text: string];

const long = (n: number): string => 'x'.repeat(n);
/** Times in answers (the default range ends now, entries are stamped when made) read as `<time>`. */
const TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+Z/g;

const ROWS: Record<string, Row[]> = {
  'summary': [
    ['GET', '/summary', undefined, 400, '{"error":"The summary parameters are invalid.","errors":{"product_id":["The product id field is required."],"data_group":["The data group field is required."]}}'],
    ['GET', '/summary?product_id=abc&data_group=g', undefined, 400, '{"error":"The summary parameters are invalid.","errors":{"product_id":["The product id field must be a positive integer."]}}'],
    ['GET', '/summary?product_id=1&data_group=g&from=yesterday', undefined, 400, '{"error":"The summary parameters are invalid.","errors":{"from":["The from field must be an ISO-8601 date or Unix seconds."]}}'],
    ['GET', '/summary?product_id=1&data_group=g&to=2024-02-30', undefined, 400, '{"error":"The summary parameters are invalid.","errors":{"to":["The to field must be an ISO-8601 date or Unix seconds."]}}'],
    ['GET', '/summary?product_id=1&data_group=g&from=2024-03-01&to=2024-02-01', undefined, 400, '{"error":"The summary parameters are invalid.","errors":{"to":["The to field must be a date after or equal to from."]}}'],
    ['GET', '/summary?product_id=1&data_group=g&buckets=0&points=1&top=101', undefined, 400, '{"error":"The summary parameters are invalid.","errors":{"buckets":["The buckets field must be an integer between 1 and 100."],"points":["The points field must be an integer between 2 and 10000."],"top":["The top field must be an integer between 1 and 100."]}}'],
    ['GET', '/summary?product_id=1&data_group[]=a', undefined, 400, '{"error":"The summary parameters are invalid.","errors":{"data_group":["The data group field must be a string."]}}'],
    ['GET', '/summary?product_id=1&data_group=g&has_red_flags=yes', undefined, 400, '{"error":"The summary parameters are invalid.","errors":{"has_red_flags":["The has red flags field must be 1, 0, true or false."]}}'],
    ['GET', '/summary?product_id=1&data_group=g&form=2024-01-01', undefined, 400, '{"error":"The summary parameters are invalid.","errors":{"form":["The form parameter is not supported."]}}'],
    // Text filters take any length (a stored value is always a usable filter): an empty summary, not a 400.
    ['GET', `/summary?product_id=1&data_group=${long(256)}`, undefined, 200, '{"product_id":1,"data_group":"' + long(256) + '","from":"<time>","to":"<time>","total":0,"numeric":{"count":0,"min":null,"max":null,"mean":null,"p50":null,"p90":null,"p99":null,"percentiles":"sketch ±1%","histogram":[]},"xy":{"count":0,"downsampling":"none","points":[]},"text":{"count":0,"top":[]},"days":[],"piracy_alerts":{"license_keys":[],"user_identifiers":[]}}'],
    ['GET', '/summary?product_id=abc&data_group=g&from=2024-03-01&to=2024-02-01&buckets=0&zzz=1&aaa[]=2', undefined, 400, '{"error":"The summary parameters are invalid.","errors":{"product_id":["The product id field must be a positive integer."],"to":["The to field must be a date after or equal to from."],"buckets":["The buckets field must be an integer between 1 and 100."],"zzz":["The zzz parameter is not supported."],"aaa":["The aaa parameter is not supported."]}}'],
    ['GET', '/summary?zzz=1&top=0&data_group=&product_id=-1', undefined, 400, '{"error":"The summary parameters are invalid.","errors":{"product_id":["The product id field must be a positive integer."],"data_group":["The data group field is required."],"top":["The top field must be an integer between 1 and 100."],"zzz":["The zzz parameter is not supported."]}}'],
    ['GET', '/summary?product_id=1&data_group=%20%20', undefined, 400, '{"error":"The summary parameters are invalid.","errors":{"data_group":["The data group field is required."]}}'],
    ['GET', '/summary?product_id=1&data_group=g&buckets[]=1', undefined, 400, '{"error":"The summary parameters are invalid.","errors":{"buckets":["The buckets field must be a string."]}}'],
    ['GET', `/summary?product_id=1&data_group=g&buckets=${long(300)}`, undefined, 400, '{"error":"The summary parameters are invalid.","errors":{"buckets":["The buckets field must not be greater than 255 characters."]}}'],
    ['GET', '/summary?product_id=1&data_group=g&from=%zz', undefined, 400, '{"error":"Malformed request body","errors":{"body":["The query string has a malformed percent-escape."]}}'],
    ['GET', '/summary?product_id=0&data_group=g', undefined, 400, '{"error":"The summary parameters are invalid.","errors":{"product_id":["The product id field must be a positive integer."]}}'],
    ['GET', '/summary?product_id=1000000000000000&data_group=g', undefined, 400, '{"error":"The summary parameters are invalid.","errors":{"product_id":["The product id field must be a positive integer."]}}'],
    ['GET', '/summary?product_id=0000000000000001&data_group=g', undefined, 400, '{"error":"The summary parameters are invalid.","errors":{"product_id":["The product id field must be a positive integer."]}}'],
    ['GET', '/summary?product_id=+1&data_group=g', undefined, 200, '{"product_id":1,"data_group":"g","from":"<time>","to":"<time>","total":0,"numeric":{"count":0,"min":null,"max":null,"mean":null,"p50":null,"p90":null,"p99":null,"percentiles":"sketch ±1%","histogram":[]},"xy":{"count":0,"downsampling":"none","points":[]},"text":{"count":0,"top":[]},"days":[],"piracy_alerts":{"license_keys":[],"user_identifiers":[]}}'],
    ['GET', '/summary?product_id=1.0&data_group=g', undefined, 400, '{"error":"The summary parameters are invalid.","errors":{"product_id":["The product id field must be a positive integer."]}}'],
    ['GET', '/summary?product_id=1&data_group=g&from=2999-01-01', undefined, 400, '{"error":"The summary parameters are invalid.","errors":{"to":["The to field must be a date after or equal to from."]}}'],
    ['GET', '/summary?product_id=1&data_group=g&from=2999-01-01&buckets=x', undefined, 400, '{"error":"The summary parameters are invalid.","errors":{"to":["The to field must be a date after or equal to from."],"buckets":["The buckets field must be an integer between 1 and 100."]}}'],
    ['GET', `/summary?product_id=1&data_group=g&product_version=${long(256)}&has_red_flags=true`, undefined, 200, '{"product_id":1,"data_group":"g","from":"<time>","to":"<time>","total":0,"numeric":{"count":0,"min":null,"max":null,"mean":null,"p50":null,"p90":null,"p99":null,"percentiles":"sketch ±1%","histogram":[]},"xy":{"count":0,"downsampling":"none","points":[]},"text":{"count":0,"top":[]},"days":[],"piracy_alerts":{"license_keys":[],"user_identifiers":[]}}'],
    ['GET', '/summary?product_id=1&data_group=g&from[a]=1', undefined, 400, '{"error":"The summary parameters are invalid.","errors":{"from":["The from field must be a string."]}}'],
    ['GET', '/summary?product_id=1&data_group=g&to=1708999044&from=1708999045', undefined, 400, '{"error":"The summary parameters are invalid.","errors":{"to":["The to field must be a date after or equal to from."]}}'],
    ['GET', '/summary?product_id=1&data_group=g&from=2024-01-01&top=x&top=101&to=2023-01-01', undefined, 400, '{"error":"The summary parameters are invalid.","errors":{"to":["The to field must be a date after or equal to from."],"top":["The top field must be an integer between 1 and 100."]}}'],
  ],
  'overview': [
    ['GET', '/overview?from=yesterday&product_id=x&form=1', undefined, 400, '{"error":"The overview parameters are invalid.","errors":{"from":["The from field must be an ISO-8601 date or Unix seconds."],"product_id":["The product id field must be a positive integer."],"form":["The form parameter is not supported."]}}'],
    ['GET', '/overview?from=2024-03-01&to=2024-02-01', undefined, 400, '{"error":"The overview parameters are invalid.","errors":{"to":["The to field must be a date after or equal to from."]}}'],
    ['GET', '/overview?from=2000-01-01&to=2024-01-01', undefined, 400, '{"error":"The overview parameters are invalid.","errors":{"from":["The range must not be longer than five years."]}}'],
    ['GET', '/overview?from=2024-03-01&to=2024-02-01&product_id=x', undefined, 400, '{"error":"The overview parameters are invalid.","errors":{"product_id":["The product id field must be a positive integer."]}}'],
    ['GET', '/overview?from=2000-01-01&to=2024-01-01&zz=1', undefined, 400, '{"error":"The overview parameters are invalid.","errors":{"zz":["The zz parameter is not supported."]}}'],
    ['GET', '/overview?product_id[]=1', undefined, 400, '{"error":"The overview parameters are invalid.","errors":{"product_id":["The product id field must be a string."]}}'],
    ['GET', '/overview?from=2999-01-01', undefined, 400, '{"error":"The overview parameters are invalid.","errors":{"to":["The to field must be a date after or equal to from."]}}'],
    ['GET', '/overview?from=%', undefined, 400, '{"error":"Malformed request body","errors":{"body":["The query string has a malformed percent-escape."]}}'],
    ['GET', `/overview?product_id=${long(256)}`, undefined, 400, '{"error":"The overview parameters are invalid.","errors":{"product_id":["The product id field must not be greater than 255 characters."]}}'],
  ],
  'piracy': [
    ['GET', '/piracy?top=0&product_id=-1&x=1', undefined, 400, '{"error":"The piracy parameters are invalid.","errors":{"product_id":["The product id field must be a positive integer."],"top":["The top field must be an integer between 1 and 100."],"x":["The x parameter is not supported."]}}'],
    ['GET', '/piracy?from=2024-03-01&to=2024-02-01', undefined, 400, '{"error":"The piracy parameters are invalid.","errors":{"to":["The to field must be a date after or equal to from."]}}'],
    ['GET', '/piracy?from=2024-03-01&to=2024-02-01&top=0', undefined, 400, '{"error":"The piracy parameters are invalid.","errors":{"top":["The top field must be an integer between 1 and 100."]}}'],
    ['GET', '/piracy?to=2020-01-01&top=101', undefined, 400, '{"error":"The piracy parameters are invalid.","errors":{"top":["The top field must be an integer between 1 and 100."]}}'],
    ['GET', '/piracy?from=2020-01-01T00:00:00Z&to=2020-01-01T00:00:01Z&top=100', undefined, 200, '{"from":"<time>","to":"<time>","license_keys":[],"user_identifiers":[],"unattributed":0,"truncated":false}'],
  ],
  'records': [
    ['GET', '/records?limit=abc&from=never&unknown=1', undefined, 400, '{"error":"The record filters are invalid.","errors":{"from":["The from field must be a valid date."],"limit":["The limit field must be an integer."]}}'],
    ['GET', '/records?product_id=1.5', undefined, 400, '{"error":"The record filters are invalid.","errors":{"product_id":["The product id field must be an integer."]}}'],
    ['GET', '/records?limit=0&after_id=-1&data_type=x&has_red_flags=2&to=2020-01-01&from=2021-01-01', undefined, 400, '{"error":"The record filters are invalid.","errors":{"data_type":["The selected data type is invalid."],"has_red_flags":["The has red flags field must be 1, 0, true or false."],"limit":["The limit field must be between 1 and 1000."],"after_id":["The after id field must be at least 0."],"to":["The to field must be a date after or equal to from."]}}'],
    ['GET', '/records?data_group[]=a&limit=1001', undefined, 400, '{"error":"The record filters are invalid.","errors":{"data_group":["The data group field must be a string."],"limit":["The limit field must be between 1 and 1000."]}}'],
    ['GET', '/records?limit=1&data_group=none', undefined, 200, '{"records":[],"next_after_id":null}'],
    ['GET', '/records?x=%zz', undefined, 400, '{"error":"Malformed request body","errors":{"body":["The query string has a malformed percent-escape."]}}'],
  ],
  'export': [
    ['GET', '/export?format=xml&limit=abc&from=never', undefined, 400, '{"error":"The export parameters are invalid.","errors":{"format":["The selected format is invalid."],"from":["The from field must be a valid date."],"limit":["The limit field must be an integer."]}}'],
    ['GET', '/export', undefined, 400, '{"error":"The export parameters are invalid.","errors":{"format":["The format field is required."]}}'],
    ['GET', '/export?format=&data_group=none', undefined, 400, '{"error":"The export parameters are invalid.","errors":{"format":["The format field is required."]}}'],
    ['GET', '/export?format[]=csv', undefined, 400, '{"error":"The export parameters are invalid.","errors":{"format":["The format field is required."]}}'],
  ],
  'api-keys': [
    ['POST', '/api-keys', '{}', 400, '{"error":"\\"name\\" is required and must be a string."}'],
    ['POST', '/api-keys', '{"name":""}', 400, '{"error":"An API key needs a name."}'],
    ['POST', '/api-keys', '{"name":"x","capabilities":["admin"]}', 400, '{"error":"Unknown capability: admin (known: send_telemetry, get_telemetry)."}'],
    ['POST', '/api-keys', '{"name":"x","capabilities":"send_telemetry"}', 400, '{"error":"\\"capabilities\\" must be a list of strings."}'],
    ['POST', '/api-keys', '{"name":"x","products":[999]}', 400, '{"error":"No product with id 999."}'],
    ['POST', '/api-keys', '{"name":"x","products":["1"]}', 400, '{"error":"\\"products\\" must be a list of positive integer product ids."}'],
    ['POST', '/api-keys', '{"name":"x","allowed_ips":["not-an-ip"]}', 400, '{"error":"Not an IP address or CIDR: not-an-ip"}'],
    ['POST', '/api-keys', '{"name":"x","expires_at":"tomorrow"}', 400, '{"error":"The expiry must be an ISO-8601 date or date-time, not \\"tomorrow\\"."}'],
    ['POST', '/api-keys', '{"name":"x","expires_at":"2001-01-01"}', 400, '{"error":"The expiry <time> is not in the future."}'],
    ['POST', '/api-keys', '{"name":"x","expires_at":5}', 400, '{"error":"\\"expires_at\\" must be an ISO-8601 string or null."}'],
    ['POST', '/api-keys', '{"name":"x","admin":true,"zz":1}', 400, '{"error":"Unknown field: admin, zz (known: name, capabilities, products, allowed_ips, expires_at, signature_scheme)."}'],
    ['POST', '/api-keys', '[]', 400, '{"error":"Send a JSON object: {\\"name\\": …, \\"capabilities\\": […], \\"products\\": […], \\"allowed_ips\\": […], \\"expires_at\\": …, \\"signature_scheme\\": …}."}'],
    ['POST', '/api-keys', '{"name":', 400, '{"error":"Malformed request body","errors":{"body":["The body is not valid JSON."]}}'],
    ['POST', '/api-keys', undefined, 400, '{"error":"Send a JSON object: {\\"name\\": …, \\"capabilities\\": […], \\"products\\": […], \\"allowed_ips\\": […], \\"expires_at\\": …, \\"signature_scheme\\": …}."}'],
    ['POST', '/api-keys', 'null', 400, '{"error":"Send a JSON object: {\\"name\\": …, \\"capabilities\\": […], \\"products\\": […], \\"allowed_ips\\": […], \\"expires_at\\": …, \\"signature_scheme\\": …}."}'],
    ['POST', '/api-keys', '"x"', 400, '{"error":"Send a JSON object: {\\"name\\": …, \\"capabilities\\": […], \\"products\\": […], \\"allowed_ips\\": […], \\"expires_at\\": …, \\"signature_scheme\\": …}."}'],
    ['POST', '/api-keys', '{"name":5}', 400, '{"error":"\\"name\\" is required and must be a string."}'],
    ['POST', '/api-keys', '{"name":"x","capabilities":null,"products":null,"allowed_ips":null,"expires_at":null,"_":1}', 400, '{"error":"Unknown field: _ (known: name, capabilities, products, allowed_ips, expires_at, signature_scheme)."}'],
    ['POST', '/api-keys', '{"name":"x","capabilities":[]}', 400, '{"error":"An API key needs at least one capability."}'],
    ['POST', '/api-keys', '{"name":"x","products":[1.5]}', 400, '{"error":"\\"products\\" must be a list of positive integer product ids."}'],
    ['POST', '/api-keys', '{"name":"x","products":[1e+300]}', 400, '{"error":"\\"products\\" must be a list of positive integer product ids."}'],
    ['POST', '/api-keys', '{"name":"x","products":[0]}', 400, '{"error":"\\"products\\" must be a list of positive integer product ids."}'],
    ['POST', '/api-keys', '{"name":"x","capabilities":["send_telemetry",5]}', 400, '{"error":"\\"capabilities\\" must be a list of strings."}'],
    ['POST', '/api-keys', '{"name":"x","signature_scheme":"php"}', 400, '{"error":"Unknown signature scheme: php (known: auto, contract, getkeymanager-js, getkeymanager-php)."}'],
    ['POST', '/api-keys', '{"name":"x","signature_scheme":false}', 400, '{"error":"\\"signature_scheme\\" must be a string or null."}'],
    ['POST', '/api-keys/999999/deactivate', undefined, 404, '{"error":"No API key with id 999999."}'],
    ['POST', '/api-keys/abc/deactivate', undefined, 404, '{"error":"No API key with id abc."}'],
    ['POST', '/api-keys/0/deactivate', undefined, 404, '{"error":"No API key with id 0."}'],
    ['POST', '/api-keys/-1/deactivate', undefined, 404, '{"error":"No API key with id -1."}'],
    ['POST', '/api-keys/1000000000000000/deactivate', undefined, 404, '{"error":"No API key with id 1000000000000000."}'],
    ['POST', '/api-keys/9007199254740993/deactivate', undefined, 404, '{"error":"No API key with id 9007199254740993."}'],
    ['POST', '/api-keys/%201/deactivate', undefined, 404, '{"error":"No API key with id  1."}'],
    ['POST', '/api-keys/999999/activate', undefined, 404, '{"error":"No API key with id 999999."}'],
    ['POST', '/api-keys/abc/activate', undefined, 404, '{"error":"No API key with id abc."}'],
    ['POST', '/api-keys/0/activate', undefined, 404, '{"error":"No API key with id 0."}'],
    ['POST', '/api-keys/-1/activate', undefined, 404, '{"error":"No API key with id -1."}'],
    ['POST', '/api-keys/1000000000000000/activate', undefined, 404, '{"error":"No API key with id 1000000000000000."}'],
    ['POST', '/api-keys/9007199254740993/activate', undefined, 404, '{"error":"No API key with id 9007199254740993."}'],
    ['POST', '/api-keys/%201/activate', undefined, 404, '{"error":"No API key with id  1."}'],
    ['POST', '/api-keys/999999/revoke', undefined, 404, '{"error":"No API key with id 999999."}'],
    ['POST', '/api-keys/abc/revoke', undefined, 404, '{"error":"No API key with id abc."}'],
    ['POST', '/api-keys/0/revoke', undefined, 404, '{"error":"No API key with id 0."}'],
    ['POST', '/api-keys/-1/revoke', undefined, 404, '{"error":"No API key with id -1."}'],
    ['POST', '/api-keys/1000000000000000/revoke', undefined, 404, '{"error":"No API key with id 1000000000000000."}'],
    ['POST', '/api-keys/9007199254740993/revoke', undefined, 404, '{"error":"No API key with id 9007199254740993."}'],
    ['POST', '/api-keys/%201/revoke', undefined, 404, '{"error":"No API key with id  1."}'],
    ['POST', '/api-keys/999999/rotate', undefined, 404, '{"error":"No API key with id 999999."}'],
    ['POST', '/api-keys/abc/rotate', undefined, 404, '{"error":"No API key with id abc."}'],
    ['POST', '/api-keys/0/rotate', undefined, 404, '{"error":"No API key with id 0."}'],
    ['POST', '/api-keys/-1/rotate', undefined, 404, '{"error":"No API key with id -1."}'],
    ['POST', '/api-keys/1000000000000000/rotate', undefined, 404, '{"error":"No API key with id 1000000000000000."}'],
    ['POST', '/api-keys/9007199254740993/rotate', undefined, 404, '{"error":"No API key with id 9007199254740993."}'],
    ['POST', '/api-keys/%201/rotate', undefined, 404, '{"error":"No API key with id  1."}'],
    ['POST', '/api-keys/6/activate', undefined, 400, '{"error":"API key 6 is revoked; revoked keys never authenticate again."}'],
    ['POST', '/api-keys/6/rotate', undefined, 400, '{"error":"API key 6 is revoked; a revoked key cannot be rotated."}'],
    ['POST', '/api-keys/abc/rotate', '{"zz":1}', 404, '{"error":"No API key with id abc."}'],
    ['POST', '/api-keys/1/rotate', '[]', 400, '{"error":"Send a JSON object: {\\"grace_seconds\\": N}."}'],
    ['POST', '/api-keys/1/rotate', '{"zz":1,"yy":2}', 400, '{"error":"Unknown field: zz, yy (known: grace_seconds)."}'],
    ['POST', '/api-keys/1/rotate', '{"grace_seconds":"60"}', 400, '{"error":"\\"grace_seconds\\" must be a whole number of seconds."}'],
    ['POST', '/api-keys/1/rotate', '{"grace_seconds":1.5}', 400, '{"error":"\\"grace_seconds\\" must be a whole number of seconds."}'],
    ['POST', '/api-keys/1/rotate', '{"grace_seconds":-1}', 400, '{"error":"The grace must be a whole number of seconds from 0 to 2592000."}'],
    ['POST', '/api-keys/1/rotate', '{"grace_seconds":2592001}', 400, '{"error":"The grace must be a whole number of seconds from 0 to 2592000."}'],
    ['POST', '/api-keys/1/rotate', '5', 400, '{"error":"Send a JSON object: {\\"grace_seconds\\": N}."}'],
    ['POST', '/api-keys/1/rotate', '"x"', 400, '{"error":"Send a JSON object: {\\"grace_seconds\\": N}."}'],
    ['POST', '/api-keys/999999/update', '{"signature_scheme":"auto"}', 404, '{"error":"No API key with id 999999."}'],
    ['POST', '/api-keys/abc/update', '{"zz":1}', 404, '{"error":"No API key with id abc."}'],
    ['POST', '/api-keys/6/update', '{"signature_scheme":"contract"}', 400, '{"error":"API key 6 is revoked; revoked keys never authenticate again."}'],
    ['POST', '/api-keys/1/update', undefined, 400, '{"error":"Nothing to change: give a signature scheme."}'],
    ['POST', '/api-keys/1/update', '{}', 400, '{"error":"Nothing to change: give a signature scheme."}'],
    ['POST', '/api-keys/1/update', '{"signature_scheme":" "}', 400, '{"error":"Nothing to change: give a signature scheme."}'],
    ['POST', '/api-keys/1/update', '{"signature_scheme":"RSA"}', 400, '{"error":"Unknown signature scheme: RSA (known: auto, contract, getkeymanager-js, getkeymanager-php)."}'],
    ['POST', '/api-keys/1/update', '{"signature_scheme":7}', 400, '{"error":"\\"signature_scheme\\" must be a string or null."}'],
    ['POST', '/api-keys/1/update', '{"name":"x"}', 400, '{"error":"Unknown field: name (known: signature_scheme)."}'],
    ['POST', '/api-keys/1/update', '[]', 400, '{"error":"Send a JSON object: {\\"signature_scheme\\": …}."}'],
  ],
  'blocklist': [
    ['POST', '/blocklist', '{"kind":"email","value":"x"}', 400, '{"error":"kind must be one of ip, user_identifier, license_key."}'],
    ['POST', '/blocklist', '{"value":"x"}', 400, '{"error":"kind must be one of ip, user_identifier, license_key."}'],
    ['POST', '/blocklist', '{"kind":"ip","value":"not-an-ip"}', 400, '{"error":"\\"not-an-ip\\" is not an IP address or CIDR (e.g. 203.0.113.7, 10.0.0.0/8, 2001:db8::/32)."}'],
    ['POST', '/blocklist', '{"kind":"license_key","value":"   "}', 400, '{"error":"value must be a non-empty string."}'],
    ['POST', '/blocklist', '{"kind":"license_key","value":42}', 400, '{"error":"value must be a non-empty string."}'],
    ['POST', '/blocklist', `{"kind":"license_key","value":"${long(256)}"}`, 400, '{"error":"value must not be longer than 255 characters."}'],
    ['POST', '/blocklist', '{"kind":"license_key","value":"K","product_id":"abc"}', 400, '{"error":"product_id must be a positive integer."}'],
    ['POST', '/blocklist', '{"kind":"license_key","value":"K","product_id":424242}', 400, '{"error":"Product 424242 does not exist."}'],
    ['POST', '/blocklist', '{"kind":"license_key","value":"K","reason":7}', 400, '{"error":"reason must be a string."}'],
    ['POST', '/blocklist', '["kind","ip"]', 400, '{"error":"Send a JSON object: {\\"kind\\": \\"ip\\"|\\"user_identifier\\"|\\"license_key\\", \\"value\\": …, \\"product_id\\"?: …, \\"reason\\"?: …, \\"ignore_case\\"?: …}."}'],
    ['POST', '/blocklist', 'null', 400, '{"error":"Send a JSON object: {\\"kind\\": \\"ip\\"|\\"user_identifier\\"|\\"license_key\\", \\"value\\": …, \\"product_id\\"?: …, \\"reason\\"?: …, \\"ignore_case\\"?: …}."}'],
    ['POST', '/blocklist', '{"kind": ', 400, '{"error":"Malformed request body","errors":{"body":["The body is not valid JSON."]}}'],
    ['POST', '/blocklist', undefined, 400, '{"error":"Send a JSON object: {\\"kind\\": \\"ip\\"|\\"user_identifier\\"|\\"license_key\\", \\"value\\": …, \\"product_id\\"?: …, \\"reason\\"?: …, \\"ignore_case\\"?: …}."}'],
    ['POST', '/blocklist', '{"kind":"license_key"}', 400, '{"error":"value must be a non-empty string."}'],
    ['POST', '/blocklist', '{"kind":"license_key","value":"K","product_id":0}', 400, '{"error":"product_id must be a positive integer."}'],
    ['POST', '/blocklist', '{"kind":"license_key","value":"K","product_id":"0"}', 400, '{"error":"product_id must be a positive integer."}'],
    ['POST', '/blocklist', '{"kind":"license_key","value":"K","product_id":1.5}', 400, '{"error":"product_id must be a positive integer."}'],
    ['POST', '/blocklist', '{"kind":"license_key","value":"K","product_id":true}', 400, '{"error":"product_id must be a positive integer."}'],
    ['POST', '/blocklist', `{"kind":"license_key","value":"K","reason":"${long(1001)}"}`, 400, '{"error":"reason must not be longer than 1000 characters."}'],
    ['POST', '/blocklist', '{"kind":"license_key","value":"K\\u0000"}', 400, '{"error":"value must not contain U+0000."}'],
    ['POST', '/blocklist', '{"kind":5}', 400, '{"error":"kind must be one of ip, user_identifier, license_key."}'],
    ['POST', '/blocklist', '{"kind":"license_key","value":"DUP1","product_id":" 1 ","reason":null,"extra":1}', 201, '{"id":1,"kind":"license_key","value":"DUP1","product_id":1,"reason":null,"ignore_case":false,"created_at":"<time>"}'],
    ['POST', '/blocklist', '{"kind":"license_key","value":" DUP1","product_id":1}', 409, '{"error":"This entry is already on the blocklist."}'],
    ['DELETE', '/blocklist/abc', undefined, 400, '{"error":"The id must be a positive integer."}'],
    ['DELETE', '/blocklist/0', undefined, 400, '{"error":"The id must be a positive integer."}'],
    ['DELETE', '/blocklist/-1', undefined, 400, '{"error":"The id must be a positive integer."}'],
    ['DELETE', '/blocklist/1.5', undefined, 400, '{"error":"The id must be a positive integer."}'],
    ['DELETE', '/blocklist/99999999999999999999', undefined, 400, '{"error":"The id must be a positive integer."}'],
    ['DELETE', '/blocklist/999999', undefined, 404, '{"error":"No blocklist entry 999999."}'],
    ['DELETE', '/blocklist/0000000000000001', undefined, 400, '{"error":"The id must be a positive integer."}'],
    ['DELETE', '/blocklist/1000000000000000', undefined, 400, '{"error":"The id must be a positive integer."}'],
    ['DELETE', '/blocklist/01', undefined, 200, '{"id":1,"removed":true}'],
    ['DELETE', '/blocklist/1', undefined, 404, '{"error":"No blocklist entry 1."}'],
  ],
  'products': [
    ['POST', '/products', '{}', 400, '{"error":"A product needs a name."}'],
    ['POST', '/products', '{"name":true}', 400, '{"error":"A product needs a name."}'],
    ['POST', '/products', undefined, 400, '{"error":"A product needs a name."}'],
    ['POST', '/products', '[1]', 400, '{"error":"A product needs a name."}'],
    ['POST', '/products/abc/versions', '{"version":"1"}', 400, '{"error":"A product id must be a positive integer, not NaN."}'],
    ['POST', '/products/0/versions', '{"version":"1"}', 400, '{"error":"A product id must be a positive integer, not 0."}'],
    ['POST', '/products/999999/versions', '{"version":"1"}', 400, '{"error":"No product with id 999999."}'],
    ['POST', '/products/1/versions', '{}', 400, '{"error":"A product version must not be empty."}'],
    ['POST', '/products/1/versions', '{"version":true}', 400, '{"error":"A product version must not be empty."}'],
    ['POST', '/products/00/versions', '{}', 400, '{"error":"A product id must be a positive integer, not 0."}'],
    ['POST', '/products//versions', '{}', 400, '{"error":"A product id must be a positive integer, not NaN."}'],
    ['POST', '/products/1.5/versions', '{}', 400, '{"error":"A product id must be a positive integer, not NaN."}'],
  ],
  'licenses': [
    ['POST', '/licenses', '{}', 400, '{"error":"The product id must be a positive integer. The license key must not be empty."}'],
    ['POST', '/licenses', '{"product_id":true,"key":"k"}', 400, '{"error":"The product id must be a positive integer."}'],
    ['POST', '/licenses', '{"product_id":1,"key":"LIC-ACTIVE"}', 400, '{"error":"License \\"LIC-ACTIVE\\" already exists for product 1."}'],
    ['POST', '/licenses', '{"product_id":1,"key":"k","status":"x","expires_at":"y"}', 400, '{"error":"The status must be active or blocked, not \\"x\\". The expiry must be an ISO-8601 date or date-time, not \\"y\\"."}'],
    ['POST', '/licenses', '{"product_id":1.5,"key":""}', 400, '{"error":"The product id must be a positive integer. The license key must not be empty."}'],
    ['POST', '/licenses', '{"product_id":"0","key":"k"}', 400, '{"error":"The product id must be a positive integer."}'],
    ['POST', '/licenses', '{"product_id":999999,"key":"k"}', 400, '{"error":"No product with id 999999."}'],
    ['POST', '/licenses', 'null', 400, '{"error":"The product id must be a positive integer. The license key must not be empty."}'],
    ['POST', '/licenses', '{"product_id":" 1 ","key":["a"]}', 400, '{"error":"The license key must not be empty."}'],
    ['GET', '/licenses?key=a&key=b', undefined, 400, '{"error":"The list parameters are invalid.","errors":{"key":["The key field must be a string."]}}'],
    ['GET', '/licenses?key[]=a', undefined, 400, '{"error":"The list parameters are invalid.","errors":{"key[]":["The key[] parameter is not supported."]}}'],
    ['GET', '/licenses?key=%zz', undefined, 200, '{"licenses":[],"next":null}'],
    ['GET', '/licenses?key=LIC-B&product_id=1', undefined, 200, '{"licenses":[],"next":null}'],
    ['GET', '/licenses?expires_before=soon', undefined, 400, '{"error":"The expires-before time must be an ISO-8601 date or date-time, not \\"soon\\"."}'],
    ['GET', '/licenses?after=x', undefined, 400, '{"error":"The after value must be the next of the page before, not \\"x\\"."}'],
    ['POST', '/licenses/import', '{}', 400, '{"error":"The file is empty."}'],
    ['POST', '/licenses/import', '{"text":5}', 400, '{"error":"Unknown column(s) in the header: 5 (known: product_id, key, status, expires_at, max_activations)."}'],
    ['POST', '/licenses/import', '{"text":"product_id,key\\nx,\\n"}', 400, '{"error":"1 bad row(s), nothing imported:\\n  line 2: Missing key."}'],
    ['POST', '/licenses/import', '[]', 400, '{"error":"The file is empty."}'],
  ],
  'activations': [
    ['POST', '/activations', '{}', 400, '{"error":"An activation needs an identifier."}'],
    ['POST', '/activations', '{"license_key":"x","identifier":"m","product_id":"abc"}', 400, '{"error":"A product id must be a positive integer, not NaN."}'],
    ['POST', '/activations', '{"license_key":"LIC-B","identifier":"m","product_id":0}', 400, '{"error":"A product id must be a positive integer, not 0."}'],
    ['POST', '/activations', '{"license_key":"nope","identifier":"m","product_id":true}', 400, '{"error":"No license \\"nope\\"."}'],
    ['POST', '/activations', '{"license_key":"nope","identifier":"m","product_id":" "}', 400, '{"error":"No license \\"nope\\"."}'],
    ['POST', '/activations', '{"license_key":"nope","identifier":"m","product_id":"2"}', 400, '{"error":"No license \\"nope\\" for product 2."}'],
    ['POST', '/activations', `{"license_key":"nope","identifier":"${long(256)}"}`, 400, '{"error":"An activation identifier must not be longer than 255 characters."}'],
    ['POST', '/activations', '{"license_key":5,"identifier":6}', 400, '{"error":"No license \\"5\\"."}'],
  ],
  'nothing': [
    ['GET', '/nothing', undefined, 404, '{"error":"No such admin endpoint."}'],
  ],
  'session': [
    ['GET', '/session', undefined, 200, '{"authenticated_by":"token","account":null,"role":"owner","csrf_token":null,"expires_at":null}'],
  ],
};

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(() => server.close());

async function answer(method: string, path: string, body: string | undefined): Promise<{ status: number; type: string | null; text: string }> {
  const headers: Record<string, string> = { authorization: `Bearer ${server.adminToken}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.url}/admin/api${path}`, { method, headers, body });
  return { status: res.status, type: res.headers.get('content-type'), text: (await res.text()).replace(TIME, '<time>') };
}

describe('admin API answers, byte for byte', () => {
  for (const [family, rows] of Object.entries(ROWS)) {
    it(`/admin/api/${family} answers each request exactly as pinned`, async () => {
      for (const [method, path, body, status, text] of rows) {
        const got = await answer(method, path, body);
        const request = `${method} ${path} ${body ?? ''}`;
        assert.equal(got.status, status, request);
        assert.equal(got.text, text, request);
        assert.equal(got.type, 'application/json; charset=utf-8', request);
      }
    });
  }
});
