/** No user config, only `identityFile`, no prompts: what every test ssh shares. */
function isolatedSshArgs(identityFile: string, hostKeyOptions: readonly string[]): string[] {
  return [
    '-F',
    '/dev/null',
    '-i',
    identityFile,
    '-o',
    'IdentitiesOnly=yes',
    ...hostKeyOptions.flatMap((option) => ['-o', option]),
    '-o',
    'BatchMode=yes',
  ];
}

/**
 * `ssh` options for a test sshd whose host key is new on every run (a simulated container, a
 * fixture). The product pins host keys; these tests check the container side or measure ssh
 * itself, so there is nothing to pin against. No user config, only `identityFile`, no prompts.
 */
export function throwawaySshArgs(identityFile: string): string[] {
  return isolatedSshArgs(identityFile, ['StrictHostKeyChecking=no', 'UserKnownHostsFile=/dev/null']);
}

/**
 * `ssh` options for a test sshd whose host key the test pinned in `knownHostsFile`, as the product
 * does: no user config, only `identityFile`, no prompts, and a changed host key fails the login.
 */
export function pinnedSshArgs(identityFile: string, knownHostsFile: string): string[] {
  return isolatedSshArgs(identityFile, [`UserKnownHostsFile=${knownHostsFile}`, 'StrictHostKeyChecking=yes']);
}
