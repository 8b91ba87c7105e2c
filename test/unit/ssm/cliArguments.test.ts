import { strict as assert } from 'node:assert';
import { parseCliArguments } from '../../../src/ssm/cli/cliArguments';
import { UsageError } from '../../../src/ssm/cli/cliErrors';

const RESPONSE = {
  SessionId: 's-1',
  TokenValue: 't',
  StreamUrl: 'wss://h/v1/data-channel/s-1?role=publish_subscribe&cell-number=a+b/c=',
};
const REQUEST = {
  Target: 'mi-0123456789abcdef0',
  DocumentName: 'AWS-StartSSHSession',
  Parameters: { portNumber: ['22'] },
};

describe('sm-ssh argument parsing', () => {
  it('builds the AWS-StartSSHSession request for ssm-proxy', () => {
    const command = parseCliArguments(
      ['ssm-proxy', '--target', 'i-0abc12345', '--port', '2222', '--profile', 'dev', '--region', 'eu-west-1'],
      {},
    );
    assert.equal(command.kind, 'proxy');
    assert.ok(command.kind === 'proxy');
    assert.deepEqual(command.options.request, {
      Target: 'i-0abc12345',
      DocumentName: 'AWS-StartSSHSession',
      Parameters: { portNumber: ['2222'] },
      Reason: undefined,
    });
    assert.equal(command.options.profile, 'dev');
    assert.equal(command.options.region, 'eu-west-1');
    assert.equal(command.options.usePlugin, false);
    assert.equal(command.options.logLevel, 'warn');
  });

  it('picks the remote-host document when ssm-forward gets --host', () => {
    const command = parseCliArguments(
      [
        'ssm-forward',
        '--target',
        'mi-0123456789abcdef0',
        '--remote-port',
        '5432',
        '--local-port',
        '15432',
        '--host',
        'db.internal',
      ],
      {},
    );
    assert.ok(command.kind === 'forward');
    assert.equal(command.options.request.DocumentName, 'AWS-StartPortForwardingSessionToRemoteHost');
    assert.deepEqual(command.options.request.Parameters, {
      portNumber: ['5432'],
      localPortNumber: ['15432'],
      host: ['db.internal'],
    });
    assert.equal(command.options.bindAddress, '127.0.0.1');
    const plain = parseCliArguments(
      ['ssm-forward', '--target', 'mi-0123456789abcdef0', '--remote-port', '80'],
      {},
    );
    assert.ok(plain.kind === 'forward');
    assert.equal(plain.options.request.DocumentName, 'AWS-StartPortForwardingSession');
  });

  it('accepts the session-manager-plugin argv with the response inline', () => {
    const command = parseCliArguments(
      [
        JSON.stringify(RESPONSE),
        'us-east-1',
        'StartSession',
        '',
        JSON.stringify(REQUEST),
        'https://ssm.us-east-1.amazonaws.com',
      ],
      {},
    );
    assert.ok(command.kind === 'plugin');
    assert.deepEqual(command.response, RESPONSE);
    assert.deepEqual(command.aws, {
      region: 'us-east-1',
      profile: undefined,
      endpointUrl: 'https://ssm.us-east-1.amazonaws.com',
    });
    assert.equal(command.request.Target, REQUEST.Target);
  });

  it('reads AWS_SSM_START_SESSION_RESPONSE and removes it from the environment', () => {
    const env: NodeJS.ProcessEnv = {
      AWS_SSM_START_SESSION_RESPONSE: JSON.stringify(RESPONSE),
      OTHER: 'kept',
    };
    const command = parseCliArguments(
      ['AWS_SSM_START_SESSION_RESPONSE', 'us-east-1', 'StartSession', 'dev', JSON.stringify(REQUEST), ''],
      env,
    );
    assert.ok(command.kind === 'plugin');
    assert.deepEqual(command.response, RESPONSE);
    assert.equal(command.aws.profile, 'dev');
    assert.deepEqual(env, { OTHER: 'kept' });
  });

  it('rejects a plugin request without Target and a response without a token', () => {
    assert.throws(
      () => parseCliArguments([JSON.stringify(RESPONSE), 'r', 'StartSession', '', '{}', ''], {}),
      { code: 'Usage', message: /no Target/ },
    );
    assert.throws(
      () =>
        parseCliArguments(
          [JSON.stringify({ SessionId: 's' }), 'r', 'StartSession', '', JSON.stringify(REQUEST), ''],
          {},
        ),
      { code: 'Usage', message: /SessionId, TokenValue and StreamUrl/ },
    );
  });

  it('reports usage errors as UsageError', () => {
    for (const args of [
      ['ssm-proxy'],
      ['ssm-proxy', '--target', 'mi-1', '--port', 'x'],
      ['ssm-forward', '--target', 'mi-1'],
      ['nope'],
      ['ssm-proxy', '--target', 'mi-1', '--bogus'],
    ]) {
      assert.throws(() => parseCliArguments(args, {}), UsageError, args.join(' '));
    }
  });

  it('honours --verbose, --log-level, SM_SSH_LOG_LEVEL and --max-payload-size', () => {
    const verbose = parseCliArguments(['ssm-proxy', '--target', 'mi-1', '-v'], {});
    assert.ok(verbose.kind === 'proxy' && verbose.options.logLevel === 'debug');
    const fromEnv = parseCliArguments(['ssm-proxy', '--target', 'mi-1'], {
      SM_SSH_LOG_LEVEL: 'error',
      SM_SSH_MAX_PAYLOAD_SIZE: '16384',
    });
    assert.ok(
      fromEnv.kind === 'proxy' &&
        fromEnv.options.logLevel === 'error' &&
        fromEnv.options.maxPayloadSize === 16384,
    );
    assert.throws(
      () => parseCliArguments(['ssm-proxy', '--target', 'mi-1', '--max-payload-size', '0'], {}),
      UsageError,
    );
  });
});
