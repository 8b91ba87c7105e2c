import { UserFacingError } from '../util/errors';
import { PYTHON_DEBUGGER_EXTENSION } from './debugConfiguration';

export class NoPythonDebuggerError extends UserFacingError {
  readonly code = 'NoPythonDebugger';
  constructor() {
    super(
      'Attach Python Debugger needs a Python debugger extension, and none is installed (no extension contributes ' +
        `the "debugpy" debug type). Install "Python Debugger" (${PYTHON_DEBUGGER_EXTENSION}) and run the command again.`,
      {
        actions: [
          {
            title: 'Install Python Debugger',
            command: 'workbench.extensions.installExtension',
            args: [PYTHON_DEBUGGER_EXTENSION],
          },
        ],
      },
    );
  }
}

/** The forward's NothingListens, worded for the debugger: the training is not running under debugpy. */
export class DebuggerNotListeningError extends UserFacingError {
  readonly code = 'NothingListens';
  constructor(
    readonly remotePort: number,
    readonly where: string,
  ) {
    super(
      `No debugger listens on port ${remotePort} in ${where}. Start training under debugpy: set the ` +
        `environment variable SSH_WAIT_FOR_DEBUGGER=true on the estimator (and pip install debugpy in the image), ` +
        `see README "Attach the Python debugger"; or set sagemakerSsh.debugger.port to the port your script ` +
        `passes to debugpy.listen().`,
    );
  }
}

/** Something took the probe's connection in the container but did not answer DAP `initialize`. */
export class DebuggerNotAnsweringError extends UserFacingError {
  readonly code = 'DebuggerNotAnswering';
  constructor(
    readonly remotePort: number,
    readonly where: string,
    readonly waitedMs: number,
  ) {
    super(
      `Port ${remotePort} in ${where} accepted a connection but did not answer the debugger's first request ` +
        `within ${Math.round(waitedMs / 1000)} s, so it is not debugpy, or debugpy is busy with another client. ` +
        `Check what listens there (ss -tlnp in an SSH shell), or set sagemakerSsh.debugger.port to the port ` +
        `your script passes to debugpy.listen(), and run Attach Python Debugger again.`,
    );
  }
}

export class NoLocalFolderError extends UserFacingError {
  readonly code = 'NoLocalFolder';
  constructor() {
    super(
      "Attach Python Debugger maps the container's code folder to a local folder: open the folder with your " +
        'training code (File → Open Folder…) or pick one when asked.',
    );
  }
}
