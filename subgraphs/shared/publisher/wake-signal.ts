/**
 * A wake-up flag and an interruptible sleep. A wake that comes while nobody sleeps is kept in
 * `requested`, so a loop that checks it right before sleeping loses none.
 */
export class WakeSignal {
  /** Set by wake(), cleared by the loop when it starts a pass. */
  requested = false;
  private interrupt: (() => void) | undefined;

  /** Records a wake-up and ends the current sleep. */
  wake(): void {
    this.requested = true;
    this.interrupt?.();
  }

  /** Ends the current sleep without recording a wake-up (stop). */
  interruptSleep(): void {
    this.interrupt?.();
  }

  /** Waits `ms`, or less when interrupted. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const end = () => {
        clearTimeout(timer);
        if (this.interrupt === end) this.interrupt = undefined;
        resolve();
      };
      const timer = setTimeout(end, ms);
      this.interrupt = end;
    });
  }
}
