/** This shift's redemptions, newest first, and starting a new shift. */
import type { AppStatus, DeskApi, ShiftRedemption } from '../../../shared/contract.js';
import type { IpcResult, WireError } from '../../../shared/errors.js';
import { callSafely } from '../lib/call.js';
import { LatestOnly } from '../lib/lookup.js';
import type { DeskStatus } from './desk.svelte.js';

export function newestFirst(rows: readonly ShiftRedemption[]): ShiftRedemption[] {
  return [...rows].sort((a, b) => (Date.parse(b.at) || 0) - (Date.parse(a.at) || 0));
}

export class ShiftLog {
  rows = $state.raw<readonly ShiftRedemption[]>([]);
  loadError = $state.raw<WireError | null>(null);
  readonly #api: DeskApi;
  readonly #desk: DeskStatus;
  readonly #latest = new LatestOnly();

  constructor(api: DeskApi, desk: DeskStatus) {
    this.#api = api;
    this.#desk = desk;
  }

  async refresh(): Promise<void> {
    const ticket = this.#latest.next();
    const result = await callSafely(() => this.#api.listShiftRedemptions({}));
    if (!this.#latest.isCurrent(ticket)) return;
    if (result.ok) {
      this.rows = newestFirst(result.value);
      this.loadError = null;
    } else {
      this.loadError = result.error;
    }
  }

  async startShift(operatorName: string): Promise<IpcResult<AppStatus>> {
    const result = await callSafely(() => this.#api.startShift({ operatorName }));
    if (result.ok) {
      this.#desk.apply(result.value);
      await this.refresh();
    }
    return result;
  }
}
