// The workbench page the UI runner (test/integration/runner/ui-suite.mjs) opened before loading these tests.
import type { Page } from 'playwright-core';

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
