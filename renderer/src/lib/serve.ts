/**
 * The merchant endpoints' settings as data: the port and host boxes, whether the host keeps the
 * endpoints on this machine, and the status in words. Checked with the contract's own
 * SetServeRequestSchema. Pure, tested in Node.
 */
import { z } from 'zod';
import { SetServeRequestSchema, type ServeStatus } from '../../../shared/contract.js';
import { ERROR_CODES } from '../../../shared/errors.js';
import type { MessageKey, Translator } from '../../../shared/i18n/index.js';

// The CSP forbids eval; without this zod would probe `new Function` and log a violation.
z.config({ jitless: true });

export const DEFAULT_SERVE_PORT = 8788;
export const DEFAULT_SERVE_HOST = '127.0.0.1';

export interface ServeDraft {
  /** A number input gives undefined (or null) while empty. */
  port: number | null | undefined;
  host: string;
}

export type ServeErrors = Partial<Record<'port' | 'host', true>>;

export type ServeRequestCheck =
  { ok: true; request: { enabled: boolean; port: number; host: string } } | { ok: false; errors: ServeErrors };

export function checkServeRequest(enabled: boolean, draft: ServeDraft): ServeRequestCheck {
  const errors: ServeErrors = {};
  const port = typeof draft.port === 'number' ? draft.port : Number.NaN;
  const host = draft.host.trim();
  if (host === '' || /\s|\/|@/.test(host)) errors.host = true;
  const parsed = SetServeRequestSchema.safeParse({ enabled, port, host });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (field === 'port' || field === 'host') errors[field] = true;
    }
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, request: parsed.data };
}

/**
 * Only the loopback interface keeps the endpoints on this PC. Anything else (0.0.0.0, a LAN
 * address, a name) lets other machines call them, which the merchant must mean.
 */
export function isLoopbackHost(host: string): boolean {
  const value = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (value === 'localhost' || value === '::1' || value === '0:0:0:0:0:0:0:1') return true;
  return /^127(?:\.\d{1,3}){3}$/.test(value);
}

/** The host and port the running endpoints listen on, read back from their URL. */
export function draftFromUrl(url: string | null): ServeDraft | null {
  if (url === null) return null;
  try {
    const parsed = new URL(url);
    const port = parsed.port === '' ? (parsed.protocol === 'https:' ? 443 : 80) : Number(parsed.port);
    return { port, host: parsed.hostname.replace(/^\[|\]$/g, '') };
  } catch {
    return null;
  }
}

export type ServeState = 'running' | 'stopped' | 'failed';

export function serveState(status: ServeStatus | null): ServeState {
  if (status === null) return 'stopped';
  if (status.running) return 'running';
  return status.error !== null && status.error !== '' ? 'failed' : 'stopped';
}

/** The system's listen errors, which main passes on as text, that a merchant can act on. */
const LISTEN_PROBLEMS = {
  EADDRINUSE: 'serve.problem.inUse',
  EACCES: 'serve.problem.denied',
  EADDRNOTAVAIL: 'serve.problem.notHere',
  ENOTFOUND: 'serve.problem.unknownHost',
  EAI_AGAIN: 'serve.problem.unknownHost',
} as const satisfies Record<string, MessageKey>;

/**
 * The endpoints' error in words: a known listen error, or one of our error codes, in the
 * catalog's words; anything else is shown as received rather than hidden.
 */
export function serveProblemInWords(tr: Translator, error: string, port: number | null): string {
  const trimmed = error.trim();
  for (const [code, key] of Object.entries(LISTEN_PROBLEMS)) {
    if (new RegExp(`\\b${code}\\b`).test(trimmed)) return tr.t(key, { port: port ?? '' });
  }
  const code = /^([a-z_]+)(?=$|[\s:(])/.exec(trimmed)?.[1];
  if (code !== undefined && (ERROR_CODES as readonly string[]).includes(code)) return tr.error(code);
  return trimmed;
}
