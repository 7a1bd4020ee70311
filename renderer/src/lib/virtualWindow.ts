/**
 * The arithmetic of a windowed list with a fixed row height: which rows to render for a scroll
 * position, how to scroll so a row is in view, and where the arrow keys move. Pure, so the
 * VirtualList component holds no logic that a Node test cannot reach.
 */

export interface WindowInput {
  /** The scroll container's scrollTop, in px. */
  scrollTop: number;
  /** The scroll container's visible height, in px. */
  viewportHeight: number;
  rowHeight: number;
  /** Extra rows rendered above and below the visible ones, so fast scrolling shows no gaps. */
  overscan: number;
  count: number;
}

export interface VisibleWindow {
  /** The first row to render (inclusive). */
  start: number;
  /** One past the last row to render (exclusive). */
  end: number;
  /** Where the first rendered row sits, from the top of the list. */
  offsetTop: number;
  /** The full height of the list, for the spacer that gives the scrollbar its size. */
  totalHeight: number;
}

const whole = (value: number): number => (Number.isFinite(value) ? Math.max(0, Math.floor(value)) : 0);

export function visibleWindow({ scrollTop, viewportHeight, rowHeight, overscan, count }: WindowInput): VisibleWindow {
  const rows = whole(count);
  if (rows === 0 || !(rowHeight > 0)) return { start: 0, end: 0, offsetTop: 0, totalHeight: 0 };
  const extra = whole(overscan);
  const totalHeight = rows * rowHeight;
  // A scrollTop past the end (the list just shrank) or negative (elastic scrolling) is clamped.
  const top = Math.min(Math.max(0, Number.isFinite(scrollTop) ? scrollTop : 0), Math.max(0, totalHeight - 1));
  const height = Math.max(0, Number.isFinite(viewportHeight) ? viewportHeight : 0);
  const firstVisible = Math.floor(top / rowHeight);
  // Before the container is measured (height 0) one row still renders, so the list is never blank.
  const lastVisible = Math.max(firstVisible + 1, Math.ceil((top + height) / rowHeight));
  const start = Math.max(0, firstVisible - extra);
  const end = Math.min(rows, lastVisible + extra);
  return { start, end, offsetTop: start * rowHeight, totalHeight };
}

/** How many whole rows fit in the viewport (at least 1): the step of PageUp/PageDown. */
export function rowsPerPage(viewportHeight: number, rowHeight: number): number {
  if (!(rowHeight > 0)) return 1;
  return Math.max(1, Math.floor(Math.max(0, viewportHeight) / rowHeight));
}

/**
 * The scrollTop that brings row `index` fully into view while moving as little as possible,
 * or null when it is in view already.
 */
export function scrollToReveal(
  index: number,
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
): number | null {
  if (index < 0 || !(rowHeight > 0)) return null;
  const rowTop = index * rowHeight;
  const rowBottom = rowTop + rowHeight;
  if (rowTop < scrollTop) return rowTop;
  if (rowBottom > scrollTop + viewportHeight) return Math.max(0, rowBottom - viewportHeight);
  return null;
}

export type NavigationKey = 'ArrowUp' | 'ArrowDown' | 'PageUp' | 'PageDown' | 'Home' | 'End';

export const NAVIGATION_KEYS: readonly string[] = ['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End'];

export function isNavigationKey(key: string): key is NavigationKey {
  return NAVIGATION_KEYS.includes(key);
}

/**
 * The active row after a key press. With no active row yet (-1), a downward key starts at the
 * first row and an upward one at the last. An empty list has no active row.
 */
export function moveActive(current: number, key: NavigationKey, count: number, pageSize: number): number {
  if (count <= 0) return -1;
  const last = count - 1;
  const page = Math.max(1, pageSize);
  if (current < 0 || current > last) {
    return key === 'ArrowUp' || key === 'PageUp' || key === 'End' ? last : 0;
  }
  switch (key) {
    case 'ArrowUp':
      return Math.max(0, current - 1);
    case 'ArrowDown':
      return Math.min(last, current + 1);
    case 'PageUp':
      return Math.max(0, current - page);
    case 'PageDown':
      return Math.min(last, current + page);
    case 'Home':
      return 0;
    case 'End':
      return last;
  }
}
