/**
 * The renderer's one door to the app. In Electron the preload exposes `window.voucherDesk`,
 * shaped exactly like DeskApi. Elsewhere (the browser shell, the Chromium end-to-end tests)
 * the same calls go over HTTP to the shell on 127.0.0.1, authenticated by a per-launch token
 * that arrives once in the URL fragment and is then kept in sessionStorage.
 */
import type { DeskApi } from '../../../shared/contract.js';
import { INVOKE_CHANNELS, type EventName, type InvokeName } from '../../../shared/channels.js';
import { ERROR_CODES, type ErrorCode, type IpcResult } from '../../../shared/errors.js';

declare global {
  interface Window {
    voucherDesk?: DeskApi;
  }
}

export const TOKEN_STORAGE_KEY = 'voucherDesk.token';
export const TOKEN_HEADER = 'X-Desk-Token';

type TokenStorage = Pick<Storage, 'getItem' | 'setItem'>;

export interface TokenSources {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  storage: TokenStorage | null;
  history: Pick<History, 'replaceState'> | null;
}

/** `#token=abc&x=1` → "abc". */
export function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token === null || token === '' ? null : token;
}

/**
 * Reads the token once from the URL fragment, keeps it in sessionStorage (so a reload still
 * works) and removes it from the address, so it does not linger in history or screenshots.
 */
export function takeToken({ location, storage, history }: TokenSources): string | null {
  const fromHash = tokenFromHash(location.hash);
  if (fromHash !== null) {
    try {
      storage?.setItem(TOKEN_STORAGE_KEY, fromHash);
    } catch {
      // Storage may be unavailable; the token still works for this page's life.
    }
    const rest = new URLSearchParams(location.hash.replace(/^#/, ''));
    rest.delete('token');
    const fragment = rest.toString();
    history?.replaceState(null, '', `${location.pathname}${location.search}${fragment === '' ? '' : `#${fragment}`}`);
    return fromHash;
  }
  try {
    const stored = storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
    return stored === '' ? null : stored;
  } catch {
    return null;
  }
}

export interface RpcRequest {
  url: string;
  init: RequestInit;
}

export function buildRpcRequest(name: InvokeName, token: string, request: unknown, baseUrl = ''): RpcRequest {
  return {
    url: `${baseUrl}/rpc/${encodeURIComponent(name)}`,
    init: {
      method: 'POST',
      headers: { [TOKEN_HEADER]: token, 'Content-Type': 'application/json' },
      body: JSON.stringify(request ?? {}),
      credentials: 'same-origin',
      cache: 'no-store',
    },
  };
}

const failure = (code: ErrorCode, message: string): IpcResult<never> => ({ ok: false, error: { code, message } });

function isIpcResult(value: unknown): value is IpcResult<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { ok?: unknown; value?: unknown; error?: unknown };
  if (candidate.ok === true) return 'value' in candidate;
  if (candidate.ok !== false || typeof candidate.error !== 'object' || candidate.error === null) return false;
  const error = candidate.error as { code?: unknown; message?: unknown };
  return typeof error.code === 'string' && typeof error.message === 'string';
}

function codeForHttpStatus(status: number): ErrorCode {
  if (status === 401 || status === 403) return 'forbidden';
  if (status === 413) return 'too_large';
  if (status === 400 || status === 422) return 'bad_input';
  return 'internal';
}

/** The shell answers an IpcResult body, whatever the HTTP status; anything else is mapped. */
export async function readRpcResponse(response: Pick<Response, 'status' | 'text'>): Promise<IpcResult<unknown>> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    return failure('network', `reading the answer failed: ${String(error)}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return failure(codeForHttpStatus(response.status), `HTTP ${response.status} without an IpcResult body`);
  }
  if (!isIpcResult(body))
    return failure(codeForHttpStatus(response.status), `HTTP ${response.status}: unexpected body`);
  if (!body.ok && !(ERROR_CODES as readonly string[]).includes(body.error.code)) {
    return failure('internal', body.error.message);
  }
  return body;
}

export interface EventSourceLike {
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  removeEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

export interface HttpBridgeOptions {
  token: string | null;
  fetch: (url: string, init: RequestInit) => Promise<Pick<Response, 'status' | 'text'>>;
  baseUrl?: string;
  createEventSource?: (url: string) => EventSourceLike;
}

export function eventsUrl(token: string, baseUrl = ''): string {
  return `${baseUrl}/events?token=${encodeURIComponent(token)}`;
}

export function createHttpBridge(options: HttpBridgeOptions): DeskApi {
  const { token, baseUrl = '' } = options;

  async function call(name: InvokeName, request: unknown): Promise<IpcResult<unknown>> {
    if (token === null) return failure('forbidden', 'no desk token: open the page from the link the app prints');
    const { url, init } = buildRpcRequest(name, token, request, baseUrl);
    let response: Pick<Response, 'status' | 'text'>;
    try {
      response = await options.fetch(url, init);
    } catch (error) {
      return failure('network', `the desk service did not answer: ${String(error)}`);
    }
    return readRpcResponse(response);
  }

  // One EventSource for all listeners, opened on the first subscription and closed after the last.
  let source: EventSourceLike | null = null;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const relays = new Map<string, (event: MessageEvent<string>) => void>();

  function on(event: EventName, listener: (payload: never) => void): () => void {
    if (token === null || options.createEventSource === undefined) return () => {};
    source ??= options.createEventSource(eventsUrl(token, baseUrl));
    let set = listeners.get(event);
    if (set === undefined) {
      set = new Set();
      listeners.set(event, set);
      const relay = (message: MessageEvent<string>) => {
        let payload: unknown;
        try {
          payload = JSON.parse(message.data);
        } catch {
          return;
        }
        for (const each of listeners.get(event) ?? []) each(payload);
      };
      relays.set(event, relay);
      source.addEventListener(event, relay);
    }
    const entry = listener as (payload: unknown) => void;
    set.add(entry);
    return () => {
      set.delete(entry);
      if (set.size > 0) return;
      listeners.delete(event);
      const relay = relays.get(event);
      relays.delete(event);
      if (relay !== undefined) source?.removeEventListener(event, relay);
      if (listeners.size === 0) {
        source?.close();
        source = null;
      }
    };
  }

  const api: Record<string, unknown> = { on };
  for (const name of Object.keys(INVOKE_CHANNELS) as InvokeName[]) {
    api[name] = (request: unknown) => call(name, request);
  }
  return api as DeskApi;
}

function sessionStorageOrNull(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

let deskApi: DeskApi | undefined;

export function getDeskApi(): DeskApi {
  if (deskApi !== undefined) return deskApi;
  deskApi =
    window.voucherDesk ??
    createHttpBridge({
      token: takeToken({ location: window.location, storage: sessionStorageOrNull(), history: window.history }),
      fetch: (url, init) => window.fetch(url, init),
      createEventSource: (url) => new EventSource(url),
    });
  return deskApi;
}
