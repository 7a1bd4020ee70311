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
  logLines: string[];
  close(): void;
} {
  const clock = manualClock();
  const store = createTestStore();
  const yahoo = new FakeYahoo(clock.now);
  const identity = { station: 'Front desk 1', operator: 'Amy' };
  let configured = true;
  const sink = createMemorySink();
  const counter = createCounter({
    store,
    yahoo: () => (configured ? yahoo : null),
    identity: () => identity,
    now: clock.now,
    log: createLogger({ sink, level: 'debug' }),
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
    close: () => {
      counter.flushAudit();
      store.close();
    },
  };
}
