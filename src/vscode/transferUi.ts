import * as vscode from 'vscode';

export interface RemotePathQuestion {
  readonly title: string;
  readonly prompt: string;
  readonly value: string;
}

/** Reports progress: the message and the percentage points gained since the last report. */
export type ReportProgress = (message: string, increment: number) => void;

/**
 * The dialogs, the progress notification and the result notification of Download… / Upload…;
 * extension tests replace them (as HandOff) to answer the dialogs and cancel, with a real transfer.
 */
export interface TransferUi {
  askRemotePath(question: RemotePathQuestion): Promise<string | undefined>;
  /** The local file a remote file is saved as. */
  chooseSaveFile(defaultUri: vscode.Uri, title: string): Promise<vscode.Uri | undefined>;
  /** The local folder a remote folder is downloaded into. */
  chooseFolder(defaultUri: vscode.Uri, title: string): Promise<vscode.Uri | undefined>;
  /** Local files or folders to upload. */
  chooseUploads(defaultUri: vscode.Uri, title: string): Promise<readonly vscode.Uri[] | undefined>;
  /** Runs `task` under a cancellable notification; Cancel aborts the signal. */
  withProgress<T>(
    title: string,
    task: (report: ReportProgress, signal: AbortSignal) => Promise<T>,
  ): Promise<T>;
  /** An information message; resolves with the action picked. */
  notify(message: string, ...actions: string[]): Promise<string | undefined>;
}

function nonEmpty(value: string): string | undefined {
  return value.trim() === '' ? 'Enter a path in the container, e.g. /opt/ml/model' : undefined;
}

export const vscodeTransferUi: TransferUi = {
  askRemotePath: async ({ title, prompt, value }) =>
    vscode.window.showInputBox({ title, prompt, value, ignoreFocusOut: true, validateInput: nonEmpty }),
  chooseSaveFile: async (defaultUri, title) => vscode.window.showSaveDialog({ defaultUri, title }),
  chooseFolder: async (defaultUri, title) =>
    (
      await vscode.window.showOpenDialog({
        defaultUri,
        title,
        canSelectFolders: true,
        canSelectFiles: false,
        openLabel: 'Download Here',
      })
    )?.[0],
  chooseUploads: async (defaultUri, title) =>
    vscode.window.showOpenDialog({
      defaultUri,
      title,
      canSelectFiles: true,
      canSelectFolders: true,
      canSelectMany: true,
      openLabel: 'Upload',
    }),
  withProgress: async (title, task) =>
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const subscription = token.onCancellationRequested(() => controller.abort());
        try {
          return await task(
            (message, increment) => progress.report({ message, increment }),
            controller.signal,
          );
        } finally {
          subscription.dispose();
        }
      },
    ),
  notify: async (message, ...actions) => vscode.window.showInformationMessage(message, ...actions),
};
