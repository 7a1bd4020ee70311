import { describe, expect, it } from 'vitest';
import { isNavigationKey, moveActive, rowsPerPage, scrollToReveal, visibleWindow } from './virtualWindow.js';

const base = { rowHeight: 50, overscan: 5, count: 10_000, viewportHeight: 500 };

describe('visibleWindow', () => {
  it('renders the visible rows plus the overscan below at the top', () => {
    expect(visibleWindow({ ...base, scrollTop: 0 })).toEqual({ start: 0, end: 15, offsetTop: 0, totalHeight: 500_000 });
  });

  it('renders the overscan on both sides in the middle, and no more', () => {
    const w = visibleWindow({ ...base, scrollTop: 100_000 });
    // Rows 2000–2009 are visible.
    expect(w).toEqual({ start: 1995, end: 2015, offsetTop: 1995 * 50, totalHeight: 500_000 });
    expect(w.end - w.start).toBe(10 + 2 * 5);
  });

  it('counts a partly visible row at either edge', () => {
    const w = visibleWindow({ ...base, overscan: 0, scrollTop: 125 });
    // 125..625 covers rows 2 (half) to 12 (half).
    expect(w.start).toBe(2);
    expect(w.end).toBe(13);
  });

  it('stops at the last row at the bottom', () => {
    const w = visibleWindow({ ...base, scrollTop: 500_000 - 500 });
    expect(w.end).toBe(10_000);
    expect(w.start).toBe(9990 - 5);
  });

  it('clamps a scrollTop past the end (the list shrank) and a negative one', () => {
    const shrunk = visibleWindow({ ...base, count: 20, scrollTop: 100_000 });
    expect(shrunk.end).toBe(20);
    expect(shrunk.start).toBeLessThan(20);
    expect(visibleWindow({ ...base, scrollTop: -40 }).start).toBe(0);
  });

  it('renders at most as many rows as exist', () => {
    expect(visibleWindow({ ...base, count: 3, scrollTop: 0 })).toEqual({
      start: 0,
      end: 3,
      offsetTop: 0,
      totalHeight: 150,
    });
  });

  it('renders nothing for an empty list or a nonsense row height', () => {
    expect(visibleWindow({ ...base, count: 0, scrollTop: 0 })).toEqual({
      start: 0,
      end: 0,
      offsetTop: 0,
      totalHeight: 0,
    });
    expect(visibleWindow({ ...base, rowHeight: 0, scrollTop: 0 }).end).toBe(0);
    expect(visibleWindow({ ...base, rowHeight: Number.NaN, scrollTop: 0 }).end).toBe(0);
  });

  it('renders one row (plus overscan) before the container is measured', () => {
    expect(visibleWindow({ ...base, viewportHeight: 0, scrollTop: 0 })).toMatchObject({ start: 0, end: 6 });
    expect(visibleWindow({ ...base, viewportHeight: Number.NaN, overscan: 0, scrollTop: 0 })).toMatchObject({
      start: 0,
      end: 1,
    });
  });

  it('keeps the rendered count bounded wherever the list is scrolled', () => {
    for (let scrollTop = 0; scrollTop < 500_000; scrollTop += 7_919) {
      const w = visibleWindow({ ...base, scrollTop });
      expect(w.end - w.start).toBeLessThanOrEqual(11 + 10);
      expect(w.offsetTop).toBe(w.start * 50);
      expect(w.start * 50).toBeLessThanOrEqual(scrollTop);
      expect(w.end * 50).toBeGreaterThanOrEqual(Math.min(500_000, scrollTop + 500));
    }
  });
});

describe('rowsPerPage', () => {
  it('counts whole rows, at least one', () => {
    expect(rowsPerPage(500, 50)).toBe(10);
    expect(rowsPerPage(520, 50)).toBe(10);
    expect(rowsPerPage(20, 50)).toBe(1);
    expect(rowsPerPage(500, 0)).toBe(1);
  });
});

describe('scrollToReveal', () => {
  it('leaves the scroll alone when the row is fully visible', () => {
    expect(scrollToReveal(3, 0, 500, 50)).toBeNull();
    expect(scrollToReveal(9, 0, 500, 50)).toBeNull();
  });

  it('scrolls up to a row above the viewport, aligning its top', () => {
    expect(scrollToReveal(2, 300, 500, 50)).toBe(100);
  });

  it('scrolls down to a row below the viewport, aligning its bottom', () => {
    expect(scrollToReveal(10, 0, 500, 50)).toBe(50);
    expect(scrollToReveal(9999, 0, 500, 50)).toBe(500_000 - 500);
  });

  it('reveals a partly hidden row', () => {
    expect(scrollToReveal(0, 10, 500, 50)).toBe(0);
    expect(scrollToReveal(10, 20, 500, 50)).toBe(50);
  });

  it('does nothing for no row', () => {
    expect(scrollToReveal(-1, 0, 500, 50)).toBeNull();
  });
});

describe('moveActive', () => {
  it('moves by one, by a page, and to either end, never past them', () => {
    expect(moveActive(5, 'ArrowDown', 100, 10)).toBe(6);
    expect(moveActive(5, 'ArrowUp', 100, 10)).toBe(4);
    expect(moveActive(0, 'ArrowUp', 100, 10)).toBe(0);
    expect(moveActive(99, 'ArrowDown', 100, 10)).toBe(99);
    expect(moveActive(5, 'PageDown', 100, 10)).toBe(15);
    expect(moveActive(95, 'PageDown', 100, 10)).toBe(99);
    expect(moveActive(5, 'PageUp', 100, 10)).toBe(0);
    expect(moveActive(50, 'Home', 100, 10)).toBe(0);
    expect(moveActive(50, 'End', 100, 10)).toBe(99);
  });

  it('starts at the first row going down and at the last going up', () => {
    expect(moveActive(-1, 'ArrowDown', 100, 10)).toBe(0);
    expect(moveActive(-1, 'ArrowUp', 100, 10)).toBe(99);
    expect(moveActive(-1, 'Home', 100, 10)).toBe(0);
    expect(moveActive(-1, 'End', 100, 10)).toBe(99);
  });

  it('brings an index left over from a longer list back into range', () => {
    expect(moveActive(500, 'ArrowDown', 100, 10)).toBe(0);
  });

  it('has no active row in an empty list', () => {
    expect(moveActive(3, 'ArrowDown', 0, 10)).toBe(-1);
  });

  it('knows its keys', () => {
    expect(isNavigationKey('PageDown')).toBe(true);
    expect(isNavigationKey('Enter')).toBe(false);
  });
});
