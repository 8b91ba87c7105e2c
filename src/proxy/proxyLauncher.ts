import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { ProxyInstall } from './proxyArgv';
import { shellQuote } from '../util/shellQuote';

export interface LauncherSource {
  /** Changes whenever the bundled CLI changes (the extension version); avoids re-reading the bundle. */
  readonly version: string;
  /** The runtime to run the CLI on: VS Code's own executable (Electron as Node) or node. */
  readonly runtimePath: string;
  /** The bundled CLI shipped with the extension (dist/sm-ssh.js, and sm-ssh-main.js next to it). */
  readonly cliBundle: string;
  /** A stable directory that survives extension updates (the extension's global storage). */
  readonly stateDir: string;
  readonly platform?: NodeJS.Platform;
}

/**
 * Runtime flags for every ProxyCommand. A tunnel turns over buffers fast; V8's default young
 * generation (up to 16 MB semi-spaces) lets their garbage pile up to ~30 MB before a scavenge
 * frees it. 2 MB keeps the proxy's peak RSS under 100 MB at a few percent more CPU.
 * `--optimize-for-size` makes V8 grow the old generation less eagerly: messages kept until the agent
 * acknowledges them survive scavenges, so a fast upload promoted them into a heap that then grew to
 * 96 MB of RSS; with it 73 MB, at no CPU cost the benchmarks can tell.
 * `--single-threaded` keeps V8's compiler and GC on the main thread: a proxy has little to overlap,
 * and their helper threads cost memory and cache. Peak RSS 3-4 MB lower, CPU per MiB 5-10 % lower
 * both ways (bench:tunnel against AWS's agent).
 */
export const PROXY_RUNTIME_FLAGS: readonly string[] = [
  '--max-semi-space-size=2',
  '--optimize-for-size',
  '--single-threaded',
];

function launcherScript(runtimePath: string, platform: NodeJS.Platform): string {
  if (platform === 'win32') {
    return [
      '@echo off',
      'set ELECTRON_RUN_AS_NODE=1',
      `"${runtimePath}" ${PROXY_RUNTIME_FLAGS.join(' ')} %*`,
      '',
    ].join('\r\n');
  }
  return [
    '#!/bin/sh',
    '# SageMaker SSH ProxyCommand launcher: runs the bundled CLI on the VS Code runtime as plain Node.',
    'ELECTRON_RUN_AS_NODE=1',
    'export ELECTRON_RUN_AS_NODE',
    `exec ${shellQuote(runtimePath)} ${PROXY_RUNTIME_FLAGS.map(shellQuote).join(' ')} "$@"`,
    '',
  ].join('\n');
}

async function writeIfChanged(file: string, content: string | Buffer, mode: number): Promise<boolean> {
  const current = await readFile(file).catch(() => undefined);
  if (current && Buffer.compare(current, Buffer.from(content)) === 0) {
    return false;
  }
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, content, { mode });
  await chmod(temp, mode);
  await rename(temp, file);
  return true;
}

/**
 * Puts the launcher and a copy of the CLI in `<stateDir>/bin`, so the paths in the ssh config stay
 * the same across extension updates; only the launcher's runtime path changes with VS Code.
 */
export async function installProxyLauncher(
  source: LauncherSource,
): Promise<ProxyInstall & { changed: boolean }> {
  const platform = source.platform ?? process.platform;
  const binDir = path.join(source.stateDir, 'bin');
  await mkdir(binDir, { recursive: true, mode: 0o700 });
  const launcherPath = path.join(binDir, platform === 'win32' ? 'sm-ssh-proxy.cmd' : 'sm-ssh-proxy');
  const cliPath = path.join(binDir, 'sm-ssh.js');
  const launcherChanged = await writeIfChanged(
    launcherPath,
    launcherScript(source.runtimePath, platform),
    0o700,
  );
  // The version file spares reading the 1 MB bundle on every activation.
  const versionPath = path.join(binDir, 'version');
  const [installedVersion, cliPresent] = await Promise.all([
    readFile(versionPath, 'utf8').catch(() => ''),
    stat(cliPath).then(
      () => true,
      () => false,
    ),
  ]);
  let cliChanged = false;
  if (!cliPresent || installedVersion !== source.version) {
    // The loader runs the main bundle next to it; both are copied before the version is recorded.
    const mainName = 'sm-ssh-main.js';
    const mainChanged = await writeIfChanged(
      path.join(binDir, mainName),
      await readFile(path.join(path.dirname(source.cliBundle), mainName)),
      0o600,
    );
    cliChanged = (await writeIfChanged(cliPath, await readFile(source.cliBundle), 0o600)) || mainChanged;
    await writeIfChanged(versionPath, source.version, 0o600);
  }
  return { launcherPath, cliPath, stateDir: source.stateDir, changed: launcherChanged || cliChanged };
}

/**
 * Runs the freshly installed CLI once (`--version`) on the runtime the launcher names, so it writes
 * its V8 code cache now and the first ssh connection after an update starts as fast as the rest.
 * Resolves when that run ended; failures only mean the first connection compiles the bundle itself.
 */
export function primeCodeCache(install: ProxyInstall, runtimePath: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(
      runtimePath,
      [install.cliPath, '--version'],
      { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, timeout: 30_000, windowsHide: true },
      (error) => resolve(!error),
    );
  });
}
