import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A small structured logger: one JSON object per line, written to a pluggable sink.
 * Personal data and secrets are redacted by key before a line is formed, wherever they nest.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `bindings` to every line (e.g. {component:'counter'}). */
  child(bindings: LogFields): Logger;
}

/** Receives one finished JSON line, without a trailing newline. */
export type LogSink = (line: string) => void;

const LEVEL_ORDER: Record<LogLevel, number> = {
  debug: 10,
  info: 20,
  warn: 30,
  error: 40,
};

/** Compared after lower-casing and dropping '_' and '-', so buyer_name and Buyer-Name match too. */
const REDACTED_KEYS = new Set([
  'buyerdetails',
  'name',
  'phone',
  'buyername',
  'buyerphone',
  'sharedsecret',
  'secret',
  'clientsecret',
  'token',
  'accesstoken',
  'refreshtoken',
  'authorization',
  'password',
  'cookie',
  'xstoreauthsig',
  'upstreammessage', // WAUG's words on a refusal may echo a booking form value
]);

export const REDACTED = '[redacted]';
const MAX_DEPTH = 8;

function isRedactedKey(key: string): boolean {
  return REDACTED_KEYS.has(key.toLowerCase().replace(/[_-]/g, ''));
}

/** A copy of `value` safe to log: redacted keys, Errors flattened, cycles and depth cut. */
export function redact(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'function' || typeof value === 'symbol') return undefined;
    return value;
  }
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[deep]';
  seen.add(value);
  try {
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
    if (value instanceof Error) {
      // 'name' is a redacted key, so the class goes out as 'type'.
      const out: Record<string, unknown> = {
        type: value.name,
        message: value.message,
      };
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'name' || key === 'message') continue;
        out[key] = isRedactedKey(key) ? REDACTED : redact(inner, depth + 1, seen);
      }
      if (value.stack) out['stack'] = value.stack;
      if (value.cause !== undefined) out['cause'] = redact(value.cause, depth + 1, seen);
      return out;
    }
    if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen));
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = isRedactedKey(key) ? REDACTED : redact(inner, depth + 1, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

export interface CreateLoggerOptions {
  sink: LogSink;
  level?: LogLevel;
  now?: () => Date;
  bindings?: LogFields;
}

export function createLogger(options: CreateLoggerOptions): Logger {
  const threshold = LEVEL_ORDER[options.level ?? 'info'];
  const now = options.now ?? (() => new Date());
  const bindings = options.bindings ?? {};

  const write = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (LEVEL_ORDER[level] < threshold) return;
    const body = redact({ ...bindings, ...fields }) as Record<string, unknown>;
    let line: string;
    try {
      line = JSON.stringify({
        t: now().toISOString(),
        level,
        msg: message,
        ...body,
      });
    } catch {
      line = JSON.stringify({
        t: now().toISOString(),
        level,
        msg: message,
        logError: 'fields not serialisable',
      });
    }
    try {
      options.sink(line);
    } catch {
      // A broken sink must never break the counter.
    }
  };

  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
    child: (more) => createLogger({ ...options, bindings: { ...bindings, ...more } }),
  };
}

/** Lines to stderr: what the CLI and the shells use by default. */
export const stderrSink: LogSink = (line) => {
  process.stderr.write(`${line}\n`);
};

/** Keeps lines in memory; for tests. */
export function createMemorySink(): LogSink & {
  lines: string[];
  entries(): Record<string, unknown>[];
} {
  const lines: string[] = [];
  const sink = ((line: string) => {
    lines.push(line);
  }) as LogSink & { lines: string[]; entries(): Record<string, unknown>[] };
  sink.lines = lines;
  sink.entries = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return sink;
}

export const silentLogger: Logger = createLogger({
  sink: () => {},
  level: 'error',
});

/** Appends lines to `file` (its folder is created). A write failure drops the line, never throws. */
export function createFileSink(file: string): LogSink {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  return (line) => {
    try {
      appendFileSync(file, `${line}\n`, { mode: 0o600 });
    } catch {
      // Logging must never stop the counter.
    }
  };
}

/** The shells' logger: JSON lines to `file`, and errors to stderr as well. */
export function createFileLogger(file: string, options: { level?: LogLevel } = {}): Logger {
  const toFile = createFileSink(file);
  return createLogger({
    level: options.level ?? 'info',
    sink: (line) => {
      toFile(line);
      if (line.includes(`"level":"error"`)) stderrSink(line);
    },
  });
}
