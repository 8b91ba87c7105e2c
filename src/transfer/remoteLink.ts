/** A file or folder on the container, as SFTP reports it. */
export interface RemoteEntry {
  readonly name: string;
  readonly kind: 'file' | 'directory' | 'other';
  readonly size: number;
  readonly mtimeMs: number;
}

/** An open remote file. `read` returns the bytes read (0 at the end). */
export interface RemoteHandle {
  read(buffer: Buffer, length: number, position: number): Promise<number>;
  write(buffer: Buffer, position: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * One connection to the container (an SSH connection over one SSM session): the file operations a
 * transfer needs. Failures are typed (transferErrors.ts); a lost connection is a LinkLostError,
 * which the transfer answers by retrying the work on a new link.
 */
export interface RemoteLink {
  readonly id: number;
  readonly isClosed: boolean;
  /** undefined when the path does not exist. */
  stat(path: string): Promise<RemoteEntry | undefined>;
  readdir(path: string): Promise<RemoteEntry[]>;
  /** Creates a folder; an existing one is fine. */
  mkdir(path: string): Promise<void>;
  openRead(path: string): Promise<RemoteHandle>;
  /** `truncate`: create or empty the file; else open the existing file for writing in place. */
  openWrite(path: string, truncate: boolean): Promise<RemoteHandle>;
  /** Renames, replacing an existing target. */
  rename(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
  /** SHA-256 (hex) of the file, computed in the container. */
  sha256(path: string): Promise<string>;
  close(): void;
}

/** Opens a new link; rejects with a typed error (or LinkLostError when worth retrying). */
export type LinkOpener = (signal: AbortSignal) => Promise<RemoteLink>;
