// Debian packages the test host needs on the machine: to build code-server's native modules, and chromium.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromiumPath } from './paths.mjs';

const onPath = (command) =>
  spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

const buildPackages = [
  { pkg: 'gcc', present: () => onPath('gcc') },
  { pkg: 'g++', present: () => onPath('g++') },
  { pkg: 'make', present: () => onPath('make') },
  { pkg: 'python3', present: () => onPath('python3') },
  { pkg: 'pkg-config', present: () => onPath('pkg-config') },
  { pkg: 'ripgrep', present: () => onPath('rg') },
  { pkg: 'libkrb5-dev', present: () => existsSync('/usr/include/gssapi/gssapi.h') },
];
const browserPackage = { pkg: 'chromium', present: () => existsSync(chromiumPath) };

/** Names of the missing apt packages (build tools for code-server; chromium when `browser`). */
export function missingAptPackages({ browser = true } = {}) {
  const wanted = browser ? [...buildPackages, browserPackage] : buildPackages;
  return wanted.filter(({ present }) => !present()).map(({ pkg }) => pkg);
}

export function aptInstallCommand(packages) {
  return `apt-get update && apt-get install -y ${packages.join(' ')}`;
}

/** As root, installs them non-interactively; otherwise returns false so the caller can print the command. */
export function installAptPackages(packages) {
  if (packages.length === 0) return true;
  if (process.getuid?.() !== 0) return false;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', ...packages]]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0) return false;
  }
  return true;
}
