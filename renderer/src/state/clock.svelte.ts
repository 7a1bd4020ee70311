/**
 * A ticking "now" for the status bar clock and the card's freshness line. The interval runs
 * only while something on screen reads it (createSubscriber starts and stops it).
 */
import { createSubscriber, SvelteDate } from 'svelte/reactivity';

export class Clock {
  readonly #now = new SvelteDate();
  readonly #subscribe: () => void;

  constructor(intervalMs = 1000) {
    this.#subscribe = createSubscriber((update) => {
      this.#now.setTime(Date.now());
      const timer = setInterval(() => {
        this.#now.setTime(Date.now());
        update();
      }, intervalMs);
      return () => clearInterval(timer);
    });
  }

  get now(): Date {
    this.#subscribe();
    return this.#now;
  }
}
