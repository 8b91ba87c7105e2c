import * as path from 'node:path';
import type { ProxyInstall } from './proxyArgv';

/**
 * When the CLI writes ssh config on its own, the ProxyCommand runs this same CLI file with the
 * same Node: `<node> <sm-ssh.js> start-proxy …` (one executable, plain arguments).
 */
export function cliProxyInstall(stateDir: string, argv: readonly string[] = process.argv): ProxyInstall {
  return { launcherPath: process.execPath, cliPath: path.resolve(argv[1] ?? 'sm-ssh.js'), stateDir };
}
