// The workbench page the UI runner (test/integration/runner/uiSuite.mjs) opened before loading these tests.
import type { Page } from 'playwright-core';
import type { Emulator } from '../../emulator';

/** What run.mjs --demo set up, exactly as `npm run demo` does (runner/demoEnvironment.mjs). */
export interface UiDemo {
  /** The emulator running the demo scenario, with its simulated containers. */
  readonly emulator: Emulator;
  /** remote.SSH.configFile in the demo: the throwaway HOME's ~/.ssh/config. */
  readonly sshConfigFile: string;
  /** The wrappers the demo tells a shell to put first on PATH (ssh with -F, sm-ssh). */
  readonly binDir: string;
  /** The `export` lines the demo prints for a second shell. */
  readonly shellLines: readonly string[];
  /** The commands it prints after them, for that shell. */
  readonly shellCommands: readonly { readonly command: string; readonly note?: string }[];
}

export interface UiWorkbench {
  page: Page;
  /** http://127.0.0.1:PORT of the code-server under test. */
  origin: string;
  port: number;
  /** Absolute path of the folder the window has open (test/workspace). */
  workspace: string;
  extensionPath: string;
  /** HOME of the extension host (inside the run's sandbox). */
  sandboxHome: string;
  /** Set for the tests under ui/demo/, which run in the demo's environment (run.mjs --mode ui --demo). */
  demo?: UiDemo;
  /** Everything the workbench logged so far, `[level] message`. */
  hostLog: readonly string[];
  /** Saves test-results/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
}

const slot = Symbol.for('sagemaker-ssh.ui-workbench');

export function workbench(): UiWorkbench {
  const current = (globalThis as Record<symbol, unknown>)[slot] as UiWorkbench | undefined;
  if (!current) {
    throw new Error(
      'UI tests need a workbench: run them with node test/integration/runner/run.mjs --mode ui',
    );
  }
  return current;
}
