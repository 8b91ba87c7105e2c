import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runHostProcess } from '../containers/processes';

/** A throwaway CA and a server certificate it signed for 127.0.0.1, made for one emulator run. */
export interface ThrowawayTls {
  /** The CA certificate (PEM): what clients must trust, e.g. through SSL_CERT_FILE. */
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

/** openssl could not make the certificates (missing, or it failed). */
export class TlsSetupError extends Error {
  readonly code = 'TLS_SETUP';
  constructor(detail: string) {
    super(
      `The emulator's TLS listener for ssmmessages needs a throwaway certificate made with the openssl CLI: ${detail}. ` +
        'Install it (Debian: apt-get install openssl).',
    );
    this.name = 'TlsSetupError';
  }
}

/**
 * Makes a CA (P-256, valid 2 days, CA:TRUE) and a leaf for IP 127.0.0.1 / localhost signed by it.
 * The private keys exist only in memory afterwards; the temporary folder is removed.
 */
export async function makeThrowawayTls(): Promise<ThrowawayTls> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sm-emulator-tls-'));
  const file = (name: string): string => path.join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    await openssl([
      'req',
      '-x509',
      ...ec,
      '-keyout',
      file('ca.key'),
      '-out',
      file('ca.pem'),
      '-days',
      '2',
      '-subj',
      '/CN=SageMaker SSH emulator throwaway CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    await openssl([
      'req',
      ...ec,
      '-keyout',
      file('server.key'),
      '-out',
      file('server.csr'),
      '-subj',
      '/CN=127.0.0.1',
    ]);
    await writeFile(
      file('server.ext'),
      'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n',
    );
    await openssl([
      'x509',
      '-req',
      '-in',
      file('server.csr'),
      '-CA',
      file('ca.pem'),
      '-CAkey',
      file('ca.key'),
      '-CAcreateserial',
      '-out',
      file('server.pem'),
      '-days',
      '2',
      '-extfile',
      file('server.ext'),
    ]);
    const [caPem, certPem, keyPem] = await Promise.all(
      ['ca.pem', 'server.pem', 'server.key'].map((name) => readFile(file(name), 'utf8')),
    );
    return { caPem: caPem!, certPem: certPem!, keyPem: keyPem! };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function openssl(args: readonly string[]): Promise<void> {
  const result = await runHostProcess('openssl', args).catch((error: NodeJS.ErrnoException) => {
    throw new TlsSetupError(error.code === 'ENOENT' ? 'openssl is not installed' : error.message);
  });
  if (result.code !== 0) throw new TlsSetupError(`openssl ${args[0]} failed: ${result.stderr.trim()}`);
}
