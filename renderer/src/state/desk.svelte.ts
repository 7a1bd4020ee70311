/**
 * AppStatus as the renderer knows it: read once at start, then kept current by main's
 * statusChanged pushes, which enter through createSubscriber while the UI is showing it.
 */
import { createSubscriber } from 'svelte/reactivity';
import type { AppStatus, DeskApi } from '../../../shared/contract.js';
import type { WireError } from '../../../shared/errors.js';
import type { I18n } from './i18n.svelte.js';
import { callSafely } from '../lib/call.js';

export class DeskStatus {
  #status = $state.raw<AppStatus | null>(null);
  loadError = $state.raw<WireError | null>(null);
  readonly #subscribe: () => void;
  readonly #api: DeskApi;
  readonly #i18n: I18n;

  constructor(api: DeskApi, i18n: I18n) {
    this.#api = api;
    this.#i18n = i18n;
    this.#subscribe = createSubscriber(() => api.on('statusChanged', (status) => this.apply(status)));
  }

  get current(): AppStatus | null {
    this.#subscribe();
    return this.#status;
  }

  apply(status: AppStatus): void {
    this.#status = status;
    this.loadError = null;
    this.#i18n.locale = status.locale;
  }

  async load(): Promise<void> {
    const result = await callSafely(() => this.#api.getAppStatus({}));
    if (result.ok) this.apply(result.value);
    else this.loadError = result.error;
  }
}
