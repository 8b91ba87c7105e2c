import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { AgentHub } from '../agentHub';
import { useEmulator } from '../../../support/emulator';

const INSTANCE = 'mi-0123456789abcdef0';

/** The hub's side of a control channel the test holds the agent's end of (accept is the upgrade's last step). */
async function channel(hub: AgentHub): Promise<{ agent: WebSocket; close: () => Promise<void> }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const accepted = once(server, 'connection');
  const agent = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const [socket] = (await accepted) as [WebSocket];
  (hub as unknown as { accept(id: string, ws: WebSocket): void }).accept(INSTANCE, socket);
  await once(agent, 'open');
  return {
    agent,
    close: async () => {
      agent.terminate();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('containers: the agent hub', () => {
  const emulator = useEmulator({ ssm: { instances: [{ id: INSTANCE }] } });

  it('sends nothing on a channel whose agent has not said which it is; AWS’s agent then gets a binary agent_job', async () => {
    const hub = new AgentHub(emulator().state);
    const { agent, close } = await channel(hub);
    try {
      const job = {
        type: 'runCommand',
        commandId: 'c-1',
        commands: ['true'],
        executionTimeoutSeconds: 60,
      } as const;
      // AWS's agent reads every control-channel message as a binary AgentMessage: the stand-in's JSON,
      // sent before the agent's first frame, crashed its reader.
      assert.equal(hub.send(INSTANCE, job), false);
      (hub as unknown as { tokens: Map<string, Set<string>> }).tokens.set(INSTANCE, new Set(['token']));
      const connected = once(hub, 'connected');
      agent.send(
        JSON.stringify({ MessageSchemaVersion: '1.0', TokenValue: 'token', AgentVersion: '3.3.0.0' }),
      );
      await connected;
      const received = once(agent, 'message');
      assert.equal(hub.send(INSTANCE, job), true);
      const [data, isBinary] = (await received) as [Buffer, boolean];
      assert.equal(isBinary, true);
      assert.equal(data.readUInt32BE(0), 116, 'HeaderLength');
      assert.match(data.toString('latin1', 4, 36), /^agent_job\s*$/);
    } finally {
      hub.close();
      await close();
    }
  });
});
