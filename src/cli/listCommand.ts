import type { AwsConnection } from '../aws/awsAccess';
import { listSshHosts } from '../operations/listHosts';
import type { SshHostRow } from '../operations/listHosts';
import type { CliIo } from './cliEnvironment';
import { UsageError } from './cliErrors';
import { cliConnection, cliLogger } from './cliEnvironment';
import { awsFlags, awsOptionsOf, parseCommandArgs } from './cliTarget';
import type { CliAwsOptions } from './cliTarget';
import { PAYLOAD_RESOURCE_TYPES } from '../targets/payloadResource';
import { SPACE_ALIAS_SUFFIX } from '../targets/studioSpace';

/** Upstream's columns: SSH ping status, type, resource status, host alias. */
function lineOf(row: SshHostRow): string {
  const type =
    row.target.kind === 'payloadResource'
      ? row.target.resourceType
      : row.target.kind === 'trainingNode'
        ? 'training'
        : row.target.kind === 'hyperPodNode'
          ? 'hyperpod'
          : row.target.kind === 'remoteDebugNode'
            ? 'debug'
            : row.target.kind === 'studioSpace'
              ? 'space'
              : 'ide';
  return `${row.ping}\t${type}\t${row.status}\t${row.alias}`;
}

function parseListArgs(args: string[]): CliAwsOptions & { suffix?: string } {
  const { values, positionals } = parseCommandArgs('list', args, awsFlags);
  if (positionals.length > 1) {
    throw new UsageError('list takes at most one alias suffix, e.g. sm-ssh list training.sagemaker');
  }
  return { suffix: positionals[0], ...awsOptionsOf(values) };
}

/** Whether a listing filtered by `suffix` can show aliases ending in `.<typeSuffix>`. */
function wantsSuffix(suffix: string | undefined, typeSuffix: string): boolean {
  return !suffix || typeSuffix.endsWith(suffix) || suffix.endsWith(`.${typeSuffix}`);
}

/** "in us-east-1 (profile dev)": where an empty listing looked. */
function whereLooked(connection: AwsConnection): string {
  const { profile, region } = connection.context;
  const who = profile.value ? `profile ${profile.value}` : 'default credentials';
  return `in ${region.value ?? 'no region'} (${who})`;
}

/**
 * `sm-ssh list [suffix] [--profile P] [--region R]`: like upstream, one line per resource — SSH
 * ping status, type, resource status, host alias — for training jobs of the last 30 days,
 * Studio apps and HyperPod cluster nodes (type `hyperpod`, the node's status as ping status). The optional suffix (`training.sagemaker`, `studio.sagemaker`,
 * `<domain>.studio.sagemaker`, …) filters the aliases. An empty result says so on stderr.
 */
export async function runList(args: string[], io: CliIo): Promise<number> {
  const { suffix, ...options } = parseListArgs(args);
  const logger = cliLogger(options, io.env, (text) => io.stderr.write(text));
  const connection = await cliConnection(options, logger, io.env);
  const wantTraining =
    !suffix ||
    'training.sagemaker'.endsWith(suffix) ||
    suffix.endsWith('.training.sagemaker') ||
    'debug.sagemaker'.endsWith(suffix) ||
    suffix.endsWith('.debug.sagemaker');
  const wantStudio =
    !suffix ||
    [SPACE_ALIAS_SUFFIX, '.studio.sagemaker'].some(
      (s) => suffix.endsWith(s.slice(1)) || s.slice(1).endsWith(suffix),
    );
  const payloadTypes = PAYLOAD_RESOURCE_TYPES.filter((type) => wantsSuffix(suffix, `${type}.sagemaker`));
  const wantHyperPod =
    !suffix || suffix.endsWith('hyperpod.sagemaker') || 'hyperpod.sagemaker'.endsWith(suffix);
  try {
    const rows = await listSshHosts(connection, {
      training: wantTraining,
      studio: wantStudio,
      payloadTypes,
      hyperPod: wantHyperPod,
      logger,
    });
    const lines = rows.map(lineOf).filter((line) => !suffix || line.endsWith(suffix));
    if (lines.length) {
      io.stdout.write(`${lines.join('\n')}\n`);
    } else {
      const matching = suffix ? ` matching ${suffix}` : '';
      io.stderr.write(
        `No training jobs (last 30 days), processing or transform jobs, endpoints, notebook instances, ` +
          `HyperPod nodes or Studio apps with SSH${matching} ${whereLooked(connection)}.\n`,
      );
    }
    return 0;
  } catch (error) {
    throw connection.translate(error);
  }
}
