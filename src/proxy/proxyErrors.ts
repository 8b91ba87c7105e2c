import { UserFacingError } from '../util/errors';

/** The ProxyCommand argv cannot be expressed as one executable plus plain arguments. */
export class InvalidProxyCommandError extends UserFacingError {
  readonly code = 'SSH_INVALID_PROXY_COMMAND';

  constructor(reason: string) {
    super(
      `Cannot write the SSH ProxyCommand: ${reason}. The extension's install path or arguments contain ` +
        'a character that ssh would interpret; reinstall the extension in a plain directory.',
    );
  }
}
