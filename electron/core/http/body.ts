/**
 * Reading an HTTP body (a request on a server, a response on a client) into memory with a hard
 * size cap, counted while streaming, so a huge or endless body cannot exhaust memory.
 */
import type { Readable } from 'node:stream';

export const MiB = 1024 * 1024;

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  constructor(readonly limitBytes: number) {
    super(`body exceeds ${limitBytes} bytes`);
  }
}

/** The stream ended (connection cut) before the body was complete. */
export class BodyIncompleteError extends Error {
  override readonly name = 'BodyIncompleteError';
}

/**
 * Collects the stream's bytes. Rejects with BodyTooLargeError as soon as more than maxBytes have
 * arrived, and stops collecting then; the caller decides to destroy the stream (a client) or to
 * drain it (a server that still wants to answer 413). Rejects with BodyIncompleteError when the
 * stream closes or fails before its end.
 */
function ignoreError(): void {}

export function readCappedBody(stream: Readable, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;

    const finish = (outcome: () => void): void => {
      if (done) return;
      done = true;
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
      // A late error (say, the caller destroying the stream after an overflow) must not crash the process.
      stream.on('error', ignoreError);
      outcome();
    };
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      received += bytes.length;
      if (received > maxBytes) {
        chunks.length = 0;
        finish(() => reject(new BodyTooLargeError(maxBytes)));
        return;
      }
      chunks.push(bytes);
    };
    const onEnd = (): void => finish(() => resolve(Buffer.concat(chunks, received)));
    const onError = (error: Error): void =>
      finish(() => reject(new BodyIncompleteError('body stream failed before its end', { cause: error })));
    const onClose = (): void => finish(() => reject(new BodyIncompleteError('body stream closed before its end')));

    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}
