import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CopyResult } from '../payload/copyPayload';
import { copyPayload } from '../payload/copyPayload';
import { insertSetupCall } from '../payload/entryScript';
import { PayloadConflictError } from '../payload/errors';
import { estimatorSnippet } from '../payload/estimatorSnippet';
import { PAYLOAD_PACKAGE, locatePayload } from '../payload/payloadLocation';
import { errorMessage } from '../util/errors';
import type { Logger } from '../util/logger';
import type { AwsState } from '../vscode/awsState';

export interface AddSshHelperDependencies {
  readonly aws: AwsState;
  readonly logger: Logger;
  /** The extension's folder (context.extensionPath), where media/remote is. */
  readonly extensionPath?: string;
}

export interface AddSshHelperOptions {
  /** The source folder to copy into; skips the folder dialog. */
  readonly folder?: string;
  /** Replace differing files without asking. */
  readonly overwrite?: boolean;
  /** The entry script to add the call to (absolute path); '' adds it nowhere. Skips the pick. */
  readonly entryScript?: string;
}

export interface AddSshHelperResult {
  readonly copy: CopyResult;
  /** The caller's aws:userid, or undefined when AWS could not be asked. */
  readonly ownerUserId: string | undefined;
  readonly snippet: vscode.TextDocument;
  /** The entry script the call was added to, if any. */
  readonly entryScript?: string;
}

const OWNER_PLACEHOLDER = '<your aws:userid: the UserId of aws sts get-caller-identity>';

async function pickFolder(uri: unknown): Promise<string | undefined> {
  if (uri instanceof vscode.Uri && uri.scheme === 'file') {
    return uri.fsPath;
  }
  const [picked] =
    (await vscode.window.showOpenDialog({
      title: 'Copy the SSH helper (sagemaker_ssh_helper/) into the training source folder',
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      openLabel: 'Copy Here',
    })) ?? [];
  return picked?.fsPath;
}

async function copyWithConsent(
  folder: string,
  deps: AddSshHelperDependencies,
  overwrite: boolean,
): Promise<CopyResult | undefined> {
  const payload = locatePayload(deps.extensionPath);
  try {
    return await copyPayload(folder, { payload, overwrite });
  } catch (error) {
    if (!(error instanceof PayloadConflictError)) {
      throw error;
    }
    const replace = 'Replace';
    const choice = await vscode.window.showWarningMessage(error.message, { modal: true }, replace);
    return choice === replace ? copyPayload(folder, { payload, overwrite: true }) : undefined;
  }
}

async function callerUserId(deps: AddSshHelperDependencies): Promise<string | undefined> {
  try {
    const connection = await deps.aws.connection();
    try {
      return (await connection.identity()).userId;
    } catch (error) {
      throw connection.translate(error);
    }
  } catch (error) {
    deps.logger.warn(`Add SSH Helper: could not get the caller identity: ${errorMessage(error)}`);
    void vscode.window.showWarningMessage(
      `SageMaker SSH: could not ask AWS who you are (${errorMessage(error)}); fill in SSH_OWNER_TAG in the snippet.`,
    );
    return undefined;
  }
}

/** A path as the notebook next to the workspace root would write it (POSIX separators). */
function displayPath(target: string): string {
  const root = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(target))?.uri.fsPath;
  const relative = root ? path.relative(root, target) : target;
  return (relative === '' ? '.' : relative).split(path.sep).join('/');
}

async function pickEntryScript(folder: string): Promise<string | undefined> {
  const files = await vscode.workspace.findFiles(
    new vscode.RelativePattern(folder, '**/*.py'),
    `**/{${PAYLOAD_PACKAGE},node_modules,.venv,venv,.git,__pycache__}/**`,
    500,
  );
  if (files.length === 0) {
    return undefined;
  }
  const likely = (p: string): number => (/(^|[\\/])(train|entry|main)[^\\/]*\.py$/.test(p) ? 0 : 1);
  const sorted = files.map((f) => f.fsPath).sort((a, b) => likely(a) - likely(b) || a.localeCompare(b));
  const skip = { label: "$(close) Don't change any script", file: '' };
  const items = [
    ...sorted.map((file) => ({ label: path.relative(folder, file), description: '', file })),
    skip,
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Add sagemaker_ssh_helper.setup_and_start_ssh() at the top of the entry script?',
    placeHolder: 'The training job runs this script; SSH starts when it does',
  });
  return picked?.file || undefined;
}

/** Inserts the call as an edit of the (possibly open) document, so undo works; saves unless it was dirty. */
async function addCallToScript(file: string): Promise<boolean> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const insertion = insertSetupCall(document.getText());
  if (!insertion.changed) {
    void vscode.window.showInformationMessage(`${path.basename(file)} already calls setup_and_start_ssh().`);
    return false;
  }
  const wasDirty = document.isDirty;
  const edit = new vscode.WorkspaceEdit();
  edit.insert(document.uri, document.positionAt(insertion.offset), insertion.inserted);
  if (!(await vscode.workspace.applyEdit(edit))) {
    throw new Error(`VS Code refused to edit ${file}`);
  }
  if (!wasDirty) {
    await document.save();
  }
  await vscode.window.showTextDocument(document, { preview: false });
  return true;
}

/**
 * "Add SSH Helper to Training Code…": copies sagemaker_ssh_helper/ into a source folder, opens an
 * estimator snippet that turns SSH on for the job (with the caller's aws:userid as owner), and
 * offers to add the setup call at the top of the entry script.
 */
export async function addSshHelper(
  deps: AddSshHelperDependencies,
  uri?: unknown,
  options: AddSshHelperOptions = {},
): Promise<AddSshHelperResult | undefined> {
  const folder = options.folder ?? (await pickFolder(uri));
  if (!folder) {
    return undefined;
  }
  const copy = await copyWithConsent(folder, deps, options.overwrite ?? false);
  if (!copy) {
    return undefined;
  }
  deps.logger.info(`Add SSH Helper: ${copy.status} ${copy.directory}`);
  const ownerUserId = await callerUserId(deps);
  const content = estimatorSnippet({
    ownerUserId: ownerUserId ?? OWNER_PLACEHOLDER,
    payloadDir: displayPath(copy.directory),
    sourceDir: displayPath(folder),
  });
  const snippet = await vscode.workspace.openTextDocument({ language: 'python', content });
  await vscode.window.showTextDocument(snippet, { preview: false });
  const entryScript = options.entryScript ?? (await pickEntryScript(folder));
  const changed = entryScript ? await addCallToScript(entryScript) : false;
  void vscode.window.showInformationMessage(
    `SSH helper ${copy.status === 'unchanged' ? 'already up to date' : copy.status} in ${displayPath(copy.directory)}. ` +
      'Start the job with the estimator settings shown, then Connect from the SageMaker SSH view.',
  );
  return { copy, ownerUserId, snippet, entryScript: changed ? entryScript : undefined };
}
