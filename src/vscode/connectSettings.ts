import * as vscode from 'vscode';
import { configSection } from './settings';

export interface ConnectSettings {
  readonly waitSeconds: number;
  readonly newWindow: boolean;
  readonly trainingFolder: string;
  readonly keysS3Prefix: string;
}

export function connectSettings(): ConnectSettings {
  const config = vscode.workspace.getConfiguration(configSection);
  return {
    waitSeconds: Math.max(0, config.get<number>('connect.waitTimeoutSeconds') ?? 600),
    newWindow: config.get<boolean>('connect.openInNewWindow') ?? true,
    trainingFolder: config.get<string>('connect.trainingFolder') || '/opt/ml/code',
    keysS3Prefix: config.get<string>('keysS3Prefix') ?? '',
  };
}
