import { AwsError } from '../../errors';
import type { JsonInput } from '../../protocols/jsonInput';

export const INSTANCE_ID_PATTERN = /^(mi-[0-9a-f]{17}|i-[0-9a-f]{8}|i-[0-9a-f]{17})$/;
export const TAG_KEY_PATTERN = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;

export function invalidNextToken(): AwsError {
  return new AwsError('InvalidNextToken', 'The specified token is not valid.');
}

export function invalidInstanceId(instanceId: string): AwsError {
  return new AwsError('InvalidInstanceId', `Instance ${instanceId} is not a managed node of this account.`);
}

export interface TagInput {
  readonly key: string;
  readonly value: string;
}

/** Reads a `Tags` list ({Key, Value}[]) with SSM's limits. */
export function readTags(input: JsonInput, member: string, required: boolean): TagInput[] | undefined {
  const entries = input.objectList(member, { required, min: required ? 1 : 0, max: 1000 });
  return entries?.map((entry) => ({
    key: entry.string('Key', { required: true, min: 1, max: 128, pattern: TAG_KEY_PATTERN }) ?? '',
    value: entry.string('Value', { required: true, min: 0, max: 256 }) ?? '',
  }));
}

export function tagList(tags: ReadonlyMap<string, string>): { Key: string; Value: string }[] {
  return [...tags].map(([Key, Value]) => ({ Key, Value }));
}
