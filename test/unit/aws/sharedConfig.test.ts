import * as assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  describeProfileKind,
  profileNames,
  profileSection,
  readSharedConfig,
} from '../../../src/aws/sharedConfig';

describe('shared AWS config files', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smssh-cfg-'));
    await writeFile(
      join(dir, 'config'),
      [
        '[default]',
        'region = us-east-1',
        '[profile sso-dev]',
        'sso_session = corp',
        'sso_account_id = 111122223333',
        'sso_role_name = ML',
        'region = eu-west-1',
        '[profile both]',
        'region = eu-central-1',
        '[profile proc]',
        'credential_process = /usr/bin/get-creds',
        '[profile role]',
        'role_arn = arn:aws:iam::111122223333:role/ML',
        'source_profile = default',
        '[sso-session corp]',
        'sso_region = us-east-1',
        '[services local]',
        'ssm =',
        '  endpoint_url = http://127.0.0.1:9',
        '',
      ].join('\n'),
    );
    await writeFile(
      join(dir, 'credentials'),
      '[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = x\n[both]\naws_access_key_id = B\naws_secret_access_key = y\n[keys]\naws_access_key_id = K\naws_secret_access_key = z\n',
    );
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('lists profiles from both files once, without sso-session and services sections', async () => {
    const cfg = await readSharedConfig({
      configFile: join(dir, 'config'),
      credentialsFile: join(dir, 'credentials'),
    });
    assert.deepEqual(profileNames(cfg), ['default', 'sso-dev', 'both', 'proc', 'role', 'keys']);
  });

  it('merges a profile with the config file winning', async () => {
    const cfg = await readSharedConfig({
      configFile: join(dir, 'config'),
      credentialsFile: join(dir, 'credentials'),
    });
    assert.deepEqual(profileSection(cfg, 'both'), {
      aws_access_key_id: 'B',
      aws_secret_access_key: 'y',
      region: 'eu-central-1',
    });
    assert.equal(profileSection(cfg, 'nope'), undefined);
  });

  it('describes how each profile gets credentials', async () => {
    const cfg = await readSharedConfig({
      configFile: join(dir, 'config'),
      credentialsFile: join(dir, 'credentials'),
    });
    const kind = (name: string): string => describeProfileKind(profileSection(cfg, name)!);
    assert.equal(kind('sso-dev'), 'IAM Identity Center (SSO)');
    assert.equal(kind('proc'), 'credential_process');
    assert.equal(kind('role'), 'assumes arn:aws:iam::111122223333:role/ML via default');
    assert.equal(kind('keys'), 'access key');
  });

  it('reads the files fresh each time', async () => {
    const paths = { configFile: join(dir, 'config2'), credentialsFile: join(dir, 'none') };
    await writeFile(paths.configFile, '[profile a]\nregion = us-east-1\n');
    assert.deepEqual(profileNames(await readSharedConfig(paths)), ['a']);
    await writeFile(paths.configFile, '[profile a]\nregion = us-east-1\n[profile b]\nregion = us-west-1\n');
    assert.deepEqual(profileNames(await readSharedConfig(paths)), ['a', 'b']);
  });
});
