import { it } from 'node:test';

/**
 * Registers the tests `describeTests` declares when a service answers (`unreachable` resolved to
 * null). Otherwise one test that fails when the service is required (CI sets
 * TALLY_TEST_REQUIRE_POSTGRES / _REDIS), or is skipped with the reason and `hint`.
 */
export async function describeWhenReachable(
  what: string,
  unreachable: Promise<string | null>,
  required: boolean,
  hint: string,
  describeTests: () => void,
): Promise<void> {
  const reason = await unreachable;
  if (reason === null) {
    describeTests();
  } else if (required) {
    it(`the service is reachable for ${what} (${hint})`, () => {
      throw new Error(reason);
    });
  } else {
    it(`runs ${what}`, { skip: `${reason}; ${hint}` }, () => undefined);
  }
}
