/** The document `properties` the agent echoes in the SessionType action of the handshake. */
export interface PortSessionProperties {
  portNumber?: string;
  /** "LocalPortForwarding" for the port-forwarding documents; absent for AWS-StartSSHSession. */
  type?: string;
  localPortNumber?: string;
  host?: string;
  localUnixSocket?: string;
  localConnectionType?: string;
}

const KNOWN_KEYS = [
  'portNumber',
  'type',
  'localPortNumber',
  'host',
  'localUnixSocket',
  'localConnectionType',
] as const;

export function toPortSessionProperties(raw: unknown): PortSessionProperties {
  const properties: PortSessionProperties = {};
  if (typeof raw !== 'object' || raw === null) return properties;
  const record = raw as Record<string, unknown>;
  for (const key of KNOWN_KEYS) {
    const value = record[key];
    if (typeof value === 'string' || typeof value === 'number') properties[key] = String(value);
  }
  return properties;
}

export function isLocalPortForwarding(properties: PortSessionProperties): boolean {
  return properties.type === 'LocalPortForwarding';
}
