import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { PayloadType } from '../../../../src/ssm/protocolConstants';
import type { ShellSessionApi, StartedSession } from '../../../../src/ssm/shellSessionStart';
import type { ResumedSession } from '../../../../src/ssm/sessionOptions';
import { ShellAgentStub } from '../../ssm/support/shellAgentStub';

interface LocalSession {
  readonly stub: ShellAgentStub;
  shell?: ChildProcess;
}

/**
 * Shell sessions served by a real local `sh`: each StartSession gets a data channel (ShellAgentStub)
 * whose Output payloads go to the shell's stdin and whose output comes back as Output payloads, with
 * channel_closed when the shell exits, as AWS's agent does (but on pipes, not a pty). Scripts our
 * code sends really run, so a test checks what they do, not what they look like.
 */
export class LocalShellAgents implements ShellSessionApi {
  readonly sessions = new Map<string, LocalSession>();
  readonly targets: string[] = [];
  terminated: string[] = [];
  /** When set, the next session's agent prints this and closes the channel instead of running a shell. */
  refuseWith: string | undefined;

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async startSession(request: { Target: string }): Promise<StartedSession> {
    this.targets.push(request.Target);
    const stub = await ShellAgentStub.start();
    const sessionId = `s-local-${this.sessions.size + 1}`;
    const session: LocalSession = { stub };
    this.sessions.set(sessionId, session);
    const refusal = this.refuseWith;
    this.refuseWith = undefined;
    void stub.connected.then(() =>
      refusal === undefined ? this.runShell(session) : this.refuse(stub, refusal),
    );
    return { SessionId: sessionId, StreamUrl: stub.url, TokenValue: 'token' };
  }

  resumeSession(): Promise<ResumedSession> {
    return Promise.reject(new Error('LocalShellAgents: no resume'));
  }

  async terminateSession(sessionId: string): Promise<void> {
    this.terminated.push(sessionId);
    const session = this.sessions.get(sessionId);
    session?.shell?.kill('SIGKILL');
  }

  async close(): Promise<void> {
    for (const session of this.sessions.values()) {
      session.shell?.kill('SIGKILL');
      await session.stub.close();
    }
  }

  private refuse(stub: ShellAgentStub, text: string): void {
    stub.send(PayloadType.Output, text);
    stub.closeChannel();
  }

  private runShell(session: LocalSession): void {
    const { stub } = session;
    const shell = spawn('sh', [], { env: this.env, stdio: ['pipe', 'pipe', 'pipe'] });
    session.shell = shell;
    stub.onInput = (message) => {
      if (message.payloadType === PayloadType.Output) shell.stdin.write(message.payload);
    };
    const forward = (chunk: Buffer): void => stub.send(PayloadType.Output, chunk);
    shell.stdout.on('data', forward);
    shell.stderr.on('data', forward);
    shell.stdin.on('error', () => undefined);
    shell.on('close', () => {
      try {
        stub.closeChannel();
      } catch {
        // The client is already gone.
      }
    });
    // The agent's shell speaks first (a prompt), which is what opens a Standard_Stream session.
    stub.send(PayloadType.Output, '$ ');
  }
}
