/** Searching the vouchers saved on this desk: by serial, order id, buyer name or phone digits. */
import type { DeskApi, SearchResult } from '../../../shared/contract.js';
import type { WireError } from '../../../shared/errors.js';
import { callSafely } from '../lib/call.js';
import { LatestOnly } from '../lib/lookup.js';

export const SEARCH_LIMIT = 50;
export const SEARCH_DEBOUNCE_MS = 250;

export class SearchState {
  query = $state('');
  /** The query the shown result answers. */
  answered = $state('');
  result = $state.raw<SearchResult | null>(null);
  error = $state.raw<WireError | null>(null);
  searching = $state(false);

  readonly #api: DeskApi;
  readonly #latest = new LatestOnly();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(api: DeskApi) {
    this.#api = api;
  }

  /** While typing: search once the clerk pauses. */
  typed(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.search(), SEARCH_DEBOUNCE_MS);
  }

  async search(): Promise<void> {
    clearTimeout(this.#timer);
    const query = this.query.trim();
    const ticket = this.#latest.next();
    if (query === '') {
      this.result = null;
      this.error = null;
      this.answered = '';
      this.searching = false;
      return;
    }
    this.searching = true;
    const result = await callSafely(() => this.#api.searchVouchers({ query: query.slice(0, 60), limit: SEARCH_LIMIT }));
    if (!this.#latest.isCurrent(ticket)) return;
    this.searching = false;
    this.answered = query;
    if (result.ok) {
      this.result = result.value;
      this.error = null;
    } else {
      this.result = null;
      this.error = result.error;
    }
  }
}
