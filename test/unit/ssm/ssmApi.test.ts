import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SsmApi } from '../../../src/ssm/ssmApi';
import { silentLogger } from '../../../src/util/logger';
import { useAwsEnvironment } from '../../builders/awsEnvironment';
import { useEmulator } from '../../support/emulator';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('ssm api: credentials resolved ahead of the first call', () => {
  const emulator = useEmulator();
  const aws = useAwsEnvironment(() => ({ AWS_REGION: emulator().state.region }));

  function profile(name: string, lines: string[]): void {
    writeFileSync(join(aws.dir(), 'config'), [`[profile ${name}]`, ...lines, ''].join('\n'));
  }

  it('runs credential_process once for the warm-up and the call that follows', async () => {
    const env = emulator().env();
    const counter = join(aws.dir(), 'runs');
    const script = join(aws.dir(), 'creds.sh');
    writeFileSync(
      script,
      `#!/bin/sh\necho run >> '${counter}'\necho '{"Version":1,"AccessKeyId":"${env.AWS_ACCESS_KEY_ID}","SecretAccessKey":"${env.AWS_SECRET_ACCESS_KEY}"}'\n`,
      { mode: 0o700 },
    );
    profile('warm', [`credential_process = ${script}`, `endpoint_url = ${emulator().endpoint}`]);
    const api = await SsmApi.create({ profile: 'warm' }, silentLogger);
    api.warmUp();
    // No wall-clock cap: on a loaded machine the process may start late; mocha's timeout bounds the wait.
    while (!existsSync(counter)) await sleep(20);
    await assert.rejects(
      api.startSession({ Target: 'mi-00000000000000000', DocumentName: 'AWS-StartSSHSession' }),
      (error: Error) => !/credential/i.test(error.message),
    );
    assert.equal(readFileSync(counter, 'utf8'), 'run\n');
  });

  it('leaves a credentials failure to the call, which explains it', async () => {
    profile('broken', ['credential_process = /bin/false', `endpoint_url = ${emulator().endpoint}`]);
    const api = await SsmApi.create({ profile: 'broken' }, silentLogger);
    api.warmUp();
    await sleep(50);
    const error = await api
      .startSession({ Target: 'mi-00000000000000000', DocumentName: 'AWS-StartSSHSession' })
      .then(
        () => undefined,
        (caught: unknown) => api.translate(caught),
      );
    assert.match(String(error?.message), /credential_process|broken/);
  });
});
