import { strict as assert } from 'node:assert';
import { PassThrough } from 'node:stream';
import { FlagCode } from '../../../src/ssm/protocolConstants';
import type { SessionCalls } from '../../../src/ssm/runSession';
import { runSession } from '../../../src/ssm/runSession';
import type { SessionMode } from '../../../src/ssm/sessionMode';
import { sshSessionRequest } from '../../../src/ssm/ssmApi';
import { MemoryLogger } from '../../../src/util/logger';
import type { FakeWorld } from './support/fakeWorld';
import { useFakeWorld } from './support/fakeWorld';
import { startGreetingServer } from './support/localServers';

/** SessionCalls on the fake service, counting how often each is made. */
function callsOn(world: FakeWorld): SessionCalls & { readonly made: string[]; readonly sessions: string[] } {
  const made: string[] = [];
  const sessions: string[] = [];
  const registry = world.service.registry;
  return {
    made,
    sessions,
    startSession: async (request) => {
      made.push('StartSession');
      const response = registry.startSession(request);
      sessions.push(response.SessionId);
      return { ...response };
    },
    resumeSession: async (sessionId) => {
      made.push('ResumeSession');
      const resumed = registry.resumeSession({ SessionId: sessionId });
      return { tokenValue: resumed.TokenValue, streamUrl: resumed.StreamUrl };
    },
    terminateSession: async (sessionId) => {
      made.push('TerminateSession');
      await registry.terminateSession({ SessionId: sessionId });
    },
  };
}

function collect(output: PassThrough): () => string {
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString();
}

describe('runSession, the library entry of src/ssm', function () {
  this.timeout(60_000);
  const fixture = useFakeWorld();

  it('starts a session from a request, picks the outlet by mode and pipes it until the target closes', async () => {
    const greeter = await startGreetingServer('hello through runSession\n');
    try {
      const calls = callsOn(fixture.world);
      const output = new PassThrough();
      const text = collect(output);
      const modes: SessionMode[] = [];
      const watching: string[] = [];
      const end = await runSession({
        start: { request: sshSessionRequest(`mi-${greeter.port}`) },
        calls: async () => calls,
        outlet: (mode) => {
          modes.push(mode);
          return { kind: 'stdio', input: new PassThrough(), output };
        },
        whileOpen: () => {
          watching.push('open');
          return () => watching.push('over');
        },
        log: new MemoryLogger(),
      });
      assert.deepEqual(end, { kind: 'channel-closed', output: '', isError: false });
      assert.equal(text(), 'hello through runSession\n');
      assert.deepEqual(modes, ['stream']);
      assert.deepEqual(watching, ['open', 'over']);
      assert.equal(calls.made[0], 'StartSession');
    } finally {
      await greeter.close();
    }
  });

  it('runs a session StartSession already opened, asking for the calls only when it needs them', async () => {
    const greeter = await startGreetingServer('handed over\n');
    try {
      const response = fixture.world.service.registry.startSession(sshSessionRequest(`mi-${greeter.port}`));
      let asked = 0;
      const output = new PassThrough();
      const text = collect(output);
      const end = await runSession({
        start: { response },
        calls: async () => {
          asked += 1;
          return callsOn(fixture.world);
        },
        outlet: { kind: 'stdio', input: new PassThrough(), output },
        log: new MemoryLogger(),
      });
      assert.equal(end.kind, 'channel-closed');
      assert.equal(text(), 'handed over\n');
      assert.equal(asked, 0, 'a session that was neither resumed nor ended by us needs no SSM calls');
    } finally {
      await greeter.close();
    }
  });

  it('ends the session on the service when the terminate function whileOpen got is called', async () => {
    const calls = callsOn(fixture.world);
    let terminate: (() => void) | undefined;
    const input = new PassThrough();
    const output = new PassThrough();
    const received = new Promise<void>((resolve) => output.once('data', () => resolve()));
    const ended = runSession({
      start: { request: sshSessionRequest(`mi-${fixture.echo.port}`) },
      calls: async () => calls,
      outlet: { kind: 'stdio', input, output },
      whileOpen: (end) => {
        terminate = end;
        return () => (terminate = undefined);
      },
      log: new MemoryLogger(),
    });
    input.write('ping');
    await received;
    terminate!();
    const end = await ended;
    assert.notEqual(end.kind, 'failed');
    const agent = fixture.world.service.registry.get(calls.sessions[0]!)!;
    await agent.whenClosed();
    assert.deepEqual(agent.flagsReceived, [FlagCode.TerminateSession]);
    assert.equal(terminate, undefined, 'the watcher was told the session is over');
  });
});
