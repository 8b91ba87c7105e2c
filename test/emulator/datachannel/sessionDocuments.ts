/** The session documents the fake knows, with the properties their agents echo in the handshake. */
export interface SessionDocument {
  name: string;
  sessionType: 'Port' | 'Standard_Stream';
  parameters: Record<string, { default?: string; required?: boolean }>;
  properties(values: Record<string, string>): Record<string, string>;
}

const portForwardingParameters = {
  portNumber: { default: '80' },
  localPortNumber: { default: '0' },
};

export const sessionDocuments: Readonly<Record<string, SessionDocument>> = {
  'AWS-StartSSHSession': {
    name: 'AWS-StartSSHSession',
    sessionType: 'Port',
    parameters: { portNumber: { default: '22' } },
    properties: (v) => ({ portNumber: v.portNumber }),
  },
  'AWS-StartPortForwardingSession': {
    name: 'AWS-StartPortForwardingSession',
    sessionType: 'Port',
    parameters: portForwardingParameters,
    properties: (v) => ({
      portNumber: v.portNumber,
      type: 'LocalPortForwarding',
      localPortNumber: v.localPortNumber,
    }),
  },
  'AWS-StartPortForwardingSessionToRemoteHost': {
    name: 'AWS-StartPortForwardingSessionToRemoteHost',
    sessionType: 'Port',
    parameters: { ...portForwardingParameters, host: { required: true } },
    properties: (v) => ({
      portNumber: v.portNumber,
      type: 'LocalPortForwarding',
      localPortNumber: v.localPortNumber,
      host: v.host,
    }),
  },
  'SSM-SessionManagerRunShell': {
    name: 'SSM-SessionManagerRunShell',
    sessionType: 'Standard_Stream',
    parameters: {},
    properties: () => ({}),
  },
};

export const DEFAULT_DOCUMENT = 'SSM-SessionManagerRunShell';
