import { UserFacingError } from '../../util/errors';
import { describeCause } from '../../util/fs/errors';

/** A path cannot be written into an ssh_config value without changing its meaning. */
export class UnsupportedConfigPathError extends UserFacingError {
  readonly code = 'SSH_UNSUPPORTED_CONFIG_PATH';
  readonly path: string;

  constructor(path: string, reason: string) {
    super(
      `Cannot use the path ${JSON.stringify(path)} in an SSH config: ${reason}. Choose a location ` +
        '(for example a different VS Code global storage or home directory) without that character.',
    );
    this.path = path;
  }
}

/** A host entry we were asked to write is not acceptable. */
export class InvalidHostEntryError extends UserFacingError {
  readonly code = 'SSH_INVALID_HOST_ENTRY';

  constructor(alias: string, reason: string) {
    super(`Cannot write the SSH host "${alias}": ${reason}.`);
  }
}

export interface ConfigLocation {
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
}

/** The user's SSH config exists but cannot be read. Nothing was written. */
export class UserSshConfigReadError extends UserFacingError {
  readonly code = 'SSH_USER_CONFIG_UNREADABLE';
  readonly file: string;

  constructor(file: string, cause: unknown) {
    super(
      `Cannot read your SSH config ${file} (${describeCause(cause)}). Make it a regular file your user can read ` +
        `(for example: chmod 600 "${file}"), or point the remote.SSH.configFile setting at another file. ` +
        'Nothing was changed.',
      { cause },
    );
    this.file = file;
  }
}

/** The user's SSH config cannot be parsed. Nothing was written. */
export class UserSshConfigParseError extends UserFacingError {
  readonly code = 'SSH_USER_CONFIG_UNPARSABLE';
  readonly file: string;

  constructor(file: string, detail: string) {
    super(
      `Your SSH config ${file} could not be parsed (${detail}). Open the file, fix the line (an unclosed ` +
        'quote is the usual cause), and try again. Nothing was changed.',
      { actions: [{ title: 'Open SSH Config', command: 'vscode.open', args: [file] }] },
    );
    this.file = file;
  }
}

/** Our BEGIN/END markers in the user's config are unbalanced, so we cannot tell what is ours. */
export class ManagedBlockMarkersError extends UserFacingError {
  readonly code = 'SSH_MANAGED_BLOCK_CORRUPT';
  readonly file: string;

  constructor(file: string, problem: string) {
    super(
      `The "SageMaker SSH" block in ${file} is damaged: ${problem}. Open the file and delete the lines ` +
        'from "# --- BEGIN SageMaker SSH" to "# --- END SageMaker SSH" (or a stray marker line), then ' +
        'connect again; the block is re-created. Nothing was changed.',
      { actions: [{ title: 'Open SSH Config', command: 'vscode.open', args: [file] }] },
    );
    this.file = file;
  }
}

/** The user's config is a symlink to a file that does not exist. */
export class DanglingConfigSymlinkError extends UserFacingError {
  readonly code = 'SSH_USER_CONFIG_DANGLING_SYMLINK';

  constructor(file: string) {
    super(
      `Your SSH config ${file} is a symbolic link to a file that does not exist. Create the target file ` +
        '(or remove the link), then try again. Nothing was changed.',
    );
  }
}

/** `ssh` could not be started. */
export class SshNotFoundError extends UserFacingError {
  readonly code = 'SSH_CLIENT_NOT_FOUND';

  constructor(sshPath: string, cause: unknown) {
    super(
      `Could not run the OpenSSH client "${sshPath}" (${describeCause(cause)}). Install OpenSSH, or set ` +
        'remote.SSH.path to the full path of ssh.',
      { cause },
    );
  }
}

/** `ssh -G` rejected the configuration (a syntax error somewhere in the user's files). */
export class SshConfigSyntaxError extends UserFacingError {
  readonly code = 'SSH_CONFIG_INVALID';
  readonly stderr: string;
  readonly location: ConfigLocation | undefined;

  constructor(stderr: string, location: ConfigLocation | undefined, fallbackFile: string) {
    const where = location === undefined ? fallbackFile : `${location.file} line ${location.line}`;
    const file = location?.file ?? fallbackFile;
    super(
      `Your SSH configuration has an error, so ssh cannot use it (${where}): ${stderr.trim() || 'no details'}. ` +
        `Open ${file}, fix it, and connect again.`,
      { actions: [{ title: 'Open SSH Config', command: 'vscode.open', args: [file] }] },
    );
    this.stderr = stderr;
    this.location = location;
  }
}

