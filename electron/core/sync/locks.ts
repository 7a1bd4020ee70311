/**
 * One attempt in flight per voucher: the clerk's redeem and the outbox worker take the serial's
 * lock before they send or settle anything for it.
 */
export type Release = () => void;

export class SerialLocks {
  readonly #held = new Map<string, Promise<void>>();

  isHeld(serial: string): boolean {
    return this.#held.has(serial);
  }

  /** The lock if it is free now, else null (the worker skips the serial and comes back later). */
  tryAcquire(serial: string): Release | null {
    if (this.#held.has(serial)) return null;
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    this.#held.set(serial, done);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (this.#held.get(serial) === done) this.#held.delete(serial);
      release();
    };
  }

  /** Waits for the lock (the clerk's redeem waits for a replay of the same voucher to finish). */
  async acquire(serial: string): Promise<Release> {
    for (;;) {
      const release = this.tryAcquire(serial);
      if (release) return release;
      await this.#held.get(serial);
    }
  }
}
