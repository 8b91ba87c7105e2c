import { UserFacingError } from '../util/errors';

export class UsageError extends UserFacingError {
  readonly code = 'Usage';
  constructor(detail: string) {
    super(`${detail} Run "sm-ssh --help" for the usage.`);
  }
}

export class PluginNotInstalledError extends UserFacingError {
  readonly code = 'PluginNotInstalled';
  constructor(command: string) {
    super(
      `--use-plugin was given but "${command}" was not found. Install AWS's Session Manager plugin ` +
        '(https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html) ' +
        'or drop --use-plugin to use the built-in client.',
    );
  }
}
