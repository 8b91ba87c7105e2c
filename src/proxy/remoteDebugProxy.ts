import { createHash } from 'node:crypto';
import type { HostDependencies } from '../connect/ensureHostReady';
import { readyRemoteDebugNode } from '../connect/remoteDebugHost';
import type { RemoteDebugNodeTarget } from '../targets/remoteDebugNode';
import { remoteDebugSsmTarget } from '../targets/remoteDebugNode';
import { runSession } from '../ssm/runSession';
import type { SessionCalls } from '../ssm/runSession';
import type { ShellSessionApi } from '../ssm/shellSessionStart';
import type { SessionEnd } from '../ssm/ssmSession';
import type { ProxyStreams } from './startProxy';

/** The document that forwards a port of the target: our sshd's, which is not 22. */
const PORT_DOCUMENT = 'AWS-StartPortForwardingSession';

/**
 * The ProxyCommand for a remote-debug node: a port session to our sshd in the container. The port
 * comes from the record Connect wrote; without one (plain `ssh` after only `sm-ssh config`, another
 * key, host keys not pinned) it first brings sshd up over a shell session, which reuses a running one.
 */
export async function startRemoteDebugProxy(
  deps: HostDependencies,
  calls: SessionCalls & ShellSessionApi,
  host: { readonly alias: string; readonly target: RemoteDebugNodeTarget },
  streams: ProxyStreams,
  whileOpen?: (terminate: () => void) => () => void,
): Promise<SessionEnd> {
  const { alias, target } = host;
  const [key, record, pinned] = await Promise.all([
    deps.keys.ensureKey(alias),
    deps.registry.get(alias),
    deps.knownHosts.hostKeys(alias).then((keys) => keys.length > 0),
  ]);
  const keySha256 = createHash('sha256').update(key.keyPair.publicKeyLine).digest('hex');
  let port = record?.remotePort;
  if (port === undefined || record?.keySha256 !== keySha256 || !pinned) {
    port = (await readyRemoteDebugNode(deps, calls, target)).sshd.port;
  }
  return runSession({
    start: {
      request: {
        Target: remoteDebugSsmTarget(target),
        DocumentName: PORT_DOCUMENT,
        Parameters: { portNumber: [String(port)] },
      },
    },
    calls: async () => calls,
    outlet: { kind: 'stdio', input: streams.input, output: streams.output },
    whileOpen,
    log: deps.logger,
  });
}
