// Stand-in agent: the demo's fallback without shared/peers (demoEnvironment.mjs); tested by runtime, network.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const STATE_DIR = '/var/lib/amazon/ssm';
const REGISTRATION_FILE = `${STATE_DIR}/registration`;
const KEY_FILE = `${STATE_DIR}/Vault/Store/RegistrationKey`;

/** What `-register` stores, in the real agent's file format (plus the endpoint it registered with). */
export interface AgentIdentity {
  readonly ManagedInstanceID: string;
  readonly Region: string;
  readonly Endpoint?: string;
}

export function readIdentity(): AgentIdentity | undefined {
  try {
    const identity = JSON.parse(readFileSync(REGISTRATION_FILE, 'utf8')) as Partial<AgentIdentity>;
    return typeof identity.ManagedInstanceID === 'string' && typeof identity.Region === 'string'
      ? (identity as AgentIdentity)
      : undefined;
  } catch {
    return undefined;
  }
}

export function writeIdentity(identity: AgentIdentity, privateKeyPem: string): void {
  mkdirSync(`${STATE_DIR}/Vault/Store`, { recursive: true, mode: 0o700 });
  writeFileSync(KEY_FILE, privateKeyPem, { mode: 0o600 });
  writeFileSync(REGISTRATION_FILE, JSON.stringify(identity), { mode: 0o644 });
}

export function clearIdentity(): void {
  rmSync(REGISTRATION_FILE, { force: true });
  rmSync(KEY_FILE, { force: true });
}