export interface EffectiveOptionConflict {
  /** ssh_config keyword, e.g. "ProxyCommand". */
  readonly option: string;
  readonly expected: string;
  /** What `ssh -G` reports (undefined when the option is not set at all). */
  readonly actual: string | undefined;
  /** The user's line that most likely wins over ours, when we could find it. */
  readonly source: (ConfigLocation & { readonly text: string; readonly certain: boolean }) | undefined;
}

function describeConflict(conflict: EffectiveOptionConflict): string {
  const actual = conflict.actual === undefined ? 'not set' : JSON.stringify(conflict.actual);
  const where =
    conflict.source === undefined
      ? ''
      : ` It is set by ${conflict.source.file} line ${conflict.source.line}: "${conflict.source.text}"` +
        `${conflict.source.certain ? '' : ' (if that rule applies)'}.`;
  return `${conflict.option} is ${actual} instead of ${JSON.stringify(conflict.expected)}.${where}`;
}

/** The user's own SSH config overrides options that our host needs. */
export class SshConfigConflictError extends UserFacingError {
  readonly code = 'SSH_CONFIG_CONFLICT';
  readonly alias: string;
  readonly conflicts: readonly EffectiveOptionConflict[];

  constructor(alias: string, conflicts: readonly EffectiveOptionConflict[], userConfig: string) {
    const notIncluded = conflicts.some((c) => c.option === 'ProxyCommand' && c.actual === undefined);
    const fix = notIncluded
      ? `ssh does not read the SageMaker SSH settings for ${alias}: make sure the "# --- BEGIN SageMaker SSH" ` +
        `block is at the top of ${userConfig}, outside any Host or Match block.`
      : `ssh uses the first value it finds, so a rule earlier in your config wins. Move the "# --- BEGIN ` +
        `SageMaker SSH" block above it, or exclude our hosts from that rule, e.g. ` +
        '"Host * !*.sagemaker !sagemaker-training !sagemaker-studio".';
    super(
      `Your SSH config overrides settings SageMaker SSH needs for ${alias}. ${conflicts.map(describeConflict).join(' ')} ${fix}`,
      {
        actions: [
          {
            title: 'Open SSH Config',
            command: 'vscode.open',
            args: [conflicts.find((c) => c.source)?.source?.file ?? userConfig],
          },
        ],
      },
    );
    this.alias = alias;
    this.conflicts = conflicts;
  }
}

export interface ConfigNotReadDetails {
  readonly alias: string;
  /** The config files `ssh -v -G` reported reading, in order. */
  readonly filesRead: readonly string[];
  /** Whether userConfig is among them (compared as paths, as ssh may spell it differently). */
  readonly userConfigRead: boolean;
  /** Where we wrote the Include block. */
  readonly userConfig: string;
  readonly managedConfig: string;
  /** True when ssh was run with -F userConfig. */
  readonly passedConfigFile: boolean;
  readonly homeDir: string;
  readonly sshHomeDir: string;
}

function notReadReason(details: ConfigNotReadDetails): string {
  if (!details.userConfigRead) {
    const read = details.filesRead.length === 0 ? 'no config file' : `only ${details.filesRead.join(', ')}`;
    const home =
      details.sshHomeDir !== details.homeDir
        ? ` OpenSSH reads ~/.ssh/config from ${details.sshHomeDir} (your home in the user database), ` +
          `not from $HOME (${details.homeDir}).`
        : '';
    return `ssh read ${read}, not ${details.userConfig} where the host was written.${home}`;
  }
  return (
    `ssh read ${details.userConfig} but not the Include line in it: make sure the "# --- BEGIN SageMaker SSH" ` +
    'block is at the top of the file, outside any Host or Match block.'
  );
}

function notReadFix(details: ConfigNotReadDetails): string {
  if (details.userConfigRead) {
    return '';
  }
  return details.passedConfigFile
    ? " ssh was given -F for that file: check that remote.SSH.path runs OpenSSH's ssh and passes -F on."
    : ` Set remote.SSH.configFile to "${details.userConfig}" (sm-ssh: --ssh-config "${details.userConfig}"), ` +
        'so that every ssh (Remote-SSH, terminals, sm-ssh) is run with -F for it.';
}

/** `ssh -G <alias>` never read our config file, so none of our settings apply to the host. */
export class SshConfigNotReadError extends UserFacingError {
  readonly code = 'SSH_CONFIG_NOT_READ';
  readonly details: ConfigNotReadDetails;

  constructor(details: ConfigNotReadDetails) {
    super(
      `ssh does not see the SageMaker SSH host ${details.alias}: ${notReadReason(details)}` +
        `${notReadFix(details)} (Our hosts are in ${details.managedConfig}.)`,
      { actions: [{ title: 'Open SSH Config', command: 'vscode.open', args: [details.userConfig] }] },
    );
    this.details = details;
  }
}
