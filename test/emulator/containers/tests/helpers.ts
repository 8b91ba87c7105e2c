import * as assert from 'node:assert/strict';
import { readdir, readlink } from 'node:fs/promises';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetCommandInvocationCommand, SendCommandCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { GetCommandInvocationCommandOutput } from '@aws-sdk/client-ssm';
import type { IdentitySpec } from '../..';
import { pinnedSshArgs } from '../../../builders/throwawaySsh';
import { runHostProcess } from '../processes';

export const ACCOUNT = '123456789012';
export const OWNER_USER_ID = 'AIDACONTAINERSDEV0001';

export const DEVELOPER: IdentitySpec = {
  name: 'developer',
  accessKeyId: 'AKIACONTAINERSDEV0001',
  secretAccessKey: 'containers-developer-secret',
  arn: `arn:aws:iam::${ACCOUNT}:user/developer`,
  userId: OWNER_USER_ID,
};

export const EXECUTION_ROLE: IdentitySpec = {
  name: 'execution-role',
  accessKeyId: 'ASIACONTAINERSEXEC001',
  secretAccessKey: 'containers-execution-role-secret',
  sessionToken: 'containers-execution-role-session-token',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/SageMakerExecutionRole/SageMaker`,
  userId: 'AROACONTAINERSEXEC001:SageMaker',
};

const TERMINAL = new Set(['Success', 'Failed', 'Cancelled', 'TimedOut']);

/** Polls GetCommandInvocation until the invocation reaches a final status (InvocationDoesNotExist = not yet). */
export async function waitForInvocation(
  ssm: SSMClient,
  commandId: string,
  instanceId: string,
  timeoutMs = 20_000,
): Promise<GetCommandInvocationCommandOutput> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    try {
      const output = await ssm.send(
        new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }),
      );
      if (TERMINAL.has(output.Status ?? '')) return output;
    } catch (error) {
      if ((error as Error).name !== 'InvocationDoesNotExist') throw error;
    }
    if (Date.now() > deadline)
      throw new Error(`command ${commandId} on ${instanceId} did not finish within ${timeoutMs} ms`);
    await sleep(delay);
  }
}

/** SendCommand (AWS-RunShellScript) and wait for the result. */
export async function runShell(
  ssm: SSMClient,
  instanceId: string,
  commands: string[],
  extra: { executionTimeout?: string } = {},
): Promise<GetCommandInvocationCommandOutput> {
  const sent = await ssm.send(
    new SendCommandCommand({
      InstanceIds: [instanceId],
      DocumentName: 'AWS-RunShellScript',
      Parameters: {
        commands,
        ...(extra.executionTimeout ? { executionTimeout: [extra.executionTimeout] } : {}),
      },
    }),
  );
  return waitForInvocation(ssm, sent.Command!.CommandId!, instanceId);
}

/** Host pids of the processes in a PID namespace (`pid:[inode]`). */
export async function processesInNamespace(namespace: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if ((await readlink(`/proc/${entry}/ns/pid`)) === namespace) pids.push(Number(entry));
    } catch {
      // The process exited while we looked.
    }
  }
  return pids;
}

/**
 * The environment of our client processes in these tests: `home`, the given identity's emulator
 * credentials (`emulator.env(...)`), nothing of the host's AWS set-up.
 */
export function isolatedClientEnv(
  home: string,
  credentials: Record<string, string>,
): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: home,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...credentials,
  };
}

/** The compiled `sm-ssh` CLI, run as ssh's ProxyCommand by the container tests. */
export const SM_SSH_CLI = path.resolve(__dirname, '../../../../src/cli/smSsh.js');

/** ssh's arguments through our client (`sm-ssh ssm-proxy` as ProxyCommand) as root, the host key pinned in `home`. */
export function sshThroughOurClientArgs(home: string, instanceId: string, command: string): string[] {
  return [
    ...pinnedSshArgs(path.join(home, 'id'), path.join(home, 'known_hosts')),
    '-o',
    'LogLevel=ERROR',
    '-o',
    `ProxyCommand=${process.execPath} ${SM_SSH_CLI} ssm-proxy --target %h --port %p`,
    '-o',
    'User=root',
    instanceId,
    command,
  ];
}

/** The ed25519 host key `ssh-keyscan` reads from 127.0.0.1:`port` (`<type> <base64>`). */
export async function scannedHostKey(port: number): Promise<string> {
  const scan = await runHostProcess('ssh-keyscan', ['-t', 'ed25519', '-p', String(port), '127.0.0.1']);
  assert.equal(scan.code, 0, scan.stderr);
  return scan.stdout.trim().split(' ').slice(1, 3).join(' ');
}
