import type { TlsEndpoint } from '../emulator';
import type { ContainerFile } from './sandbox';

/** Where a container finds the emulator's throwaway CA (SSL_CERT_FILE points here). */
export const AGENT_CA_PATH = '/etc/amazon/ssm/emulator-ca.pem';

/**
 * AWS's agent configuration for a simulated container (`/etc/amazon/ssm/amazon-ssm-agent.json`):
 * every endpoint at the emulator. Ssm/Mds/S3/Kms take `http://`; Mgs keeps only its host part and
 * the agent forces https/wss (agent/session/config), so it names the TLS listener.
 */
export function awsAgentFiles(
  endpoint: string,
  tls: TlsEndpoint,
  region: string,
): Record<string, ContainerFile> {
  const config = {
    Profile: { ShareCreds: true, ShareProfile: '', ForceUpdateCreds: false, KeyAutoRotateDays: 0 },
    Mds: { CommandWorkersLimit: 5, StopTimeoutMillis: 20000, Endpoint: endpoint, CommandRetryLimit: 15 },
    Ssm: { Endpoint: endpoint, HealthFrequencyMinutes: 5, SessionLogsDestination: 'none' },
    Mgs: { Region: region, Endpoint: tls.endpoint, StopTimeoutMillis: 20000, SessionWorkersLimit: 1000 },
    Agent: {
      Region: region,
      SelfUpdate: false,
      TelemetryMetricsToCloudWatch: false,
      TelemetryMetricsToSSM: false,
    },
    S3: { Endpoint: endpoint, Region: region },
    Kms: { Endpoint: endpoint },
  };
  return {
    '/etc/amazon/ssm/amazon-ssm-agent.json': { content: JSON.stringify(config, null, 2) + '\n' },
    [AGENT_CA_PATH]: { content: tls.caPem },
  };
}
