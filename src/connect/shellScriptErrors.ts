import { UserFacingError } from '../util/errors';

/** The last lines of what a script printed, for an error message (at most `maxChars`). */
export function lastLines(output: string, lines = 20, maxChars = 1500): string {
  const tail = output.trimEnd().split('\n').slice(-lines).join('\n');
  return tail.length > maxChars ? tail.slice(-maxChars) : tail;
}

/** The script ran and exited with a status other than 0. */
export class ShellScriptFailedError extends UserFacingError {
  readonly code = 'ShellScriptFailed';
  constructor(
    readonly purpose: string,
    readonly target: string,
    readonly exitCode: number,
    readonly output: string,
  ) {
    const said = lastLines(output);
    super(
      `${purpose} failed on ${target} (exit status ${exitCode}). ` +
        (said ? `The container said: ${said}` : 'The container printed nothing.'),
      { actions: [{ title: 'Show Log', command: 'sagemakerSsh.showLog' }] },
    );
  }
}

/**
 * The shell session ended before the script reported an exit status: the agent refused to start a
 * shell, the container went away, or the session was terminated from elsewhere.
 */
export class ShellScriptSessionEndedError extends UserFacingError {
  readonly code = 'ShellScriptSessionEnded';
  constructor(
    readonly purpose: string,
    readonly target: string,
    readonly endKind: string,
    readonly output: string,
  ) {
    const said = lastLines(output);
    super(
      `${purpose} on ${target} did not finish: the shell session ended (${endKind}) before the script ` +
        `reported its exit status. ${said ? `The session printed: ${said}. ` : ''}` +
        'Check that the container still runs (the job or app status) and try again.',
      { actions: [{ title: 'Show Log', command: 'sagemakerSsh.showLog' }] },
    );
  }
}

/** A data name for a shell script that is not a plain shell variable name (a bug in our code). */
export class InvalidScriptDataNameError extends UserFacingError {
  readonly code = 'InvalidScriptDataName';
  constructor(name: string) {
    super(
      `Internal error: "${name}" cannot name a value for a container script (use letters, digits and _). ` +
        'Please report this.',
    );
  }
}
