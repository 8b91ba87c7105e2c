// The environment `npm run demo` gives code-server, shared with the README-walk UI test (run.mjs --mode ui --demo)
// so the two cannot drift: the emulator with the demo scenario, a throwaway HOME with an AWS profile `demo`,
// `remote.SSH.configFile` pointing at that HOME's ssh config, and wrappers for a shell on the same emulator.
//
// Why remote.SSH.configFile: OpenSSH reads ~/.ssh/config from the passwd entry's home, never from $HOME, so with
// a throwaway HOME every ssh (Remote-SSH, the extension's terminal, sm-ssh, a shell) must be given -F <that file>.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compiledTestsDir, repoRoot } from './paths.mjs';

export const demoProfile = 'demo';
export const demoScenarioFile = path.join(repoRoot, 'test/emulator/scenarios/demo.json');
export const demoCliBundle = path.join(repoRoot, 'dist/sm-ssh.js');
const emulatorModule = path.join(compiledTestsDir, 'emulator/index.js');
const peersModule = path.join(compiledTestsDir, 'emulator/peers.js');

export class DemoEnvironmentError extends Error {}

/** The 2-node training job of the demo scenario the README's Quick start connects to (algo-2). */
export const demoJob = 'bert-distributed-ssh-2025-06-01-09-00-00-002';

/**
 * What the demo tells a second shell to run after its `export` lines, as printed (the README walk runs each,
 * with `hostname` after the interactive ones).
 */
export const demoShellCommands = [
  { command: 'sm-ssh list' },
  { command: `sm-ssh connect algo-2.${demoJob}.training.sagemaker hostname` },
  {
    command: 'ssh sagemaker-training',
    note: 'the job you connected to last (Connect in the browser or sm-ssh connect)',
  },
];

/** The local AWS emulator with the demo scenario (its simulated containers are Online when this resolves). */
export async function startDemoEmulator() {
  if (!existsSync(emulatorModule)) {
    throw new DemoEnvironmentError(
      `${emulatorModule} does not exist: the emulator is not built (npx tsc -p .)`,
    );
  }
  if (!existsSync(demoScenarioFile)) {
    throw new DemoEnvironmentError(`the demo scenario ${demoScenarioFile} does not exist`);
  }
  await chooseDemoAgent();
  const { startEmulator } = await import(pathToFileURL(emulatorModule).href);
  return startEmulator({ scenario: demoScenarioFile, port: 0 });
}

/**
 * AWS's amazon-ssm-agent builds live in the workplace's `shared/peers`, not in the repository: a clone without
 * them still gets a working demo, whose containers then run the emulator's stand-in agent (tests never do).
 */
async function chooseDemoAgent() {
  if (process.env.SM_EMULATOR_AGENT) return;
  const { defaultPeersDir } = await import(pathToFileURL(peersModule).href);
  const peersDir = defaultPeersDir();
  if (existsSync(path.join(peersDir, 'SHA256SUMS'))) return;
  process.env.SM_EMULATOR_AGENT = 'stand-in';
  console.log(
    `[demo] AWS's amazon-ssm-agent builds are not in ${peersDir}: the containers run the emulator's stand-in ` +
      "agent. Set SM_SSH_PEERS_DIR to a folder with the builds and SHA256SUMS to use AWS's agent.",
  );
}

/** ~/.aws/{config,credentials} with the profile `demo` pointing at the emulator. */
async function writeAwsProfile(home, emulator) {
  const env = emulator.env();
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const awsDir = path.join(home, '.aws');
  await mkdir(awsDir, { recursive: true, mode: 0o700 });
  await writeFile(
    path.join(awsDir, 'config'),
    `[profile ${demoProfile}]\nregion = ${region}\nendpoint_url = ${emulator.endpoint}\n`,
  );
  const token = env.AWS_SESSION_TOKEN ? `aws_session_token = ${env.AWS_SESSION_TOKEN}\n` : '';
  await writeFile(
    path.join(awsDir, 'credentials'),
    `[${demoProfile}]\naws_access_key_id = ${env.AWS_ACCESS_KEY_ID}\n` +
      `aws_secret_access_key = ${env.AWS_SECRET_ACCESS_KEY}\n${token}`,
    { mode: 0o600 },
  );
  return region;
}

/** Merges settings into the sandbox's user settings.json (createSandbox wrote the quiet defaults there). */
async function mergeUserSettings(sandbox, settings) {
  const file = path.join(sandbox.userData, 'User', 'settings.json');
  const current = JSON.parse(await readFile(file, 'utf8'));
  await writeFile(file, JSON.stringify({ ...current, ...settings }, null, 2));
}

const shellQuote = (value) => `'${String(value).replace(/'/g, `'\\''`)}'`;

function realSsh() {
  const found = spawnSync('sh', ['-c', 'command -v ssh'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : '/usr/bin/ssh';
}

/** <sandbox>/bin/{ssh,sm-ssh}: ssh with -F <the demo's config>, the CLI on this Node, both with the demo HOME. */
async function writeShellWrappers(binDir, { home, sshConfigFile }) {
  await mkdir(binDir, { recursive: true });
  const env = `HOME=${shellQuote(home)} AWS_PROFILE=${demoProfile} SM_SSH_CONFIG_FILE=${shellQuote(sshConfigFile)}`;
  const wrappers = {
    ssh: `exec env ${env} ${shellQuote(realSsh())} -F ${shellQuote(sshConfigFile)} "$@"`,
    'sm-ssh': `exec env ${env} ${shellQuote(process.execPath)} ${shellQuote(demoCliBundle)} "$@"`,
  };
  for (const [name, line] of Object.entries(wrappers)) {
    const file = path.join(binDir, name);
    await writeFile(
      file,
      `#!/bin/sh\n# npm run demo: ${name} against the demo's emulator and ssh config\n${line}\n`,
    );
    await chmod(file, 0o755);
  }
}

/**
 * Prepares a sandbox (runner/sandbox.mjs) the way the demo runs code-server in it. Call before startCodeServer.
 * @returns {Promise<{ env: Record<string, string>, region: string, sshConfigFile: string, binDir: string,
 *   settings: Record<string, unknown>, shellLines: string[], shellCommands: typeof demoShellCommands }>}
 */
export async function prepareDemoEnvironment(sandbox, emulator) {
  const region = await writeAwsProfile(sandbox.home, emulator);
  const sshConfigFile = path.join(sandbox.home, '.ssh', 'config');
  const settings = { 'remote.SSH.configFile': sshConfigFile };
  await mergeUserSettings(sandbox, settings);
  const binDir = path.join(sandbox.root, 'bin');
  await writeShellWrappers(binDir, { home: sandbox.home, sshConfigFile });
  const shellLines = [
    `export HOME=${shellQuote(sandbox.home)} AWS_PROFILE=${demoProfile} SM_SSH_CONFIG_FILE=${shellQuote(sshConfigFile)}`,
    `export PATH=${shellQuote(binDir)}:"$PATH"   # sm-ssh, and ssh -F "$SM_SSH_CONFIG_FILE"`,
  ];
  return {
    env: { AWS_PROFILE: demoProfile },
    region,
    sshConfigFile,
    binDir,
    settings,
    shellLines,
    shellCommands: demoShellCommands,
  };
}
