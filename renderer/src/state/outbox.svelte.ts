/** The outbox view's data: the chosen tab, its rows (re-read when main's revision moves), resolving a conflict. */
import type { ConflictResolution, DeskApi, OutboxEntry } from '../../../shared/contract.js';
import type { IpcResult, WireError } from '../../../shared/errors.js';
import { callSafely } from '../lib/call.js';
import { LatestOnly } from '../lib/lookup.js';
import { arrangeOutbox, type OutboxFilter } from '../lib/outbox.js';

export const OUTBOX_LIMIT = 500;

export class OutboxState {
  tab = $state<OutboxFilter>('open');
  rows = $state.raw<readonly OutboxEntry[]>([]);
  /** False until the first answer for the current tab, so an empty list is not claimed too early. */
  loaded = $state(false);
  loadError = $state.raw<WireError | null>(null);
  /** Only a view on screen is kept current; a hidden one reloads when it is shown. */
  #visible = false;

  readonly #api: DeskApi;
  readonly #latest = new LatestOnly();

  constructor(api: DeskApi) {
    this.#api = api;
  }

  /** Called by the view when it mounts; the returned function when it goes away. */
  shown(): () => void {
    this.#visible = true;
    void this.refresh();
    return () => {
      this.#visible = false;
    };
  }

  showTab(tab: OutboxFilter): void {
    if (tab === this.tab && this.loaded) return;
    this.tab = tab;
    this.rows = [];
    this.loaded = false;
    if (this.#visible) void this.refresh();
  }

  /** main's outbox changed. */
  revisionChanged(): void {
    if (this.#visible) void this.refresh();
  }

  async refresh(): Promise<void> {
    const ticket = this.#latest.next();
    const tab = this.tab;
    const result = await callSafely(() => this.#api.listOutbox({ filter: tab, limit: OUTBOX_LIMIT }));
    if (!this.#latest.isCurrent(ticket)) return;
    if (result.ok) {
      this.rows = arrangeOutbox(result.value, tab);
      this.loadError = null;
    } else {
      this.loadError = result.error;
    }
    this.loaded = true;
  }

  async resolve(redemptionId: string, resolution: ConflictResolution, note: string): Promise<IpcResult<OutboxEntry>> {
    const result = await callSafely(() => this.#api.resolveConflict({ redemptionId, resolution, note }));
    if (result.ok) {
      // Shown at once, whether or not a revision push follows.
      const resolved = result.value;
      this.rows = arrangeOutbox(
        this.rows.map((row) => (row.redemptionId === resolved.redemptionId ? resolved : row)),
        this.tab,
      );
      void this.refresh();
    }
    return result;
  }
}
