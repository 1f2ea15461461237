import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { RegistryInputError } from '../../model/errors.js';

/** scrypt's cost: N = 2^ln, block size r, parallelism p (docs/decisions/0028-password-hashing.md). */
export interface ScryptCost {
  ln: number;
  r: number;
  p: number;
}

/** The block size and parallelism of every new hash; only N is a setting. */
const BLOCK_SIZE = 8;
const PARALLELISM = 1;

/** What new hashes are made with by default: N = 2^15 (32 MiB of memory per hash), r = 8, p = 1; 50–150 ms on a server core. */
export const PASSWORD_COST: Readonly<ScryptCost> = Object.freeze({ ln: 15, r: BLOCK_SIZE, p: PARALLELISM });

/**
 * The cost of new hashes for `--password-hash-cost` (log2 N; docs/decisions/0037-password-hash-cost-setting.md).
 * Stored hashes keep their own cost, so changing it never breaks a login.
 */
export function passwordCost(ln: number): Readonly<ScryptCost> {
  return ln === PASSWORD_COST.ln ? PASSWORD_COST : Object.freeze({ ln, r: BLOCK_SIZE, p: PARALLELISM });
}

const SALT_BYTES = 16;
const HASH_BYTES = 32;
export const MIN_PASSWORD_CHARS = 10;
export const MAX_PASSWORD_CHARS = 1024;
/** `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` (PHC string format, unpadded base64). */
const HASH_FORMAT = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

function derive(password: string, salt: Buffer, cost: ScryptCost, bytes: number): Promise<Buffer> {
  // 128·N·r bytes are needed; twice that leaves the default's headroom.
  const options: ScryptOptions = { N: 2 ** cost.ln, r: cost.r, p: cost.p, maxmem: 256 * 2 ** cost.ln * cost.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, bytes, options, (error, key) => (error === null ? resolve(key) : reject(error)));
  });
}

const b64 = (buffer: Buffer): string => buffer.toString('base64').replace(/=+$/, '');

/** A new hash of `password` with a random salt; the string carries its cost, so the cost can be raised later. */
export async function hashPassword(password: string, cost: Readonly<ScryptCost>): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, cost, HASH_BYTES);
  return `$scrypt$ln=${cost.ln},r=${cost.r},p=${cost.p}$${b64(salt)}$${b64(hash)}`;
}

/** The cost a stored hash was made with, or null when the string is no hash of ours. */
export function hashCost(stored: string): ScryptCost | null {
  const match = HASH_FORMAT.exec(stored);
  if (match === null) return null;
  return { ln: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
}

/** Whether `password` is the one `stored` was made from; compared in constant time. A malformed hash matches nothing. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = HASH_FORMAT.exec(stored);
  const cost = hashCost(stored);
  if (match === null || cost === null || cost.ln > 22 || cost.ln < 1) return false;
  const expected = Buffer.from(match[5] ?? '', 'base64');
  const actual = await derive(password, Buffer.from(match[4] ?? '', 'base64'), cost, expected.length);
  return expected.length > 0 && timingSafeEqual(actual, expected);
}

/** True when `stored` was made with less than `current` (the configured cost): the login that proves the password rehashes it. */
export function hashNeedsUpgrade(stored: string, current: Readonly<ScryptCost>): boolean {
  const cost = hashCost(stored);
  return cost === null || cost.ln < current.ln || cost.r < current.r || cost.p < current.p;
}

/**
 * A hash no password matches, made once per cost: logins of unknown names are checked against the
 * one of the configured cost, so an unknown name takes as long as a known one with a wrong password.
 */
const decoys = new Map<string, Promise<string>>();
export function decoyHash(cost: Readonly<ScryptCost>): Promise<string> {
  const key = `${cost.ln},${cost.r},${cost.p}`;
  let decoy = decoys.get(key);
  if (decoy === undefined) {
    decoy = hashPassword(randomBytes(32).toString('base64'), cost);
    decoys.set(key, decoy);
  }
  return decoy;
}

/** Refuses a password people should not use: too short, too long. */
export function checkPassword(password: string): void {
  const chars = [...password].length;
  if (chars < MIN_PASSWORD_CHARS) throw new RegistryInputError(`A password needs at least ${MIN_PASSWORD_CHARS} characters.`);
  if (chars > MAX_PASSWORD_CHARS) throw new RegistryInputError(`A password has at most ${MAX_PASSWORD_CHARS} characters.`);
}

/** A random password for a new or reset account (20 characters, 120 bits), shown once. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}
