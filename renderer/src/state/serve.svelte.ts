/**
 * The merchant endpoints (`serve`) as Settings shows them: their status, read once and then
 * kept current by main's serveStatusChanged pushes (through createSubscriber while Settings
 * reads it), and the switch with its port and host.
 */
import { createSubscriber } from 'svelte/reactivity';
import type { DeskApi, ServeStatus } from '../../../shared/contract.js';
import type { WireError } from '../../../shared/errors.js';
import { callSafely } from '../lib/call.js';
import {
  checkServeRequest,
  DEFAULT_SERVE_HOST,
  DEFAULT_SERVE_PORT,
  draftFromUrl,
  type ServeDraft,
  type ServeErrors,
} from '../lib/serve.js';

export class ServeSettings {
  #status = $state.raw<ServeStatus | null>(null);
  loadError = $state.raw<WireError | null>(null);
  draft = $state<ServeDraft>({ port: DEFAULT_SERVE_PORT, host: DEFAULT_SERVE_HOST });
  errors = $state.raw<ServeErrors>({});
  /** The switch was flipped and main has not answered yet. */
  switching = $state(false);
  actionError = $state.raw<WireError | null>(null);

  readonly #api: DeskApi;
  readonly #subscribe: () => void;
  /** Counts pushes, so a slower getServeStatus answer never overwrites a newer push. */
  #pushes = 0;
  /** The boxes follow the running endpoints until the merchant types in them. */
  #edited = false;

  constructor(api: DeskApi) {
    this.#api = api;
    this.#subscribe = createSubscriber(() => {
      const stop = api.on('serveStatusChanged', (status) => {
        this.#pushes += 1;
        this.#apply(status);
      });
      void this.load();
      return stop;
    });
  }

  get status(): ServeStatus | null {
    this.#subscribe();
    return this.#status;
  }

  async load(): Promise<void> {
    const pushesBefore = this.#pushes;
    const result = await callSafely(() => this.#api.getServeStatus({}));
    if (result.ok) {
      if (this.#pushes === pushesBefore) this.#apply(result.value);
    } else if (this.#status === null) {
      this.loadError = result.error;
    }
  }

  edited(): void {
    this.#edited = true;
    this.errors = {};
  }

  /** Starts or stops the endpoints; starting while running restarts them on the boxes' port and host. */
  async set(enabled: boolean): Promise<void> {
    if (this.switching) return;
    const check = checkServeRequest(enabled, this.draft);
    if (!check.ok) {
      // Stopping never needs a valid port or host.
      if (enabled) {
        this.errors = check.errors;
        return;
      }
    }
    const request = check.ok ? check.request : { enabled: false };
    this.errors = {};
    this.switching = true;
    this.actionError = null;
    const result = await callSafely(() => this.#api.setServe(request));
    this.switching = false;
    if (result.ok) {
      this.#edited = false;
      this.#apply(result.value);
    } else {
      this.actionError = result.error;
    }
  }

  #apply(status: ServeStatus): void {
    this.#status = status;
    this.loadError = null;
    const running = draftFromUrl(status.url);
    if (running !== null && !this.#edited) this.draft = running;
  }
}
