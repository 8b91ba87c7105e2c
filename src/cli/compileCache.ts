import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

/**
 * Every ssh connection starts a fresh CLI process, and compiling the 1 MB bundle is about a third of
 * its start-up. This runs a CommonJS file with V8's code cache kept next to it, on every runtime we
 * support (Node 20 has no built-in compile cache; VS Code's Electron may not either).
 *
 * The cache starts with the SHA-256 of the source and the V8 version: V8 itself only compares the
 * source length, so an updated bundle of the same length must not get the old code. Any problem
 * with the cache (unreadable, stale, rejected, not writable) just means compiling as usual.
 */

const HASH_BYTES = 32;

export interface CompileCacheReport {
  /** The cached code was used. */
  readonly hit: boolean;
  readonly cacheFile: string;
}

function cacheKey(source: string): Buffer {
  const v8 = Buffer.from(process.versions.v8.padEnd(32).slice(0, 32), 'latin1');
  return Buffer.concat([createHash('sha256').update(source).digest(), v8]);
}

function readCache(cacheFile: string, key: Buffer): Buffer | undefined {
  try {
    const data = readFileSync(cacheFile);
    const header = HASH_BYTES + 32;
    return data.length > header && data.subarray(0, header).equals(key) ? data.subarray(header) : undefined;
  } catch {
    return undefined;
  }
}

function writeCache(cacheFile: string, key: Buffer, script: vm.Script): void {
  const temp = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, Buffer.concat([key, script.createCachedData()]), { mode: 0o600 });
    renameSync(temp, cacheFile);
  } catch {
    // A read-only install directory, say: run without a cache.
    rmSync(temp, { force: true });
  }
}

export interface CompileCacheOptions {
  /** When to write the cache after a miss; by default at exit, so it holds the functions that ran. */
  readonly scheduleWrite?: (write: () => void) => void;
}

const atExit = (write: () => void): void => {
  process.once('exit', write);
};

/**
 * Runs `mainFile` as a CommonJS module (returning its exports), using `<mainFile>.cache` and
 * writing it after a miss.
 */
export function runWithCompileCache(
  mainFile: string,
  options: CompileCacheOptions = {},
): CompileCacheReport & { readonly exports: unknown } {
  const source = readFileSync(mainFile, 'utf8').replace(/^#!.*/, '');
  const cacheFile = `${mainFile}.cache`;
  const key = cacheKey(source);
  const cachedData = readCache(cacheFile, key);
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new vm.Script(wrapped, { filename: mainFile, cachedData });
  const hit = cachedData !== undefined && !script.cachedDataRejected;
  if (!hit) (options.scheduleWrite ?? atExit)(() => writeCache(cacheFile, key, script));
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, createRequire(mainFile), module, mainFile, path.dirname(mainFile));
  return { hit, cacheFile, exports: module.exports };
}
