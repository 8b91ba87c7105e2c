/** The debug types a Python debugger extension contributes (ms-python.debugpy: `debugpy`; older ms-python.python: `python`). */
export const PYTHON_DEBUG_TYPES: readonly string[] = ['debugpy', 'python'];

/** The extension the Install button installs when no Python debugger is there. */
export const PYTHON_DEBUGGER_EXTENSION = 'ms-python.debugpy';

export const DEFAULT_DEBUGPY_PORT = 5678;
export const DEFAULT_REMOTE_ROOT = '/opt/ml/code';

export interface AttachRequest {
  /** How the session is named: "algo-1 of my-job", an app. */
  readonly where: string;
  /** The forward's port on 127.0.0.1. */
  readonly localPort: number;
  /** The local folder holding the training code. */
  readonly localRoot: string;
  /** The code folder in the container. */
  readonly remoteRoot: string;
}

/** A debugpy `attach` configuration as vscode.debug.startDebugging takes it. */
export interface DebugpyAttachConfiguration {
  readonly type: 'debugpy';
  readonly request: 'attach';
  readonly name: string;
  readonly connect: { readonly host: '127.0.0.1'; readonly port: number };
  readonly pathMappings: readonly { readonly localRoot: string; readonly remoteRoot: string }[];
  readonly justMyCode: false;
  readonly [key: string]: unknown;
}

export function attachConfiguration(request: AttachRequest): DebugpyAttachConfiguration {
  return {
    type: 'debugpy',
    request: 'attach',
    name: `SageMaker: ${request.where}`,
    connect: { host: '127.0.0.1', port: request.localPort },
    pathMappings: [{ localRoot: request.localRoot, remoteRoot: request.remoteRoot }],
    justMyCode: false,
  };
}

/** What `vscode.extensions.all` gives per extension, as far as the detection reads it. */
export interface ExtensionShape {
  readonly id: string;
  readonly packageJSON: unknown;
}

function contributedDebugTypes(extension: ExtensionShape): string[] {
  const manifest = extension.packageJSON as { contributes?: { debuggers?: unknown } } | undefined;
  const debuggers = manifest?.contributes?.debuggers;
  if (!Array.isArray(debuggers)) return [];
  return debuggers
    .map((d: unknown) => (d as { type?: unknown } | null)?.type)
    .filter((type): type is string => typeof type === 'string');
}

/** The id of an installed extension contributing a Python debug type, or undefined. */
export function installedPythonDebugger(extensions: readonly ExtensionShape[]): string | undefined {
  return extensions.find((extension) =>
    contributedDebugTypes(extension).some((type) => PYTHON_DEBUG_TYPES.includes(type)),
  )?.id;
}

/** The container's code folder from the setting: absolute, no trailing slash; else the default. */
export function remoteRootOf(setting: unknown): string {
  if (typeof setting !== 'string' || !setting.trim().startsWith('/')) return DEFAULT_REMOTE_ROOT;
  const trimmed = setting.trim().replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}
