import * as vscode from 'vscode';
import type { CallerIdentity } from '../aws/callerIdentity';
import type { AwsState } from '../vscode/awsState';

export interface IdentityReport extends CallerIdentity {
  readonly profile: string | undefined;
  readonly region: string | undefined;
}

/** Shows who the extension is acting as, and where the profile and region came from. */
export async function showIdentity(state: AwsState): Promise<IdentityReport> {
  const connection = await state.connection();
  let identity: CallerIdentity;
  try {
    identity = await connection.identity();
  } catch (error) {
    throw connection.translate(error);
  }
  const { profile, region } = connection.context;
  void vscode.window.showInformationMessage(
    `AWS identity: ${identity.arn} (account ${identity.account}). ` +
      `Profile: ${profile.value ?? 'default chain'} (${profile.origin}); region: ${region.value} (${region.origin}).`,
  );
  return { ...identity, profile: profile.value, region: region.value };
}
