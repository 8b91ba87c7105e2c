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

// The demo's simulated containers run a real sshd with generated host keys inside unshare'd namespaces (network too).
const demoPackages = [
  { pkg: 'openssh-client', present: () => onPath('ssh') && onPath('ssh-keygen') },
  { pkg: 'openssh-server', present: () => existsSync('/usr/sbin/sshd') },
  { pkg: 'util-linux', present: () => onPath('unshare') && onPath('nsenter') },
  // Each container has its own network namespace; `ip` brings its loopback up.
  {
    pkg: 'iproute2',
    present: () => ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].some((ip) => existsSync(ip)),
  },
];

/** Missing apt packages for `npm run demo`: code-server's build tools, ssh/sshd, and chromium when `browser`. */
export function missingDemoPackages({ browser = false } = {}) {
  return [
    ...missingAptPackages({ browser }),
    ...demoPackages.filter(({ present }) => !present()).map(({ pkg }) => pkg),
  ];
}

/** code-server 4.100.3 (the pinned test host) builds its native modules for Node 20 only. */
export function nodeVersionProblem(version = process.versions.node) {
  const major = Number(version.split('.')[0]);
  return major === 20
    ? undefined
    : `Node 20 is needed (found ${version}): the pinned code-server 4.100.3 builds its native modules for Node 20 ` +
        'only. Install Node 20 (for example `nvm install 20 && nvm use 20`, or the NodeSource/official 20.x ' +
        'packages) and run again.';
}

export function aptInstallCommand(packages) {
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  return `${sudo}apt-get update && ${sudo}apt-get install -y ${packages.join(' ')}`;
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
