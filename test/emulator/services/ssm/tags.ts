import { AwsError } from '../../errors';
import type { JsonObject, JsonOperation, OperationContext } from '../../operations';
import { JsonInput } from '../../protocols/jsonInput';
import type { ManagedInstanceRecord } from '../../stores/instances';
import { readTags, tagList, TAG_KEY_PATTERN } from './common';

const RESOURCE_TYPES = [
  'Document',
  'ManagedInstance',
  'MaintenanceWindow',
  'Parameter',
  'PatchBaseline',
  'OpsItem',
  'OpsMetadata',
  'Automation',
  'Association',
  'CloudConnector',
] as const;

const MAX_TAGS_PER_RESOURCE = 50;

/** Only managed instances carry tags in the emulated account; other resource ids do not exist. */
function readResource(input: JsonInput, context: OperationContext): () => ManagedInstanceRecord {
  const type = input.enumOf('ResourceType', RESOURCE_TYPES, true);
  const id = input.string('ResourceId', { required: true, min: 1 }) ?? '';
  return () => {
    const instance = type === 'ManagedInstance' ? context.state.instances.get(id) : undefined;
    if (!instance)
      throw new AwsError(
        'InvalidResourceId',
        `The resource ID ${id} is not valid. Verify that you entered the correct ID and try again.`,
      );
    return instance;
  };
}

function listTagsForResource(body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  const resource = readResource(input, context);
  input.finish();
  return { TagList: tagList(resource().tags) };
}

function addTagsToResource(body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  const resource = readResource(input, context);
  const tags = readTags(input, 'Tags', true) ?? [];
  input.finish();
  const instance = resource();
  const merged = new Set([...instance.tags.keys(), ...tags.map((tag) => tag.key)]);
  if (merged.size > MAX_TAGS_PER_RESOURCE) {
    throw new AwsError('TooManyTagsError', `A resource can have at most ${MAX_TAGS_PER_RESOURCE} tags.`);
  }
  context.state.instances.setTags(instance.id, new Map(tags.map((tag) => [tag.key, tag.value])));
  return {};
}

function removeTagsFromResource(body: JsonObject, context: OperationContext): JsonObject {
  const input = JsonInput.of(body);
  const resource = readResource(input, context);
  const keys =
    input.stringList('TagKeys', { required: true }, { min: 1, max: 128, pattern: TAG_KEY_PATTERN }) ?? [];
  input.finish();
  context.state.instances.removeTags(resource().id, keys);
  return {};
}

function resourceArn(body: JsonObject, context: OperationContext): string | undefined {
  return body.ResourceType === 'ManagedInstance' && typeof body.ResourceId === 'string'
    ? context.state.arns.managedInstance(body.ResourceId)
    : undefined;
}

export const tagOperations: Record<string, JsonOperation> = {
  ListTagsForResource: { handler: listTagsForResource, resourceArn },
  AddTagsToResource: { handler: addTagsToResource, resourceArn },
  RemoveTagsFromResource: { handler: removeTagsFromResource, resourceArn },
};
