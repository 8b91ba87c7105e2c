// Stays: protocol edge cases (handshake variants, old agents, exact loss/drops) AWS's agent cannot show on demand.
import type { AgentBehaviour } from '../../../emulator/datachannel/agentBehaviour';
import type { FakeAgentSession } from '../../../emulator/datachannel/fakeAgentSession';
import type { FakeSsmService } from '../../../emulator/datachannel/fakeSsmService';
import { startFakeSsmService } from '../../../emulator/datachannel/fakeSsmService';
import type { OpenSessionOptions } from '../../../../src/ssm/sessionOptions';
import type { SsmSession } from '../../../../src/ssm/ssmSession';
import { openSession } from '../../../../src/ssm/ssmSession';
import { MemoryLogger } from '../../../../src/util/logger';
import * as assert from 'node:assert/strict';
import type { LocalServer } from './localServers';
import { startEchoServer } from './localServers';

export interface FakeWorld {
  readonly service: FakeSsmService;
  /** Starts a session on the fake service and opens it with our client. */
  open(
    request: { target?: string; document?: string; parameters?: Record<string, string[]> },
    options?: Partial<OpenSessionOptions> & { behaviour?: Partial<AgentBehaviour> },
  ): Promise<{ session: SsmSession; agent: FakeAgentSession; log: MemoryLogger; resumes: () => number }>;
  close(): Promise<void>;
}

/**
 * The fake service with targets mapped to local ports: `mi-<port>` resolves to 127.0.0.1:<port>
 * for any document port, so a test picks its target by picking a local server.
 */
export async function startFakeWorld(behaviour: Partial<AgentBehaviour> = {}): Promise<FakeWorld> {
  const overrides = new Map<string, Partial<AgentBehaviour>>();
  const service = await startFakeSsmService({
    resolveTarget: (target) => {
      const port = Number(target.replace(/^mi-/, ''));
      return Number.isInteger(port) && port > 0 ? { host: '127.0.0.1', port } : undefined;
    },
    isTargetOnline: (target) => target.startsWith('mi-'),
    behaviour: (input) => ({ ...behaviour, ...overrides.get(input.Target ?? '') }),
  });
  const sessions: SsmSession[] = [];
  return {
    service,
    async open(request, options = {}) {
      const target = request.target ?? 'mi-1';
      if (options.behaviour) overrides.set(target, options.behaviour);
      const credentials = service.registry.startSession({
        Target: target,
        DocumentName: request.document ?? 'AWS-StartSSHSession',
        Parameters: request.parameters,
      });
      overrides.delete(target);
      const agent = service.registry.get(credentials.SessionId)!;
      const log = new MemoryLogger();
      let resumes = 0;
      const session = await openSession({
        sessionId: credentials.SessionId,
        streamUrl: credentials.StreamUrl,
        tokenValue: credentials.TokenValue,
        log,
        resume: async () => {
          resumes += 1;
          const resumed = service.registry.resumeSession({ SessionId: credentials.SessionId });
          return { tokenValue: resumed.TokenValue, streamUrl: resumed.StreamUrl };
        },
        terminate: async () => {
          await service.registry.terminateSession({ SessionId: credentials.SessionId });
        },
        ...options,
      });
      sessions.push(session);
      return { session, agent, log, resumes: () => resumes };
    },
    async close() {
      for (const session of sessions) session.close();
      await service.close();
    },
  };
}

/** A fake world and a local echo server per test, the agent's protocol violations checked after each. */
export interface FakeWorldFixture {
  world: FakeWorld;
  echo: LocalServer;
}

/** Registers the hooks; read `world` and `echo` inside tests (they are set before each). */
export function useFakeWorld(): FakeWorldFixture {
  const fixture = {} as FakeWorldFixture;
  beforeEach(async () => {
    fixture.world = await startFakeWorld();
    fixture.echo = await startEchoServer();
  });
  afterEach(async () => {
    const violations = fixture.world.service.registry.violations();
    await fixture.world.close();
    await fixture.echo.close();
    assert.deepEqual(violations, [], 'the fake agent saw protocol violations');
  });
  return fixture;
}
