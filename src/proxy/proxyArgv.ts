import type { SshTarget } from '../targets/sshTarget';
import { nodeNameOf } from '../targets/sshTarget';

/** Where the ProxyCommand's launcher and CLI live, and the state it shares with the extension. */
export interface ProxyInstall {
  readonly launcherPath: string;
  readonly cliPath: string;
  readonly stateDir: string;
}

export interface ProxyTargetArgs {
  readonly alias: string;
  readonly target: SshTarget;
  readonly profile?: string;
  readonly region: string;
}

/**
 * The ProxyCommand as an argv: one executable (our launcher) and plain arguments, no shell syntax
 * and no environment needed, so OpenSSH and ssh2-based Remote-SSH forks run it the same way, from
 * any terminal, after reloads and restores.
 */
export function proxyCommandArgv(install: ProxyInstall, args: ProxyTargetArgs): string[] {
  const argv = [
    install.launcherPath,
    install.cliPath,
    'start-proxy',
    args.alias,
    '--state-dir',
    install.stateDir,
  ];
  argv.push(...targetArgs(args.target));
  if (args.profile) {
    argv.push('--profile', args.profile);
  }
  argv.push('--region', args.region);
  return argv;
}

/** The flags that name a target on a CLI command line (parseHostCommand reads them back). */
export function targetArgs(target: SshTarget): string[] {
  // The alias names a payload resource fully (names are encoded reversibly), so no flags.
  if (target.kind === 'payloadResource') return [];
  if (target.kind === 'hyperPodNode') {
    // The alias names the node exactly; the cluster id saves the proxy a DescribeCluster.
    return target.clusterId === undefined ? [] : ['--cluster-id', target.clusterId];
  }
  if (target.kind === 'trainingNode') {
    const node = nodeNameOf(target);
    return ['--training-job', target.jobName, ...(node && node !== 'algo-1' ? ['--node', node] : [])];
  }
  if (target.kind === 'remoteDebugNode') {
    const node = nodeNameOf(target);
    return ['--remote-debug-job', target.jobName, ...(node && node !== 'algo-1' ? ['--node', node] : [])];
  }
  if (target.kind === 'studioSpace') return ['--space', target.spaceName, '--domain', target.domainId];
  return [
    '--app',
    target.appName,
    ...(target.appType ? ['--app-type', target.appType] : []),
    '--owner',
    target.ownerName,
    '--domain',
    target.domainId,
  ];
}

/** Replaces the launcher, CLI and state dir of an argv we wrote earlier, keeping its target arguments. */
export function retargetProxyCommand(argv: readonly string[], install: ProxyInstall): string[] | undefined {
  if (argv.length < 6 || argv[2] !== 'start-proxy' || argv[4] !== '--state-dir') {
    return undefined;
  }
  return [
    install.launcherPath,
    install.cliPath,
    'start-proxy',
    argv[3],
    '--state-dir',
    install.stateDir,
    ...argv.slice(6),
  ];
}
