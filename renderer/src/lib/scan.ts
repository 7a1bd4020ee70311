/**
 * The scan field's logic, kept free of the DOM so it can be tested in Node.
 *
 * A USB barcode scanner in keyboard-wedge mode "types" the serial much faster than a person
 * (a few ms per key) and ends with Enter. Both paths submit on Enter; the detector only tells
 * them apart so the counter can treat a scanner burst that hits an open dialog as a new scan
 * instead of letting its trailing Enter confirm something the clerk never looked at.
 */
import { normaliseSerial, SERIAL_MAX_LENGTH, type SerialCheck } from '../../../shared/domain/serial.js';

export type ScanProblem = Extract<SerialCheck, { ok: false }>['problem'];

export type ParsedScan = { ok: true; serial: string } | { ok: false; problem: ScanProblem; length: number };

/** Trim and normalise what was typed or scanned; a malformed serial never reaches main. */
export function parseScan(raw: string): ParsedScan {
  const check = normaliseSerial(raw);
  if (check.ok) return check;
  const length = [...raw.normalize('NFKC').replace(/[\s-]+/g, '')].length;
  return { ok: false, problem: check.problem, length };
}

export { SERIAL_MAX_LENGTH };

export type EntryMethod = 'scanner' | 'keyboard';

export interface WedgeOptions {
  /** Longest pause between two scanner keystrokes. People rarely type under ~60 ms per key. */
  maxGapMs: number;
  /** Fewest characters in a burst before it counts as a scan. */
  minChars: number;
}

export const DEFAULT_WEDGE_OPTIONS: WedgeOptions = { maxGapMs: 35, minChars: 4 };

/** Is this keydown one that types a character (as opposed to Enter, Tab, arrows, shortcuts)? */
export function isCharacterKey(event: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean }): boolean {
  return event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey;
}

/**
 * Watches keystroke timing. Feed it every character key with its timestamp; ask at Enter how
 * the current run was entered. A pause longer than maxGapMs starts a new run.
 */
export class WedgeDetector {
  readonly #options: WedgeOptions;
  #runLength = 0;
  #lastAt: number | null = null;

  constructor(options: Partial<WedgeOptions> = {}) {
    this.#options = { ...DEFAULT_WEDGE_OPTIONS, ...options };
  }

  keystroke(at: number): void {
    if (this.#lastAt !== null && at - this.#lastAt <= this.#options.maxGapMs) {
      this.#runLength += 1;
    } else {
      this.#runLength = 1;
    }
    this.#lastAt = at;
  }

  /** How the keys since the last pause were entered, judged at `at` (usually the Enter). */
  method(at: number): EntryMethod {
    if (this.#lastAt === null) return 'keyboard';
    const fresh = at - this.#lastAt <= this.#options.maxGapMs;
    return fresh && this.#runLength >= this.#options.minChars ? 'scanner' : 'keyboard';
  }

  /** True while a run of keys is arriving at scanner speed, even before it is long enough. */
  inBurst(at: number): boolean {
    return this.#lastAt !== null && at - this.#lastAt <= this.#options.maxGapMs && this.#runLength >= 2;
  }

  reset(): void {
    this.#runLength = 0;
    this.#lastAt = null;
  }
}

/**
 * Whether the scan field should take focus back after it lost it. It yields to another control
 * the clerk moved to on purpose (a button, a field), and never while a dialog or Settings is open.
 */
export function shouldRefocusScan(input: { blockedByOverlay: boolean; focusMovedTo: EventTarget | null }): boolean {
  return !input.blockedByOverlay && input.focusMovedTo === null;
}
