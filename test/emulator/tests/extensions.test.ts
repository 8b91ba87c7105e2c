import * as assert from 'node:assert/strict';
import { GetObjectAttributesCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import {
  DescribeInstanceInformationCommand,
  StartSessionCommand,
  TerminateSessionCommand,
} from '@aws-sdk/client-ssm';
import WebSocket, { WebSocketServer } from 'ws';
import { AwsError, JsonInput, startEmulator, type JsonObject, type OperationContext } from '..';
import { clientsFor, expectAwsError, useEmulator } from '../../support/emulator';

describe('emulator: extension points (addOperations, onUpgrade)', () => {
  const emulator = useEmulator({
    identities: [
      {
        name: 'dev',
        accessKeyId: 'AKIAEXTENSIONDEV0001',
        secretAccessKey: 's',
        arn: 'arn:aws:iam::123456789012:user/dev',
        userId: 'AIDADEV',
      },
      {
        name: 'nosession',
        accessKeyId: 'AKIAEXTENSIONNOS0001',
        secretAccessKey: 's',
        arn: 'arn:aws:iam::123456789012:user/nos',
        userId: 'AIDANOS',
        deny: ['ssm:StartSession'],
      },
    ],
    ssm: { instances: [{ id: 'mi-00000000000000001' }] },
  });
  const sessions = new Map<string, string>();

  before(() => {
    emulator().addOperations('ssm', {
      StartSession: {
        resourceArn: (input, context) => context.state.arns.managedInstance(String(input.Target)),
        handler: (body: JsonObject, context: OperationContext) => {
          const input = JsonInput.of(body);
          const target = input.string('Target', { required: true, min: 1 })!;
          input.string('DocumentName');
          input.finish();
          if (!context.state.instances.has(target))
            throw new AwsError('TargetNotConnected', `${target} is not connected.`);
          const sessionId = `${context.identity!.name}-${sessions.size + 1}`;
          sessions.set(sessionId, target);
          return {
            SessionId: sessionId,
            TokenValue: 'token',
            StreamUrl: `${context.endpoint.replace('http', 'ws')}/v1/data-channel/${sessionId}?role=publish_subscribe`,
          };
        },
      },
      TerminateSession: (body: JsonObject) => {
        sessions.delete(String(body.SessionId));
        return { SessionId: body.SessionId };
      },
    });
    const server = new WebSocketServer({ noServer: true });
    emulator().onUpgrade('/v1/data-channel/', (request, socket, head) => {
      server.handleUpgrade(request, socket, head, (ws) => {
        const sessionId = (request.url ?? '').split('?')[0]!.split('/').pop()!;
        ws.on('message', (data) => ws.send(`${sessions.get(sessionId) ?? 'unknown'}:${String(data)}`));
      });
    });
  });

  it('serves added JSON operations through the real SDK, with auth, deny rules and the call log', async () => {
    const { ssm } = clientsFor(emulator(), 'dev');
    const session = await ssm.send(
      new StartSessionCommand({ Target: 'mi-00000000000000001', DocumentName: 'AWS-StartSSHSession' }),
    );
    assert.equal(session.SessionId, 'dev-1');
    assert.equal(
      session.StreamUrl,
      `${emulator().endpoint.replace('http', 'ws')}/v1/data-channel/dev-1?role=publish_subscribe`,
    );
    const call = emulator().calls.filter({ operation: 'StartSession' }).at(-1)!;
    assert.equal(call.identity, 'arn:aws:iam::123456789012:user/dev');
    await expectAwsError(
      ssm.send(new StartSessionCommand({ Target: 'mi-0000000000000dead' })),
      'TargetNotConnected',
      400,
    );
    await expectAwsError(ssm.send(new StartSessionCommand({} as never)), 'ValidationException');
    const denied = await expectAwsError(
      clientsFor(emulator(), 'nosession').ssm.send(
        new StartSessionCommand({ Target: 'mi-00000000000000001' }),
      ),
      'AccessDeniedException',
    );
    assert.match(
      denied.message,
      /ssm:StartSession on resource: arn:aws:ssm:us-east-1:123456789012:managed-instance\/mi-00000000000000001/,
    );
    assert.equal((await ssm.send(new TerminateSessionCommand({ SessionId: 'dev-1' }))).SessionId, 'dev-1');
  });

  it('routes WebSocket upgrades by path prefix and refuses others with 404', async () => {
    const { ssm } = clientsFor(emulator(), 'dev');
    const session = await ssm.send(new StartSessionCommand({ Target: 'mi-00000000000000001' }));
    const ws = new WebSocket(session.StreamUrl!, { perMessageDeflate: false });
    const reply = await new Promise<string>((resolve, reject) => {
      ws.on('open', () => ws.send('hello'));
      ws.on('message', (data) => resolve(String(data)));
      ws.on('error', reject);
    });
    ws.close();
    assert.equal(reply, 'mi-00000000000000001:hello');
    const refused = new WebSocket(`${emulator().endpoint.replace('http', 'ws')}/v2/other`);
    const error = await new Promise<Error>((resolve) => refused.on('error', resolve));
    assert.match(error.message, /404/);
  });

  it('drops open WebSockets when the emulator closes', async () => {
    const other = await startEmulator();
    const server = new WebSocketServer({ noServer: true });
    other.onUpgrade('/v1/data-channel/', (request, socket, head) =>
      server.handleUpgrade(request, socket, head, () => undefined),
    );
    const ws = new WebSocket(`${other.endpoint.replace('http', 'ws')}/v1/data-channel/x`);
    await new Promise((resolve, reject) => {
      ws.on('open', resolve);
      ws.on('error', reject);
    });
    const closed = new Promise((resolve) => ws.on('close', resolve));
    await other.close();
    await closed;
  });

  it('refuses duplicate operations unless asked to replace, and unknown services', async () => {
    assert.throws(
      () => emulator().addOperations('ssm', { StartSession: () => ({}) }),
      /already has an operation StartSession/,
    );
    emulator().addOperations(
      'ssm',
      { DescribeInstanceInformation: () => ({ InstanceInformationList: [] }) },
      { replace: true },
    );
    const { ssm } = clientsFor(emulator(), 'dev');
    assert.deepEqual(
      (await ssm.send(new DescribeInstanceInformationCommand({}))).InstanceInformationList,
      [],
    );
    assert.throws(() => emulator().addOperations('ec2' as never, {}), /Unknown service ec2/);
    assert.throws(
      () => emulator().addOperations('s3', { GetBucketAcl: { handler: () => ({}) } as never }),
      /needs a route/,
    );
    assert.throws(() => emulator().onUpgrade('/v1/data-channel/', () => undefined), /already registered/);
  });

  it('lets S3 operations be added with a route', async () => {
    emulator().addOperations('s3', {
      GetObjectAttributes: {
        route: { method: 'GET', scope: 'object', subresource: 'attributes' },
        iamAction: 's3:GetObjectAttributes',
        handler: (request) => ({
          headers: { 'content-type': 'application/xml' },
          body: `<GetObjectAttributesResponse><ETag>etag-of-${request.key}</ETag><ObjectSize>42</ObjectSize></GetObjectAttributesResponse>`,
        }),
      },
    });
    const { s3 } = clientsFor(emulator(), 'dev');
    const attributes = await s3.send(
      new GetObjectAttributesCommand({
        Bucket: 'any-bucket',
        Key: 'some/key',
        ObjectAttributes: ['ETag', 'ObjectSize'],
      }),
    );
    assert.equal(attributes.ETag, 'etag-of-some/key');
    assert.equal(attributes.ObjectSize, 42);
    await expectAwsError(
      s3.send(new GetObjectCommand({ Bucket: 'missing-bucket', Key: 'k' })),
      'NoSuchBucket',
    );
  });
});
