import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { PayloadNotFoundError } from './errors';

/** The Python package name training scripts import; also the folder name users ship. */
export const PAYLOAD_PACKAGE = 'sagemaker_ssh_helper';

/** The Studio lifecycle configuration template next to the package. */
export const LIFECYCLE_TEMPLATE = 'studio-lifecycle-config.sh';

/** Where the bundled payload is: the extension's media/remote folder. */
export interface PayloadLocation {
  /** media/remote */
  readonly root: string;
  /** media/remote/sagemaker_ssh_helper */
  readonly packageDir: string;
  /** media/remote/studio-lifecycle-config.sh */
  readonly lifecycleTemplate: string;
}

function locationAt(root: string): PayloadLocation {
  return {
    root,
    packageDir: path.join(root, PAYLOAD_PACKAGE),
    lifecycleTemplate: path.join(root, LIFECYCLE_TEMPLATE),
  };
}

function isPayloadRoot(root: string): boolean {
  return existsSync(path.join(root, PAYLOAD_PACKAGE, '__init__.py'));
}

/**
 * The payload of an extension installed at `extensionRoot` (VS Code's `context.extensionPath`).
 * Without it: $SAGEMAKER_SSH_PAYLOAD_DIR, else media/remote above this module (out/, dist/).
 */
export function locatePayload(
  extensionRoot?: string,
  env: NodeJS.ProcessEnv = process.env,
  from: string = __dirname,
): PayloadLocation {
  const searched: string[] = [];
  const candidates = extensionRoot
    ? [path.join(extensionRoot, 'media', 'remote')]
    : [
        ...(env.SAGEMAKER_SSH_PAYLOAD_DIR ? [env.SAGEMAKER_SSH_PAYLOAD_DIR] : []),
        ...ancestors(from).map((dir) => path.join(dir, 'media', 'remote')),
      ];
  for (const candidate of candidates) {
    searched.push(candidate);
    if (isPayloadRoot(candidate)) {
      return locationAt(path.resolve(candidate));
    }
  }
  throw new PayloadNotFoundError(searched);
}

function ancestors(start: string): string[] {
  const result: string[] = [];
  let current = path.resolve(start);
  for (;;) {
    result.push(current);
    const parent = path.dirname(current);
    if (parent === current) {
      return result;
    }
    current = parent;
  }
}
