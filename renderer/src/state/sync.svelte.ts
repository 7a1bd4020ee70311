/**
 * Connectivity, the outbox counts and sync progress: read once at start, then kept current by
 * main's syncStatusChanged pushes, which enter through createSubscriber while something on
 * screen reads them. When main bumps `revision` (the outbox changed), the lists the UI holds
 * are re-read through the onRevision hook.
 */
import { createSubscriber } from 'svelte/reactivity';
import type { DeskApi, SyncStatus, SyncSummary } from '../../../shared/contract.js';
import type { WireError } from '../../../shared/errors.js';
import { callSafely } from '../lib/call.js';
import { bookingCountsMoved, connectivityState, RevisionGate, type ConnectivityState } from '../lib/sync.js';

export interface SyncHooks {
  /** The outbox changed in main: re-read the shift list, the outbox view, a queued card. */
  onRevision(): void;
  /** The WAUG booking counts moved: the Bookings tab, if shown, re-reads. */
  onBookingsChanged?(): void;
}

export class SyncState {
  #status = $state.raw<SyncStatus | null>(null);
  loadError = $state.raw<WireError | null>(null);
  /** A "Sync now" started here is running. */
  syncing = $state(false);
  /** The work-offline switch was flipped and main has not answered yet. */
  switching = $state(false);
  lastSummary = $state.raw<SyncSummary | null>(null);
  actionError = $state.raw<WireError | null>(null);

  readonly #api: DeskApi;
  readonly #hooks: SyncHooks;
  readonly #subscribe: () => void;
  readonly #gate = new RevisionGate();
  /** Counts pushes, so a slower getSyncStatus answer never overwrites a newer push. */
  #pushes = 0;

  constructor(api: DeskApi, hooks: SyncHooks) {
    this.#api = api;
    this.#hooks = hooks;
    this.#subscribe = createSubscriber(() => {
      const stop = api.on('syncStatusChanged', (status) => {
        this.#pushes += 1;
        this.apply(status);
      });
      // Anything pushed before the subscription opened would be missed: read once more.
      void this.load();
      return stop;
    });
  }

  get current(): SyncStatus | null {
    this.#subscribe();
    return this.#status;
  }

  get state(): ConnectivityState | null {
    const status = this.current;
    return status === null ? null : connectivityState(status);
  }

  /** True when the clerk switched to working offline: no call should go to Yahoo. */
  get workingOffline(): boolean {
    return this.#status?.workOffline ?? false;
  }

  apply(status: SyncStatus): void {
    const before = this.#status;
    this.#status = status;
    this.loadError = null;
    if (this.#gate.observe(status.revision)) this.#hooks.onRevision();
    if (before !== null && bookingCountsMoved(before, status)) this.#hooks.onBookingsChanged?.();
  }

  async load(): Promise<void> {
    const pushesBefore = this.#pushes;
    const result = await callSafely(() => this.#api.getSyncStatus({}));
    if (result.ok) {
      if (this.#pushes === pushesBefore) this.apply(result.value);
    } else if (this.#status === null) {
      this.loadError = result.error;
    }
  }

  async setWorkOffline(workOffline: boolean): Promise<void> {
    if (this.switching) return;
    this.switching = true;
    this.actionError = null;
    const result = await callSafely(() => this.#api.setWorkOffline({ workOffline }));
    this.switching = false;
    if (result.ok) this.apply(result.value);
    else this.actionError = result.error;
  }

  async syncNow(): Promise<void> {
    if (this.syncing) return;
    this.syncing = true;
    this.actionError = null;
    const result = await callSafely(() => this.#api.syncNow({}));
    this.syncing = false;
    if (result.ok) this.lastSummary = result.value;
    else this.actionError = result.error;
    // The summary's counts are in the status too; read it in case a push was missed.
    await this.load();
  }
}
