// Stand-in agent: the demo's fallback without shared/peers (demoEnvironment.mjs); tested by runtime, network.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import {
  MAX_STDERR_CHARS,
  MAX_STDOUT_CHARS,
  STOPPED_PREEMPTIVELY_EXIT_CODE,
  type CommandFinishedMessage,
  type CommandOutcome,
  type RunCommandMessage,
} from '../agentProtocol';

export interface RunningScript {
  cancel(): void;
  readonly finished: Promise<CommandFinishedMessage>;
}

function orchestrationDir(instanceId: string, commandId: string): string {
  return `/var/lib/amazon/ssm/${instanceId}/document/orchestration/${commandId}/awsrunShellScript/0.awsrunShellScript`;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * Runs an aws:runShellScript step as the real agent does: the commands go to `_script.sh` in the
 * command's orchestration directory, which is also the working directory unless one is given;
 * `sh -c <script>` runs as root in its own process group with AWS_SSM_INSTANCE_ID and
 * AWS_SSM_REGION_NAME set; a timeout or cancel kills the group (exit code 137); a non-zero exit
 * adds "failed to run commands: exit status N" to stderr.
 */
export function runScript(message: RunCommandMessage, instanceId: string, region: string): RunningScript {
  const dir = orchestrationDir(instanceId, message.commandId);
  mkdirSync(dir, { recursive: true });
  const script = `${dir}/_script.sh`;
  writeFileSync(script, message.commands.join('\n') + '\n', { mode: 0o755 });
  const child = spawn('sh', ['-c', script], {
    cwd: message.workingDirectory || dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AWS_SSM_INSTANCE_ID: instanceId, AWS_SSM_REGION_NAME: region },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    if (stdout.length <= MAX_STDOUT_CHARS) stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length <= MAX_STDERR_CHARS) stderr += chunk.toString('utf8');
  });
  let outcome: CommandOutcome = 'exited';
  const timer = setTimeout(() => {
    outcome = 'timedOut';
    killGroup(child.pid);
  }, message.executionTimeoutSeconds * 1000);
  const finished = new Promise<CommandFinishedMessage>((resolve) => {
    const finish = (code: number | null, failure?: string): void => {
      clearTimeout(timer);
      let exitCode = outcome === 'exited' ? (code ?? -1) : STOPPED_PREEMPTIVELY_EXIT_CODE;
      if (failure) {
        stderr += failure;
        exitCode = 1;
      }
      if (outcome === 'exited' && exitCode !== 0) {
        stderr += `${stderr && !stderr.endsWith('\n') ? '\n' : ''}failed to run commands: exit status ${exitCode}`;
      }
      writeFileSync(`${dir}/stdout`, stdout);
      writeFileSync(`${dir}/stderr`, stderr);
      resolve({
        type: 'commandFinished',
        commandId: message.commandId,
        outcome,
        exitCode,
        stdout: stdout.slice(0, MAX_STDOUT_CHARS),
        stderr: stderr.slice(0, MAX_STDERR_CHARS),
      });
    };
    child.once('error', (error) => finish(null, `failed to run commands: ${error.message}`));
    child.once('close', (code) => finish(code));
  });
  return {
    cancel: () => {
      outcome = 'cancelled';
      killGroup(child.pid);
    },
    finished,
  };
}
