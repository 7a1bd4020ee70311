/**
 * The manager PIN that refunds need (issue 4). Stored only as a salted scrypt hash in the settings
 * store, compared in constant time, never logged and never read back. Wrong PINs are throttled:
 * after MANAGER_PIN_POLICY.maxFailures wrong tries in a row, every PIN is refused for lockoutMs
 * without even being checked. The throttle is kept in the settings store too, so a fresh process
 * (the command line) cannot be used to reset it.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { DeskError } from '../../../shared/errors.js';
import type { SettingsStore } from './settings.js';

export const MANAGER_PIN_KEY = 'managerPinHash';
export const MANAGER_PIN_THROTTLE_KEY = 'managerPinThrottle';

export const MANAGER_PIN_POLICY = Object.freeze({ maxFailures: 5, lockoutMs: 60_000 });

/** scrypt cost: N = 2^14, r = 8, p = 1 (about 16 MiB and a few tens of ms), 32-byte key, 16-byte salt. */
const SCRYPT = Object.freeze({ N: 16_384, r: 8, p: 1, keyLength: 32, saltLength: 16 });
const PIN_FORMAT = /^\d{4,12}$/;

function derive(pin: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pin.normalize('NFKC'), salt, keyLength, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** "scrypt$N$r$p$salt$hash" (base64url), self-describing so the cost can be raised later. */
export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(SCRYPT.saltLength);
  const key = await derive(pin, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export function isPinHash(value: unknown): value is string {
  return typeof value === 'string' && /^scrypt\$\d+\$\d+\$\d+\$[\w-]+\$[\w-]+$/.test(value);
}

/** Constant-time check of a PIN against a stored hash; false for an unreadable hash. */
export async function verifyPinHash(pin: string, stored: string): Promise<boolean> {
  if (!isPinHash(stored)) return false;
  const [, n, r, p, saltText, keyText] = stored.split('$') as [string, string, string, string, string, string];
  const expected = Buffer.from(keyText, 'base64url');
  const N = Number(n);
  if (expected.length < 16 || !Number.isSafeInteger(N) || N < 2 || N > 1 << 20) return false;
  const actual = await derive(pin, Buffer.from(saltText, 'base64url'), expected.length, {
    N,
    r: Number(r),
    p: Number(p),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export type PinCheck =
  | { ok: true }
  | { ok: false; why: 'not_set' }
  | { ok: false; why: 'wrong'; triesLeft: number }
  | { ok: false; why: 'locked'; retryAfterMs: number };

export interface ManagerPin {
  isSet(): boolean;
  /** Checks a PIN under the throttle; a wrong PIN counts towards the lockout. */
  check(pin: string): Promise<PinCheck>;
  /**
   * Sets or changes the PIN. Once one is set, `current` must be given and right (else bad_input;
   * forbidden while locked out).
   */
  change(next: string, current: string | undefined): Promise<void>;
}

interface Throttle {
  failures: number;
  lockedUntilMs: number;
}

export function createManagerPin(options: { store: SettingsStore; now: () => Date }): ManagerPin {
  const { store } = options;
  const nowMs = () => options.now().getTime();

  const storedHash = (): string | null => {
    const value = store.get(MANAGER_PIN_KEY);
    return isPinHash(value) ? value : null;
  };

  const readThrottle = (): Throttle => {
    const raw = store.get(MANAGER_PIN_THROTTLE_KEY) as Partial<Throttle> | undefined;
    const failures = typeof raw?.failures === 'number' && raw.failures >= 0 ? Math.trunc(raw.failures) : 0;
    const lockedUntilMs = typeof raw?.lockedUntilMs === 'number' ? raw.lockedUntilMs : 0;
    return { failures, lockedUntilMs };
  };
  const writeThrottle = (t: Throttle): void => store.set(MANAGER_PIN_THROTTLE_KEY, t);

  async function check(pin: string): Promise<PinCheck> {
    const hash = storedHash();
    if (hash === null) return { ok: false, why: 'not_set' };
    const throttle = readThrottle();
    const t = nowMs();
    if (throttle.lockedUntilMs > t) return { ok: false, why: 'locked', retryAfterMs: throttle.lockedUntilMs - t };
    const right = PIN_FORMAT.test(pin) && (await verifyPinHash(pin, hash));
    if (right) {
      if (throttle.failures !== 0 || throttle.lockedUntilMs !== 0) writeThrottle({ failures: 0, lockedUntilMs: 0 });
      return { ok: true };
    }
    // Re-read: another check may have counted meanwhile.
    const latest = readThrottle();
    const failures = latest.failures + 1;
    if (failures >= MANAGER_PIN_POLICY.maxFailures) {
      writeThrottle({ failures: 0, lockedUntilMs: nowMs() + MANAGER_PIN_POLICY.lockoutMs });
      return { ok: false, why: 'locked', retryAfterMs: MANAGER_PIN_POLICY.lockoutMs };
    }
    writeThrottle({ failures, lockedUntilMs: 0 });
    return { ok: false, why: 'wrong', triesLeft: MANAGER_PIN_POLICY.maxFailures - failures };
  }

  return {
    isSet: () => storedHash() !== null,
    check,
    async change(next, current) {
      if (!PIN_FORMAT.test(next)) throw new DeskError('bad_input', 'The manager PIN must be 4–12 digits.');
      if (storedHash() !== null) {
        if (current === undefined || current === '')
          throw new DeskError('bad_input', 'Enter the current manager PIN to change it.');
        const result = await check(current);
        if (!result.ok) {
          if (result.why === 'locked') throw lockedError(result.retryAfterMs);
          throw new DeskError('bad_input', 'The current manager PIN is wrong; the PIN was not changed.');
        }
      }
      store.set(MANAGER_PIN_KEY, await hashPin(next));
    },
  };
}

export function lockedError(retryAfterMs: number): DeskError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new DeskError('forbidden', `Too many wrong manager PINs: try again in ${seconds} s.`);
}
