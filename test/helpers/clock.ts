/** A clock the test moves by hand. */
export function manualClock(start = '2025-06-01T02:00:00.000Z'): {
  now: () => Date;
  advance(ms: number): void;
  set(iso: string): void;
} {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
    set: (iso) => {
      t = Date.parse(iso);
    },
  };
}
