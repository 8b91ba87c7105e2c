import type { Readable } from 'node:stream';

interface DrainSource {
  on(event: 'drain', listener: () => void): unknown;
}

/**
 * Pauses local readers while the session's send window is full and resumes them all on the
 * session's next `drain`, with a single listener however many readers wait.
 */
export class DrainGate {
  private readonly waiting = new Set<Readable>();

  constructor(source: DrainSource) {
    source.on('drain', () => this.release());
  }

  hold(reader: Readable): void {
    reader.pause();
    this.waiting.add(reader);
  }

  forget(reader: Readable): void {
    this.waiting.delete(reader);
  }

  private release(): void {
    const readers = [...this.waiting];
    this.waiting.clear();
    for (const reader of readers) if (!reader.destroyed) reader.resume();
  }
}
