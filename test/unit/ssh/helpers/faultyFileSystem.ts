import { nodeFileSystem } from '../../../../src/util/fs/fileSystem';
import type { FileInfo, SshFileSystem } from '../../../../src/util/fs/fileSystem';

export type FsOperation = keyof SshFileSystem;

export interface Fault {
  readonly op: FsOperation;
  /** Which call to fail (matched against the first path argument). */
  readonly when: (path: string) => boolean;
  /** errno code to throw, e.g. EACCES, ENOSPC. */
  readonly code: string;
  /** For writeNewFile: write half of the data to disk first, like a disk filling up mid-write. */
  readonly partialWrite?: boolean;
  /** Fail only this many times (default: always). */
  times?: number;
}

function errnoError(code: string, op: string, path: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: simulated failure, ${op} '${path}'`);
  error.code = code;
  return error;
}

/**
 * The real node file system with injected failures: tests run against real files in a temp dir
 * and only the chosen calls fail. `calls` records every operation for assertions.
 */
export class FaultyFileSystem implements SshFileSystem {
  readonly faults: Fault[] = [];
  readonly calls: Array<{ op: FsOperation; path: string }> = [];

  fail(fault: Fault): this {
    this.faults.push(fault);
    return this;
  }

  private async check(op: FsOperation, path: string, partial?: () => Promise<void>): Promise<void> {
    this.calls.push({ op, path });
    const fault = this.faults.find(
      (f) => f.op === op && f.when(path) && (f.times === undefined || f.times > 0),
    );
    if (fault === undefined) {
      return;
    }
    if (fault.times !== undefined) {
      fault.times -= 1;
    }
    if (fault.partialWrite === true && partial !== undefined) {
      await partial();
    }
    throw errnoError(fault.code, op, path);
  }

  async readFile(path: string): Promise<Buffer> {
    await this.check('readFile', path);
    return nodeFileSystem.readFile(path);
  }
  async writeNewFile(path: string, data: Uint8Array, mode: number): Promise<void> {
    await this.check('writeNewFile', path, () =>
      nodeFileSystem.writeNewFile(path, data.subarray(0, Math.floor(data.length / 2)), mode),
    );
    return nodeFileSystem.writeNewFile(path, data, mode);
  }
  async rename(from: string, to: string): Promise<void> {
    await this.check('rename', to);
    return nodeFileSystem.rename(from, to);
  }
  async link(existingPath: string, newPath: string): Promise<void> {
    await this.check('link', newPath);
    return nodeFileSystem.link(existingPath, newPath);
  }
  async unlink(path: string): Promise<void> {
    await this.check('unlink', path);
    return nodeFileSystem.unlink(path);
  }
  async rmdir(path: string): Promise<void> {
    await this.check('rmdir', path);
    return nodeFileSystem.rmdir(path);
  }
  async mkdir(path: string, mode: number): Promise<void> {
    await this.check('mkdir', path);
    return nodeFileSystem.mkdir(path, mode);
  }
  async chmod(path: string, mode: number): Promise<void> {
    await this.check('chmod', path);
    return nodeFileSystem.chmod(path, mode);
  }
  async stat(path: string): Promise<FileInfo> {
    await this.check('stat', path);
    return nodeFileSystem.stat(path);
  }
  async lstat(path: string): Promise<FileInfo> {
    await this.check('lstat', path);
    return nodeFileSystem.lstat(path);
  }
  async realpath(path: string): Promise<string> {
    await this.check('realpath', path);
    return nodeFileSystem.realpath(path);
  }
  async readdir(path: string): Promise<string[]> {
    await this.check('readdir', path);
    return nodeFileSystem.readdir(path);
  }
}
