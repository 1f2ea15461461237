import { passwordCost } from '../src/registry/accounts/passwords.js';

/**
 * The `--password-hash-cost` the tests run with: scrypt N = 2^10 (about 1 ms a hash) instead of
 * the default 2^15 (about 150 ms on a busy machine), since hundreds of tests make accounts or log
 * in. The cost is carried by each hash, so nothing else changes; test/registry/passwords.test.ts
 * checks the default cost itself and the rehash on login.
 */
export const TEST_PASSWORD_HASH_COST = 10;

/** The same cost, as the `ScryptCost` the password functions take. */
export const TEST_PASSWORD_COST = passwordCost(TEST_PASSWORD_HASH_COST);

/** The environment variable that gives a spawned `tally` the tests' cost. */
export const TEST_PASSWORD_ENV = { TALLY_PASSWORD_HASH_COST: String(TEST_PASSWORD_HASH_COST) } as const;
