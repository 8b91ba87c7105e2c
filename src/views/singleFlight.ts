/**
 * Runs a load at most once at a time. A request made while one runs is folded into a single
 * follow-up run, so a burst of refreshes costs two loads, never overlapping ones.
 */
export class SingleFlight {
  private running?: Promise<void>;
  private again = false;

  constructor(private readonly load: () => Promise<void>) {}

  get busy(): boolean {
    return this.running !== undefined;
  }

  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.load().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.run();
      }
    });
    return this.running;
  }
}
