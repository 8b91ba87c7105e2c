import { strict as assert } from 'node:assert';
import {
  isPluginContract,
  parsePluginContractArgs,
  parseSsmForwardArgs,
  parseSsmProxyArgs,
} from '../../../src/cli/ssmSessionArguments';
import { UsageError } from '../../../src/cli/cliErrors';

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
    const options = parseSsmProxyArgs(
      ['--target', 'i-0abc12345', '--port', '2222', '--profile', 'dev', '--region', 'eu-west-1'],
      {},
    );
    assert.deepEqual(options.request, {
      Target: 'i-0abc12345',
      DocumentName: 'AWS-StartSSHSession',
      Parameters: { portNumber: ['2222'] },
      Reason: undefined,
    });
    assert.equal(options.profile, 'dev');
    assert.equal(options.region, 'eu-west-1');
    assert.equal(options.usePlugin, false);
    assert.equal(options.logLevel, 'warn');
  });

  it('picks the remote-host document when ssm-forward gets --host', () => {
    const options = parseSsmForwardArgs(
      [
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
    assert.equal(options.request.DocumentName, 'AWS-StartPortForwardingSessionToRemoteHost');
    assert.deepEqual(options.request.Parameters, {
      portNumber: ['5432'],
      localPortNumber: ['15432'],
      host: ['db.internal'],
    });
    assert.equal(options.bindAddress, '127.0.0.1');
    const plain = parseSsmForwardArgs(['--target', 'mi-0123456789abcdef0', '--remote-port', '80'], {});
    assert.equal(plain.request.DocumentName, 'AWS-StartPortForwardingSession');
  });

  it('accepts the session-manager-plugin argv with the response inline', () => {
    const args = [
      JSON.stringify(RESPONSE),
      'us-east-1',
      'StartSession',
      '',
      JSON.stringify(REQUEST),
      'https://ssm.us-east-1.amazonaws.com',
    ];
    assert.ok(isPluginContract(args));
    const command = parsePluginContractArgs(args, {});
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
    const command = parsePluginContractArgs(
      ['AWS_SSM_START_SESSION_RESPONSE', 'us-east-1', 'StartSession', 'dev', JSON.stringify(REQUEST), ''],
      env,
    );
    assert.deepEqual(command.response, RESPONSE);
    assert.equal(command.aws.profile, 'dev');
    assert.deepEqual(env, { OTHER: 'kept' });
  });

  it('rejects a plugin request without Target and a response without a token', () => {
    assert.throws(
      () => parsePluginContractArgs([JSON.stringify(RESPONSE), 'r', 'StartSession', '', '{}', ''], {}),
      /no Target/,
    );
    assert.throws(
      () =>
        parsePluginContractArgs(
          [JSON.stringify({ SessionId: 's' }), 'r', 'StartSession', '', JSON.stringify(REQUEST), ''],
          {},
        ),
      /SessionId, TokenValue and StreamUrl/,
    );
  });

  it('reports usage errors as UsageError', () => {
    for (const args of [[], ['--target', 'mi-1', '--port', 'x'], ['--target', 'mi-1', '--bogus'], ['mi-1']]) {
      assert.throws(() => parseSsmProxyArgs(args, {}), UsageError, args.join(' '));
    }
    assert.throws(() => parseSsmForwardArgs(['--target', 'mi-1'], {}), UsageError);
    assert.throws(
      () => parseSsmProxyArgs(['--target', 'mi-1', '--log-level', 'loud'], {}),
      (error: unknown) => error instanceof UsageError && error.code === 'Usage',
    );
  });

  it('honours --verbose, --log-level, SM_SSH_LOG_LEVEL and --max-payload-size', () => {
    assert.equal(parseSsmProxyArgs(['--target', 'mi-1', '-v'], {}).logLevel, 'debug');
    assert.equal(parseSsmProxyArgs(['--target', 'mi-1', '--log-level', 'trace'], {}).logLevel, 'trace');
    const fromEnv = parseSsmProxyArgs(['--target', 'mi-1'], {
      SM_SSH_LOG_LEVEL: 'error',
      SM_SSH_MAX_PAYLOAD_SIZE: '16384',
    });
    assert.equal(fromEnv.logLevel, 'error');
    assert.equal(fromEnv.maxPayloadSize, 16384);
    assert.throws(() => parseSsmProxyArgs(['--target', 'mi-1', '--max-payload-size', '0'], {}), UsageError);
  });
});
