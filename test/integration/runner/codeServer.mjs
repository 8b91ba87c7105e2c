// Starting and stopping the pinned code-server (the VS Code server + remote extension host) hermetically.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import { codeServerEntry } from './paths.mjs';

const loopback = '127.0.0.1';
const passThroughPrefixes = ['EXT_TEST_', 'SAGEMAKER_SSH_TEST_'];

export class CodeServerNotInstalledError extends Error {
  constructor() {
    super(`code-server is not installed at ${codeServerEntry}. Run: npm run test:integration:setup`);
    this.name = 'CodeServerNotInstalledError';
  }
}

/** A port that was free a moment ago on 127.0.0.1 (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, loopback, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** True when nothing listens on 127.0.0.1:port. */
export function isPortFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, loopback, () => server.close(() => resolve(true)));
  });
}

/**
 * The whole environment code-server (and so the extension host) sees: nothing from the caller except PATH,
 * the test knobs (EXT_TEST_*, SAGEMAKER_SSH_TEST_*) and `extra`.
 */
export function hostEnv(sandbox, extra = {}) {
  const env = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'C.UTF-8',
    ...sandbox.env(),
    SAGEMAKER_SSH_TEST_SANDBOX: sandbox.root,
    // No marketplace: anything that tries it gets ECONNREFUSED on the discard port.
    EXTENSIONS_GALLERY: JSON.stringify({
      serviceUrl: `http://${loopback}:9/gallery`,
      itemUrl: `http://${loopback}:9/items`,
      resourceUrlTemplate: `http://${loopback}:9/{publisher}/{name}/{version}/{path}`,
    }),
  };
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && passThroughPrefixes.some((prefix) => key.startsWith(prefix))) env[key] = value;
  }
  return { ...env, ...extra };
}

function assertInstalled() {
  if (!existsSync(codeServerEntry)) throw new CodeServerNotInstalledError();
}

function commonArgs(sandbox) {
  return ['--user-data-dir', sandbox.userData, '--extensions-dir', sandbox.extensionsDir];
}

/** Installs a packaged .vsix into the sandbox's extensions dir (instead of development mode). */
export function installVsix(sandbox, vsixPath) {
  assertInstalled();
  const result = spawnSync(
    process.execPath,
    [codeServerEntry, ...commonArgs(sandbox), '--install-extension', path.resolve(vsixPath)],
    { env: hostEnv(sandbox), encoding: 'utf8', timeout: 120_000 },
  );
  if (result.status !== 0) {
    throw new Error(
      `installing ${vsixPath} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`,
    );
  }
  console.log(`[runner] installed ${path.basename(vsixPath)} into ${sandbox.extensionsDir}`);
}

async function waitUntilHealthy(origin, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited early (code ${child.exitCode}, signal ${child.signalCode})`);
    }
    try {
      const response = await fetch(`${origin}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`code-server did not answer ${origin}/healthz within ${timeoutMs} ms`);
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Spawns code-server in its own process group, bound to 127.0.0.1:port, logging to sandbox.logFile.
 * @param {{ sandbox: object, port: number, folder: string, env?: Record<string,string>, healthTimeoutMs?: number }} options
 */
export async function startCodeServer({ sandbox, port, folder, env = {}, healthTimeoutMs = 60_000 }) {
  assertInstalled();
  const configFile = path.join(sandbox.configDir, 'config.yaml');
  await writeFile(configFile, `bind-addr: ${loopback}:${port}\nauth: none\ncert: false\n`);
  const args = [
    codeServerEntry,
    ...['--config', configFile, '--bind-addr', `${loopback}:${port}`, '--auth', 'none'],
    ...['--disable-telemetry', '--disable-update-check', '--disable-workspace-trust'],
    ...['--disable-getting-started-override', '--disable-proxy', '--ignore-last-opened'],
    ...['--log', 'debug'],
    ...commonArgs(sandbox),
    folder,
  ];
  const logFd = openSync(sandbox.logFile, 'a');
  const child = spawn(process.execPath, args, {
    detached: true, // own process group: one kill reaches the extension host, pty host, watchers...
    env: hostEnv(sandbox, env),
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  const killOnExit = () => {
    if (groupAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
  };
  process.on('exit', killOnExit);

  const origin = `http://${loopback}:${port}`;
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const server = {
    origin,
    port,
    pid: child.pid,
    /** Resolves with {code, signal} when the code-server main process exits. */
    exited,
    /** SIGTERM to the whole group, SIGKILL after 5 s if anything is left. */
    async stop() {
      process.off('exit', killOnExit);
      if (!groupAlive(child.pid)) return;
      process.kill(-child.pid, 'SIGTERM');
      const deadline = Date.now() + 5_000;
      while (groupAlive(child.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      if (groupAlive(child.pid)) {
        console.log('[runner] code-server ignored SIGTERM for 5 s: SIGKILL');
        process.kill(-child.pid, 'SIGKILL');
      }
    },
  };
  try {
    await waitUntilHealthy(origin, child, healthTimeoutMs);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}
