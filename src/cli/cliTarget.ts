import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { USABLE_NODE_NAMES, isUsableNodeName } from '../instances/matchSshNodes';
import type { SshTarget } from '../targets/sshTarget';
import { parseAlias } from '../targets/targetAlias';
import { UsageError } from '../ssm/cli/cliErrors';

/** What the SageMaker-level commands (start-proxy, connect, stop-waiting, config) act on. */
export interface CliHostTarget {
  readonly alias: string;
  readonly target: SshTarget;
  /** `algo-N`; undefined for algo-1 and for Studio apps. */
  readonly node?: string;
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
  node: { type: 'string' },
  app: { type: 'string' },
  'app-type': { type: 'string' },
  owner: { type: 'string' },
  domain: { type: 'string' },
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

/** An alias (`<job>.training.sagemaker`, `algo-2.<job>…`, `<app>.<owner>.<domain>.studio.sagemaker`) as a target. */
export function targetOfAlias(alias: string): CliHostTarget {
  let parsed;
  try {
    parsed = parseAlias(alias);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.kind === 'training') {
    return {
      alias,
      target: { kind: 'training-job', jobName: parsed.jobName },
      node: parsed.node > 1 ? `algo-${parsed.node}` : undefined,
    };
  }
  if (parsed.kind === 'studio' && parsed.spaceOrUser && parsed.domainId) {
    return {
      alias,
      target: {
        kind: 'app',
        appName: parsed.appName,
        ownerName: parsed.spaceOrUser,
        domainId: parsed.domainId,
        appType: parsed.appType,
      },
    };
  }
  throw new UsageError(
    `"${alias}" names no single training job or Studio app. Use <job>.training.sagemaker, ` +
      'algo-N.<job>.training.sagemaker or <app>.[<type>.]<space-or-user>.<domain>.studio.sagemaker.',
  );
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
    host = { alias, target: { kind: 'training-job', jobName: values['training-job'] }, node: values.node };
  } else if (values.app) {
    if (!values.owner || !values.domain) {
      throw new UsageError(`${command}: --app needs --owner <space or user profile> and --domain <d-…>`);
    }
    host = {
      alias,
      target: {
        kind: 'app',
        appName: values.app,
        ownerName: values.owner,
        domainId: values.domain,
        appType: values['app-type'],
      },
    };
  } else {
    host = targetOfAlias(alias);
  }
  return {
    host,
    rest,
    ...awsOptionsOf(values),
    stateDir: values['state-dir'],
    sshConfig: values['ssh-config'],
  };
}
