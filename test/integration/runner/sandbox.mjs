// A throwaway HOME / user-data / extensions / XDG tree for one code-server + chromium run.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

// Everything that could reach the network, nag, or make the run depend on machine state is off.
const quietUserSettings = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'update.showReleaseNotes': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.settings.enableNaturalLanguageSearch': false,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'git.autofetch': false,
  'git.autoRepositoryDetection': false,
  'github.gitAuthentication': false,
  'npm.autoDetect': 'off',
  'typescript.disableAutomaticTypeAcquisition': true,
  'typescript.surveys.enabled': false,
  'remote.autoForwardPorts': false,
  'remote.restoreForwardedPorts': false,
  'terminal.integrated.enablePersistentSessions': false,
  // xterm's DOM renderer: headless chromium's software WebGL garbles glyphs, and tests read the rows' text.
  'terminal.integrated.gpuAcceleration': 'off',
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true,
  'accessibility.signals.sounds.volume': 0,
};

/**
 * @param {{ prefix?: string, userSettings?: Record<string, unknown> }} [options]
 */
export async function createSandbox(options = {}) {
  const base = process.env.VSCODE_TEST_TMP ?? os.tmpdir();
  const root = await mkdtemp(path.join(base, options.prefix ?? 'sagemaker-ssh-test-'));
  const dir = (name) => path.join(root, name);
  const sandbox = {
    root,
    home: dir('home'),
    userData: dir('user-data'),
    extensionsDir: dir('extensions'),
    configDir: dir('config'),
    xdgConfig: dir('xdg/config'),
    xdgData: dir('xdg/data'),
    xdgCache: dir('xdg/cache'),
    xdgRuntime: dir('xdg/runtime'),
    tmp: dir('tmp'),
    logFile: dir('code-server.log'),
    /** HOME, TMPDIR and XDG_* pointing into the sandbox, for every process we start. */
    env() {
      return {
        HOME: sandbox.home,
        TMPDIR: sandbox.tmp,
        XDG_CONFIG_HOME: sandbox.xdgConfig,
        XDG_DATA_HOME: sandbox.xdgData,
        XDG_CACHE_HOME: sandbox.xdgCache,
        XDG_RUNTIME_DIR: sandbox.xdgRuntime,
      };
    },
    async remove() {
      await rm(root, { recursive: true, force: true, maxRetries: 3 });
    },
  };
  for (const d of [
    sandbox.home,
    sandbox.extensionsDir,
    sandbox.configDir,
    sandbox.xdgConfig,
    sandbox.xdgData,
  ]) {
    await mkdir(d, { recursive: true });
  }
  await mkdir(sandbox.xdgCache, { recursive: true });
  await mkdir(sandbox.xdgRuntime, { recursive: true, mode: 0o700 });
  await mkdir(sandbox.tmp, { recursive: true });
  await mkdir(path.join(sandbox.userData, 'User'), { recursive: true });
  await writeFile(
    path.join(sandbox.userData, 'User', 'settings.json'),
    JSON.stringify({ ...quietUserSettings, ...options.userSettings }, null, 2),
  );
  return sandbox;
}

/** KEEP_SANDBOX=1 keeps the tree (with code-server.log) for post-mortems. */
export async function disposeSandbox(sandbox) {
  if (process.env.KEEP_SANDBOX === '1') {
    console.log(`[runner] KEEP_SANDBOX=1: kept ${sandbox.root} (log: ${sandbox.logFile})`);
    return;
  }
  await sandbox.remove();
}
