import { validationError } from '../../errors';
import type { JsonInput } from '../../protocols/jsonInput';

/**
 * SageMaker Search expressions over a resource document (the Search record, e.g. `TrainingJob`):
 * parsing with the service's limits, and evaluation. Property names are dotted paths into the
 * document (`ResourceConfig.InstanceType`); `Tags.<key>` reads a tag's value; list-valued
 * properties match when any element matches.
 */

export const FILTER_OPERATORS = [
  'Equals',
  'NotEquals',
  'GreaterThan',
  'GreaterThanOrEqualTo',
  'LessThan',
  'LessThanOrEqualTo',
  'Contains',
  'Exists',
  'NotExists',
  'In',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export interface FilterNode {
  readonly kind: 'filter';
  readonly name: string;
  readonly operator: FilterOperator;
  readonly value?: string;
}

export interface NestedNode {
  readonly kind: 'nested';
  readonly property: string;
  readonly filters: readonly FilterNode[];
}

export interface BooleanNode {
  readonly kind: 'and' | 'or';
  readonly children: readonly ExpressionNode[];
}

export type ExpressionNode = FilterNode | NestedNode | BooleanNode;

const MAX_ELEMENTS = 50;
const MAX_PER_LIST = 20;

/** Parses `SearchExpression`; collects constraint violations into the input's ValidationException. */
export function parseSearchExpression(input: JsonInput): BooleanNode {
  const counter = { elements: 0, contains: 0 };
  const root = parseExpression(input, counter);
  if (counter.elements > MAX_ELEMENTS) {
    throw validationError(
      `The SearchExpression has ${counter.elements} Filters, NestedFilters and SubExpressions; the maximum is ${MAX_ELEMENTS}.`,
    );
  }
  if (counter.contains > 1)
    throw validationError('A SearchExpression can include only one Contains operator.');
  return root;
}

function parseExpression(input: JsonInput, counter: { elements: number; contains: number }): BooleanNode {
  const filters = (input.objectList('Filters', { min: 1, max: MAX_PER_LIST }) ?? []).map((filter) =>
    parseFilter(filter, counter),
  );
  const nested = (input.objectList('NestedFilters', { min: 1, max: MAX_PER_LIST }) ?? []).map((entry) =>
    parseNested(entry, counter),
  );
  const subExpressions = (input.objectList('SubExpressions', { min: 1, max: MAX_PER_LIST }) ?? []).map(
    (entry) => parseExpression(entry, counter),
  );
  const operator = input.enumOf('Operator', ['And', 'Or'] as const) ?? 'And';
  const children: ExpressionNode[] = [...filters, ...nested, ...subExpressions];
  counter.elements += children.length;
  if (children.length === 0) {
    throw validationError(
      'A SearchExpression must contain at least one Filter, NestedFilter or SubExpression.',
    );
  }
  return { kind: operator === 'And' ? 'and' : 'or', children };
}

function parseNested(input: JsonInput, counter: { elements: number; contains: number }): NestedNode {
  const property = input.string('NestedPropertyName', { required: true, min: 1, max: 255 }) ?? '';
  const filters = (input.objectList('Filters', { required: true, min: 1, max: MAX_PER_LIST }) ?? []).map(
    (filter) => parseFilter(filter, counter),
  );
  for (const filter of filters) {
    if (!filter.name.startsWith(property + '.')) {
      throw validationError(
        `Nested filter property ${filter.name} must start with the NestedPropertyName ${property}.`,
      );
    }
  }
  return { kind: 'nested', property, filters };
}

function parseFilter(input: JsonInput, counter: { elements: number; contains: number }): FilterNode {
  const name = input.string('Name', { required: true, min: 1, max: 1024 }) ?? '';
  const operator = input.enumOf('Operator', FILTER_OPERATORS) ?? 'Equals';
  const value = input.string('Value', { min: 1, max: 1024 });
  if (operator === 'Contains') counter.contains++;
  if (operator === 'Exists' || operator === 'NotExists') {
    if (value !== undefined)
      throw validationError(`Value must not be specified with the ${operator} operator (filter ${name}).`);
  } else if (value === undefined) {
    throw validationError(`Value is required with the ${operator} operator (filter ${name}).`);
  } else if (looksLikeTime(name) && operator !== 'Contains' && parseTimeValue(value) === undefined) {
    throw validationError(`Invalid value '${value}' for ${name}: use an ISO-8601 time or epoch seconds.`);
  }
  return { kind: 'filter', name, operator, value };
}

function looksLikeTime(name: string): boolean {
  return /(Time|Date|Timestamp)$/.test(name);
}

/** ISO-8601 or epoch seconds. */
export function parseTimeValue(value: string): number | undefined {
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** True when `document` satisfies the expression. */
export function evaluate(node: ExpressionNode, document: unknown): boolean {
  switch (node.kind) {
    case 'and':
      return node.children.every((child) => evaluate(child, document));
    case 'or':
      return node.children.some((child) => evaluate(child, document));
    case 'nested':
      return resolveProperty(document, node.property).some((element) =>
        node.filters.every((filter) =>
          evaluateFilter({ ...filter, name: filter.name.slice(node.property.length + 1) }, element),
        ),
      );
    case 'filter':
      return evaluateFilter(node, document);
  }
}

function evaluateFilter(filter: FilterNode, document: unknown): boolean {
  const values = resolveProperty(document, filter.name);
  switch (filter.operator) {
    case 'Exists':
      return values.length > 0;
    case 'NotExists':
      return values.length === 0;
    case 'NotEquals':
      return !values.some((value) => compare(value, filter.value!) === 0);
    case 'In': {
      const options = filter.value!.split(',').map((option) => option.trim());
      return values.some((value) => options.some((option) => compare(value, option) === 0));
    }
    case 'Contains':
      return values.some((value) => stringOf(value).toLowerCase().includes(filter.value!.toLowerCase()));
    default:
      return values.some((value) => satisfies(filter.operator, compare(value, filter.value!)));
  }
}

function satisfies(operator: FilterOperator, order: number | undefined): boolean {
  if (order === undefined) return false;
  switch (operator) {
    case 'Equals':
      return order === 0;
    case 'GreaterThan':
      return order > 0;
    case 'GreaterThanOrEqualTo':
      return order >= 0;
    case 'LessThan':
      return order < 0;
    case 'LessThanOrEqualTo':
      return order <= 0;
    default:
      return false;
  }
}

/** Compares a document value with a filter's string value, in the document value's type. */
function compare(value: unknown, text: string): number | undefined {
  if (value instanceof Date) {
    const other = parseTimeValue(text);
    return other === undefined ? undefined : Math.sign(value.getTime() - other);
  }
  if (typeof value === 'number') {
    const other = Number(text);
    return Number.isNaN(other) ? undefined : Math.sign(value - other);
  }
  const own = stringOf(value);
  return own === text ? 0 : own < text ? -1 : 1;
}

function stringOf(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

/**
 * The values at a dotted property path. Lists contribute every element; `Tags.<key>` looks up a
 * tag; map keys containing dots (hyperparameters) are matched by trying longer joined segments.
 */
export function resolveProperty(document: unknown, path: string): unknown[] {
  return resolveSegments(document, path.split('.'));
}

function resolveSegments(value: unknown, segments: readonly string[]): unknown[] {
  if (value === undefined || value === null) return [];
  if (segments.length === 0)
    return Array.isArray(value) ? value.filter((item) => item !== undefined) : [value];
  if (Array.isArray(value)) {
    if (isTagList(value)) {
      const key = segments.join('.');
      return value.filter((tag) => tag.Key === key).map((tag) => tag.Value);
    }
    return value.flatMap((element) => resolveSegments(element, segments));
  }
  if (typeof value !== 'object' || value instanceof Date) return [];
  const record = value as Record<string, unknown>;
  for (let take = 1; take <= segments.length; take++) {
    const key = segments.slice(0, take).join('.');
    if (key in record) return resolveSegments(record[key], segments.slice(take));
  }
  return [];
}

function isTagList(value: unknown[]): value is { Key: string; Value: string }[] {
  return (
    value.length > 0 &&
    value.every((item) => typeof item === 'object' && item !== null && 'Key' in item && 'Value' in item)
  );
}
