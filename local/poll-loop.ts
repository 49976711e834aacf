import { errorName } from './error-name';

interface Waiter {
  readonly target: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** A pause between cycles that drain() and stop() can cut short. */
class Pause {
  private wake: (() => void) | undefined;

  async wait(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
  }

  cutShort(): void {
    this.wake?.();
  }
}

/**
 * Runs the poller's cycle again and again until stopped: a failed cycle is logged (the first, then
 * every twentieth in a row) and tried again, and drain() resolves once a cycle that started after it
 * was called has completed cleanly.
 */
export class PollLoop {
  private stopped = false;
  private started = 0;
  private cleanCompleted = 0;
  private failedInARow = 0;
  private readonly waiters: Waiter[] = [];
  private readonly pause = new Pause();
  private readonly running: Promise<void>;

  constructor(
    private readonly cycle: (isStopped: () => boolean) => Promise<void>,
    private readonly intervalMs: number,
    private readonly log: (line: string) => void,
    /** Releases what the cycles used (the streams client), once the last one has ended. */
    private readonly onStopped: () => void,
  ) {
    this.running = this.run();
  }

  drain(): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('stream poller is stopped'));
    // A cycle already running may have read the shards before the caller's last write: wait for the next.
    const promise = new Promise<void>((resolve, reject) => this.waiters.push({ target: this.started + 1, resolve, reject }));
    this.pause.cutShort();
    return promise;
  }

  /** Resolves once the running cycle has ended and `onStopped` has run; a second call only waits for the cycle. */
  async stop(): Promise<void> {
    if (this.stopped) return this.running;
    this.stopped = true;
    this.pause.cutShort();
    await this.running;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error('stream poller stopped'));
    this.onStopped();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.started += 1;
      await this.runCycle(this.started);
      if (this.stopped) break;
      if (this.waiters.length === 0) await this.pause.wait(this.intervalMs);
    }
  }

  private async runCycle(current: number): Promise<void> {
    try {
      await this.cycle(() => this.stopped);
      this.cleanCompleted = current;
      this.failedInARow = 0;
      for (const waiter of this.waiters.filter((w) => w.target <= this.cleanCompleted)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    } catch (error) {
      this.failedInARow += 1;
      if (this.failedInARow === 1 || this.failedInARow % 20 === 0) this.log(`stream: polling failed (${errorName(error)}); retrying`);
    }
  }
}
