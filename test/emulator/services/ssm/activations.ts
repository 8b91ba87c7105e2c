import { validationError } from '../../errors';
import { activationCode, activationId } from '../../ids';
import type { JsonObject, JsonOperation, OperationContext } from '../../operations';
import { JsonInput } from '../../protocols/jsonInput';
import type { ActivationRecord } from '../../stores/activations';
import { invalidNextToken, readTags, tagList } from './common';

const DAY_MS = 86_400_000;
const FILTER_KEYS = ['ActivationIds', 'DefaultInstanceName', 'IamRole'] as const;

function createActivation(body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  const iamRole = input.string('IamRole', { required: true, max: 64 })!;
  const description = input.string('Description', { max: 256 });
  const defaultInstanceName = input.string('DefaultInstanceName', {
    max: 256,
    pattern: /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u,
  });
  const registrationLimit = input.integer('RegistrationLimit', { min: 1, max: 1000 }) ?? 1;
  const expirationDate = input.timestamp('ExpirationDate');
  const tags = readTags(input, 'Tags', false) ?? [];
  input.objectList('RegistrationMetadata');
  input.finish();
  const now = context.now;
  if (expirationDate && (expirationDate <= now || expirationDate.getTime() - now.getTime() > 30 * DAY_MS)) {
    throw validationError('ExpirationDate must be in the future and no more than 30 days from now.');
  }
  const activation = newActivation(
    {
      iamRole,
      registrationLimit,
      description,
      defaultInstanceName,
      expirationDate,
      tags: Object.fromEntries(tags.map((tag) => [tag.key, tag.value])),
    },
    now,
  );
  context.state.activations.add(activation);
  return { ActivationId: activation.id, ActivationCode: activation.code };
}

export interface ActivationRequest {
  readonly iamRole: string;
  readonly registrationLimit?: number;
  readonly description?: string;
  readonly defaultInstanceName?: string;
  /** Default: 24 hours after creation, as SSM does. */
  readonly expirationDate?: Date;
  readonly tags?: Record<string, string>;
  /** SageMaker's own activation (see ActivationRecord.hidden); never from CreateActivation. */
  readonly hidden?: boolean;
}

/** A fresh activation with a new id and code, as CreateActivation makes it. */
export function newActivation(request: ActivationRequest, now: Date): ActivationRecord {
  return {
    id: activationId(),
    code: activationCode(),
    iamRole: request.iamRole,
    registrationLimit: request.registrationLimit ?? 1,
    registrationsCount: 0,
    description: request.description,
    defaultInstanceName: request.defaultInstanceName,
    createdDate: now,
    expirationDate: request.expirationDate ?? new Date(now.getTime() + DAY_MS),
    tags: new Map(Object.entries(request.tags ?? {})),
    ...(request.hidden ? { hidden: true } : {}),
  };
}

function describeActivations(body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  const filters = (input.objectList('Filters') ?? []).map((entry) => ({
    key: entry.enumOf('FilterKey', FILTER_KEYS),
    values: entry.stringList('FilterValues') ?? [],
  }));
  const limit = input.integer('MaxResults', { min: 1, max: 50 }) ?? 10;
  const nextToken = input.string('NextToken');
  input.finish();
  const store = context.state.activations;
  const page = context.pagination.page({
    scope: `DescribeActivations:${JSON.stringify(filters)}`,
    version: store.version,
    items: () =>
      store.visible().filter((activation) => filters.every((filter) => matches(activation, filter))),
    order: { key: (activation) => [activation.createdDate.getTime(), activation.id], descending: false },
    nextToken,
    limit,
    invalidToken: invalidNextToken,
  });
  return {
    ActivationList: page.items.map((activation) => describe(activation, context.now)),
    NextToken: page.nextToken,
  };
}

function matches(activation: ActivationRecord, filter: { key?: string; values: string[] }): boolean {
  if (filter.key === undefined || filter.values.length === 0) return true;
  const field =
    filter.key === 'ActivationIds'
      ? activation.id
      : filter.key === 'IamRole'
        ? activation.iamRole
        : activation.defaultInstanceName;
  return field !== undefined && filter.values.includes(field);
}

function describe(activation: ActivationRecord, now: Date): Record<string, unknown> {
  return {
    ActivationId: activation.id,
    Description: activation.description,
    DefaultInstanceName: activation.defaultInstanceName,
    IamRole: activation.iamRole,
    RegistrationLimit: activation.registrationLimit,
    RegistrationsCount: activation.registrationsCount,
    ExpirationDate: activation.expirationDate,
    Expired: activation.expirationDate <= now,
    CreatedDate: activation.createdDate,
    Tags: tagList(activation.tags),
  };
}

export const activationOperations: Record<string, JsonOperation> = {
  CreateActivation: { handler: createActivation },
  DescribeActivations: { handler: describeActivations },
};
