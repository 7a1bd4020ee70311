import { createCounter, type Counter } from '../../electron/core/counter/counter.js';
import type { DeskStore } from '../../electron/core/db/store.js';
import { createLogger, createMemorySink } from '../../electron/core/log/logger.js';
import { manualClock } from './clock.js';
import { createTestStore } from './db.js';
import { FakeYahoo } from './fakeYahoo.js';

/** A counter over a temp database and an in-memory Yahoo, with a hand-moved clock. */
export function counterHarness(): {
  counter: Counter;
  store: DeskStore;
  yahoo: FakeYahoo;
  clock: ReturnType<typeof manualClock>;
  identity: { station: string; operator: string };
  setConfigured(on: boolean): void;
  /** The connection as the counter sees it (the connectivity monitor's verdict, or work offline). */
  setOffline(on: boolean): void;
  /** settings.allowOfflineRedeem; on by default, as in the product. */
  setAllowOffline(on: boolean): void;
  outboxChanges: () => number;
  logLines: string[];
  close(): void;
} {
  const clock = manualClock();
  const store = createTestStore();
  const yahoo = new FakeYahoo(clock.now);
  const identity = { station: 'Front desk 1', operator: 'Amy' };
  let configured = true;
  let offline = false;
  let allowOffline = true;
  let changes = 0;
  const sink = createMemorySink();
  const counter = createCounter({
    store,
    yahoo: () => (configured ? yahoo : null),
    identity: () => identity,
    now: clock.now,
    log: createLogger({ sink, level: 'debug' }),
    offline: () => offline,
    allowOfflineRedeem: () => allowOffline,
    onOutboxChanged: () => {
      changes += 1;
    },
    random: () => 0.5,
  });
  return {
    counter,
    store,
    yahoo,
    clock,
    identity,
    logLines: sink.lines,
    setConfigured: (on) => {
      configured = on;
    },
    setOffline: (on) => {
      offline = on;
    },
    setAllowOffline: (on) => {
      allowOffline = on;
    },
    outboxChanges: () => changes,
    close: () => {
      counter.flushAudit();
      store.close();
    },
  };
}
