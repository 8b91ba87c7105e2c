/**
 * The emulator's notion of time. `start` anchors the scenario's relative times ("-2h"); `now()`
 * is what operations see. Tests may inject a time source to make lazy transitions deterministic.
 */
export class Clock {
  readonly start: Date;

  constructor(private readonly source: () => number = Date.now) {
    this.start = new Date(source());
  }

  now(): Date {
    return new Date(this.source());
  }
}
