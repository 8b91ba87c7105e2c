import type { LocalFiles } from './localFiles';

/**
 * The small JSON file that remembers which stripes of a partial copy are complete, so a re-run
 * after a failure or Cancel copies only the rest. `source` identifies what was being copied (path,
 * size, modification time): a changed source starts over.
 */
export interface SidecarContent {
  readonly version: 1;
  readonly source: string;
  readonly stripeSize: number;
  readonly done: readonly number[];
}

export function parseSidecar(text: string): SidecarContent | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<SidecarContent>;
    if (
      parsed.version !== 1 ||
      typeof parsed.source !== 'string' ||
      !Number.isSafeInteger(parsed.stripeSize) ||
      !Array.isArray(parsed.done) ||
      !parsed.done.every((index) => Number.isSafeInteger(index) && index >= 0)
    ) {
      return undefined;
    }
    return parsed as SidecarContent;
  } catch {
    return undefined;
  }
}

/**
 * The stripes already done for `source` at `stripeSize`, read from `path`; empty when there is no
 * sidecar, it is unreadable, or it was written for another source or stripe size.
 */
export async function loadDoneStripes(
  files: LocalFiles,
  path: string,
  source: string,
  stripeSize: number,
): Promise<Set<number>> {
  let text: string;
  try {
    text = (await files.readFile(path)).toString('utf8');
  } catch {
    return new Set();
  }
  const content = parseSidecar(text);
  if (!content || content.source !== source || content.stripeSize !== stripeSize) return new Set();
  return new Set(content.done);
}

/** Records completed stripes; writes are serialized and each replaces the file via a rename. */
export class SidecarWriter {
  private readonly done: Set<number>;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly files: LocalFiles,
    readonly path: string,
    private readonly source: string,
    private readonly stripeSize: number,
    done: Iterable<number> = [],
  ) {
    this.done = new Set(done);
  }

  markDone(index: number): Promise<void> {
    this.done.add(index);
    const content: SidecarContent = {
      version: 1,
      source: this.source,
      stripeSize: this.stripeSize,
      done: [...this.done].sort((a, b) => a - b),
    };
    this.writing = this.writing.then(async () => {
      const temp = `${this.path}.tmp`;
      await this.files.writeFile(temp, Buffer.from(`${JSON.stringify(content)}\n`));
      await this.files.rename(temp, this.path);
    });
    return this.writing;
  }

  async remove(): Promise<void> {
    await this.writing.catch(() => undefined);
    await this.files.remove(this.path);
  }
}
