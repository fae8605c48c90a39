/**
 * Keeps the parent process alive while the isolation pool owes someone an answer: a caller waits for a worker, or a
 * replacement worker is loading. Counted holds; with none, nothing is ref'd and an idle pool lets the process exit.
 */
const FAR_FUTURE_MS = 2 ** 30;

export class KeepAlive {
  private holds = 0;
  private timer: NodeJS.Timeout | null = null;

  /** Takes one hold; the returned function gives it back (once, however often it is called). */
  hold(): () => void {
    this.holds++;
    this.timer ??= setInterval(() => undefined, FAR_FUTURE_MS);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds = Math.max(0, this.holds - 1);
      if (this.holds === 0) this.clear();
    };
  }

  get held(): boolean {
    return this.holds > 0;
  }

  /** Drops every hold (the pool was disposed). */
  clear(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.holds = 0;
  }
}
