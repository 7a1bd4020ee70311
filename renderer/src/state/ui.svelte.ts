/** Which screen is up and whether a modal dialog is open: the scan field's focus rules read both. */
export type Screen = 'counter' | 'search' | 'orders' | 'order' | 'book' | 'outbox' | 'settings';

export class UiState {
  screen = $state<Screen>('counter');
  /** Where the order detail's Back button goes: the counter or the orders list it was opened from. */
  orderReturn = $state<Screen>('counter');
  #openDialogs = $state(0);

  readonly overlayOpen = $derived(this.screen !== 'counter' || this.#openDialogs > 0);

  /** Called by a dialog when it opens; the returned function is called when it closes. */
  dialogOpened(): () => void {
    this.#openDialogs += 1;
    let closed = false;
    return () => {
      if (closed) return;
      closed = true;
      this.#openDialogs -= 1;
    };
  }

  showOrder(): void {
    if (this.screen !== 'order') this.orderReturn = this.screen;
    this.screen = 'order';
  }

  closeOrder(): void {
    this.screen = this.orderReturn === 'order' ? 'counter' : this.orderReturn;
  }
}
