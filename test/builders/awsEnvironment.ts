import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsAccess } from '../../src/aws/awsAccess';
import type { AwsConnection } from '../../src/aws/awsAccess';
import { silentLogger } from '../../src/util/logger';
import type { Logger } from '../../src/util/logger';

const awsVariables = [
  'AWS_PROFILE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_ENDPOINT_URL',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_EC2_METADATA_DISABLED',
  'HOME',
];

/**
 * Runs each test of a describe block with a hermetic AWS environment: shared config files in a
 * temporary directory that is also HOME (empty unless the test writes them), no instance metadata lookups, plus the
 * variables `env()` returns (e.g. an emulator's endpoint and keys). The SDK reads process.env
 * itself, so this is the real configuration path, not an injected one.
 */
export function useAwsEnvironment(env: () => Record<string, string>): { readonly dir: () => string } {
  let dir = '';
  const saved = new Map<string, string | undefined>();
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'smssh-aws-'));
    for (const name of awsVariables) {
      saved.set(name, process.env[name]);
      delete process.env[name];
    }
    Object.assign(process.env, {
      HOME: dir,
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      ...env(),
    });
  });
  afterEach(() => {
    for (const [name, value] of saved) {
      if (value === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = value;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir: () => dir };
}

export function connect(
  selection: { profile?: string; region?: string } = {},
  logger: Logger = silentLogger,
): Promise<AwsConnection> {
  return new AwsAccess({ logger }).connect(selection);
}

/** The endpoint and keys of one emulator identity (what `Emulator.env(identity)` returns). */
export interface EmulatorProfileSource {
  readonly endpoint: string;
  env(identity?: string): Record<string, string>;
}

function profileHeader(name: string): string {
  return name === 'default' ? '[default]' : `[profile ${name}]`;
}

/**
 * Writes profiles that point at the emulator as `identity` (what a user's ~/.aws holds): each
 * profile's region (omitted when undefined) and `endpoint_url` into `configFile`, the identity's keys
 * into `credentialsFile`. Default: one `[default]` profile in the emulator's region.
 */
export function writeEmulatorProfile(
  emulator: EmulatorProfileSource,
  identity: string,
  configFile: string,
  credentialsFile: string,
  profiles?: Readonly<Record<string, string | undefined>>,
): void {
  const aws = emulator.env(identity);
  const names = Object.entries(profiles ?? { default: aws.AWS_REGION });
  writeFileSync(
    configFile,
    names
      .map(
        ([name, region]) =>
          `${profileHeader(name)}\n${region ? `region = ${region}\n` : ''}endpoint_url = ${emulator.endpoint}\n`,
      )
      .join(''),
  );
  writeFileSync(
    credentialsFile,
    names
      .map(
        ([name]) =>
          `[${name}]\naws_access_key_id = ${aws.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${aws.AWS_SECRET_ACCESS_KEY}\n`,
      )
      .join(''),
  );
}
