import { execFile } from 'node:child_process';

export interface ProcessResult {
  /** Exit status; null if the process was killed by a signal (or timed out). */
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs an executable with an argument vector (never through a shell). Rejects only when the
 * process cannot be started (the error carries `code`, e.g. ENOENT); a non-zero exit resolves.
 */
export type ProcessRunner = (
  file: string,
  args: readonly string[],
  options: { timeoutMs: number },
) => Promise<ProcessResult>;

const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

export const execFileRunner: ProcessRunner = (file, args, options) =>
  new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      {
        encoding: 'utf8',
        timeout: options.timeoutMs,
        maxBuffer: MAX_OUTPUT_BYTES,
        windowsHide: true,
        shell: false,
      },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ exitCode: 0, stdout, stderr });
        } else if (typeof error.code === 'number' || error.killed || error.signal != null) {
          resolve({ exitCode: typeof error.code === 'number' ? error.code : null, stdout, stderr });
        } else {
          reject(error);
        }
      },
    );
  });
