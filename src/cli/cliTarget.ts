import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import type { SshTarget } from '../targets/sshTarget';
import { USABLE_NODE_NAMES, isUsableNodeName, trainingNodeTarget } from '../targets/sshTarget';
import { parseTargetAlias } from '../targets/targetAlias';
import { isClusterId } from '../targets/hyperPodNode';
import { remoteDebugNodeTarget } from '../targets/remoteDebugNode';
import { InvalidHostAliasError } from '../targets/targetErrors';
import { UsageError } from './cliErrors';
import { studioSpaceTarget } from '../targets/studioSpace';

/** What the SageMaker-level commands (start-proxy, connect, stop-waiting, config) act on. */
export interface CliHostTarget {
  /** The host as given on the command line. */
  readonly alias: string;
  readonly target: SshTarget;
}

export interface CliAwsOptions {
  readonly profile?: string;
  readonly region?: string;
  readonly stateDir?: string;
  readonly logLevel?: string;
  /** The ssh config to add our Include to (like ssh -F); default ~/.ssh/config or $SM_SSH_CONFIG_FILE. */
  readonly sshConfig?: string;
}

export interface ParsedHostCommand extends CliAwsOptions {
  readonly host: CliHostTarget;
  readonly rest: string[];
}

/** The flags that choose the AWS profile, region and log level; every SageMaker-level command takes them. */
export const awsFlags = {
  profile: { type: 'string' },
  region: { type: 'string' },
  'log-level': { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
} as const;

const hostOptions = {
  ...awsFlags,
  'state-dir': { type: 'string' },
  'training-job': { type: 'string' },
  'remote-debug-job': { type: 'string' },
  node: { type: 'string' },
  app: { type: 'string' },
  'app-type': { type: 'string' },
  owner: { type: 'string' },
  domain: { type: 'string' },
  'cluster-id': { type: 'string' },
  space: { type: 'string' },
  'ssh-config': { type: 'string' },
} as const;

/** parseArgs, strict and with positionals; a bad flag is a UsageError naming the command. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  args: string[],
  options: T,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message}`);
  }
}

/** The AWS options given by awsFlags; -v means --log-level debug. */
export function awsOptionsOf(values: {
  readonly profile?: string;
  readonly region?: string;
  readonly 'log-level'?: string;
  readonly verbose?: boolean;
}): Pick<CliAwsOptions, 'profile' | 'region' | 'logLevel'> {
  return {
    profile: values.profile,
    region: values.region,
    logLevel: values.verbose ? 'debug' : values['log-level'],
  };
}

/** An alias (`<job>.training.sagemaker`, `algo-2.<job>…`, `<app>.<owner>.<domain>.studio.sagemaker`) as a host. */
export function hostOfAlias(alias: string): CliHostTarget {
  try {
    return { alias, target: parseTargetAlias(alias) };
  } catch (error) {
    if (error instanceof InvalidHostAliasError) {
      throw new UsageError(error.message);
    }
    throw error;
  }
}

/** A HyperPod alias names the cluster; `--cluster-id` (written by our ProxyCommand) saves a DescribeCluster. */
function withClusterId(command: string, host: CliHostTarget, clusterId: string | undefined): CliHostTarget {
  if (clusterId === undefined) return host;
  if (host.target.kind !== 'hyperPodNode') {
    throw new UsageError(
      `${command}: --cluster-id applies to HyperPod hosts (<instance-id>.<group>.<cluster>.hyperpod.sagemaker)`,
    );
  }
  if (!isClusterId(clusterId)) {
    throw new UsageError(
      `${command}: --cluster-id must be the cluster ARN's last segment (12 lowercase letters and digits), not "${clusterId}"`,
    );
  }
  return { alias: host.alias, target: { ...host.target, clusterId } };
}

/**
 * `<command> <alias> [--training-job NAME [--node algo-N] | --app A [--app-type T] --owner O --domain D] [--profile P]
 * [--region R] [--state-dir D] [-- extra args]`. Explicit target flags win over the alias (they keep
 * the exact case of SageMaker names, which an alias encodes only reversibly).
 */
export function parseHostCommand(command: string, args: string[]): ParsedHostCommand {
  const { values, positionals } = parseCommandArgs(command, args, hostOptions);
  const [alias, ...rest] = positionals;
  if (!alias) {
    throw new UsageError(`${command} needs a host, e.g. sm-ssh ${command} my-job.training.sagemaker`);
  }
  if (values.node !== undefined && !isUsableNodeName(values.node)) {
    throw new UsageError(`${command}: --node must be ${USABLE_NODE_NAMES}, not "${values.node}"`);
  }
  let host: CliHostTarget;
  if (values['training-job']) {
    host = { alias, target: trainingNodeTarget(values['training-job'], values.node) };
  } else if (values['remote-debug-job']) {
    const node = values.node === undefined ? undefined : Number(values.node.slice('algo-'.length));
    host = { alias, target: remoteDebugNodeTarget(values['remote-debug-job'], node) };
  } else if (values.space) {
    if (!values.domain) throw new UsageError(`${command}: --space needs --domain <d-…>`);
    host = { alias, target: studioSpaceTarget(values.domain, values.space) };
  } else if (values.app) {
    if (!values.owner || !values.domain) {
      throw new UsageError(`${command}: --app needs --owner <space or user profile> and --domain <d-…>`);
    }
    host = {
      alias,
      target: {
        kind: 'studioApp',
        appName: values.app,
        ownerName: values.owner,
        domainId: values.domain,
        appType: values['app-type'],
      },
    };
  } else {
    host = hostOfAlias(alias);
  }
  return {
    host: withClusterId(command, host, values['cluster-id']),
    rest,
    ...awsOptionsOf(values),
    stateDir: values['state-dir'],
    sshConfig: values['ssh-config'],
  };
}
