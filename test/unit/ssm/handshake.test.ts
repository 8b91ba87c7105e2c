import { strict as assert } from 'node:assert';
import { decideHandshake } from '../../../src/ssm/handshake';
import {
  ActionStatus,
  encodeHandshakeResponse,
  parseHandshakeComplete,
  parseHandshakeRequest,
} from '../../../src/ssm/handshakePayloads';
import { PayloadParseError } from '../../../src/ssm/sessionErrors';
import { sessionModeOf } from '../../../src/ssm/sessionMode';

function request(json: unknown): Buffer {
  return Buffer.from(JSON.stringify(json));
}

describe('ssm handshake', () => {
  it('accepts a Port session and returns its properties', () => {
    const parsed = parseHandshakeRequest(
      request({
        AgentVersion: '3.3.987.0',
        RequestedClientActions: [
          {
            ActionType: 'SessionType',
            ActionParameters: {
              SessionType: 'Port',
              Properties: { portNumber: '22', localPortNumber: 0, extra: {} },
            },
          },
        ],
      }),
    );
    const decision = decideHandshake(parsed, '1.2.650.0');
    assert.equal(decision.accepted, true);
    assert.equal(decision.agentVersion, '3.3.987.0');
    assert.deepEqual(decision.properties, { portNumber: '22', localPortNumber: '0' });
    const response = JSON.parse(encodeHandshakeResponse(decision.response).toString());
    assert.deepEqual(response, {
      ClientVersion: '1.2.650.0',
      ProcessedClientActions: [{ ActionType: 'SessionType', ActionStatus: 1, ActionResult: null, Error: '' }],
      Errors: null,
    });
  });

  it('refuses other session types and unknown actions', () => {
    const decision = decideHandshake(
      parseHandshakeRequest(
        request({
          AgentVersion: '3.3.987.0',
          RequestedClientActions: [
            {
              ActionType: 'SessionType',
              ActionParameters: { SessionType: 'Standard_Stream', Properties: {} },
            },
            { ActionType: 'KMSEncryption', ActionParameters: { KMSKeyId: 'k' } },
          ],
        }),
      ),
      '1.2.650.0',
    );
    assert.equal(decision.accepted, false);
    assert.deepEqual(
      decision.response.processedClientActions.map((action) => action.actionStatus),
      [ActionStatus.Unsupported, ActionStatus.Unsupported],
    );
    assert.equal(decision.refusals.length, 2);
    assert.match(decision.refusals[0], /Standard_Stream/);
  });

  it('refuses a request without any SessionType', () => {
    const decision = decideHandshake(
      parseHandshakeRequest(request({ AgentVersion: '3.3.987.0' })),
      '1.2.650.0',
    );
    assert.equal(decision.accepted, false);
  });

  it('rejects malformed requests and parses HandshakeComplete', () => {
    assert.throws(() => parseHandshakeRequest(request({ RequestedClientActions: 'x' })), PayloadParseError);
    assert.deepEqual(
      parseHandshakeComplete(request({ HandshakeTimeToComplete: 5, CustomerMessage: 'hello' })),
      {
        handshakeTimeToCompleteNanos: 5,
        customerMessage: 'hello',
      },
    );
  });

  it('picks stdio, mux or basic from the properties and the agent version', () => {
    assert.equal(sessionModeOf('Port', { portNumber: '22' }, '3.3.987.0'), 'stream');
    assert.equal(sessionModeOf('Port', { type: 'LocalPortForwarding' }, '3.3.987.0'), 'mux');
    assert.equal(sessionModeOf('Port', { type: 'LocalPortForwarding' }, '3.0.196.0'), 'basic');
    assert.equal(sessionModeOf('Port', { type: 'LocalPortForwarding' }, '3.0.197.0'), 'mux');
    assert.equal(sessionModeOf('Port', { type: 'LocalPortForwarding' }, '3.1'), 'basic');
  });
});
