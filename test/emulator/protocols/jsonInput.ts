import { serializationError, validationException, type ValidationIssue } from '../errors';
import type { JsonObject } from '../operations';

export interface StringConstraints {
  readonly required?: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: RegExp;
}

export interface NumberConstraints {
  readonly required?: boolean;
  readonly min?: number;
  readonly max?: number;
}

export interface ListConstraints {
  readonly required?: boolean;
  readonly min?: number;
  readonly max?: number;
}

/**
 * Reads members of an awsJson request the way the services' request validators do: a JSON value of
 * the wrong type is a SerializationException (thrown at once); constraint violations are collected
 * and reported together by `finish()` as one ValidationException in AWS's wording
 * ("2 validation errors detected: Value '0' at 'maxResults' failed to satisfy constraint: ...").
 */
export class JsonInput {
  private constructor(
    private readonly value: JsonObject,
    private readonly path: string,
    private readonly issues: ValidationIssue[],
  ) {}

  static of(input: JsonObject): JsonInput {
    return new JsonInput(input, '', []);
  }

  /** Throws the collected ValidationException, if any. Call once, on the root reader. */
  finish(): void {
    if (this.issues.length > 0) throw validationException(this.issues);
  }

  raw(member: string): unknown {
    return this.value[member];
  }

  string(member: string, rules: StringConstraints = {}): string | undefined {
    const value = this.present(member, 'string', rules.required);
    if (value === undefined) return undefined;
    const text = value as string;
    const path = this.memberPath(member);
    if (rules.min !== undefined && text.length < rules.min) {
      this.issue(path, text, `Member must have length greater than or equal to ${rules.min}`);
    } else if (rules.max !== undefined && text.length > rules.max) {
      this.issue(path, text, `Member must have length less than or equal to ${rules.max}`);
    } else if (rules.pattern && !rules.pattern.test(text)) {
      this.issue(path, text, `Member must satisfy regular expression pattern: ${rules.pattern.source}`);
    }
    return text;
  }

  enumOf<T extends string>(member: string, values: readonly T[], required = false): T | undefined {
    const value = this.present(member, 'string', required);
    if (value === undefined) return undefined;
    if (!(values as readonly string[]).includes(value as string)) {
      this.issue(
        this.memberPath(member),
        value as string,
        `Member must satisfy enum value set: [${values.join(', ')}]`,
      );
      return undefined;
    }
    return value as T;
  }

  integer(member: string, rules: NumberConstraints = {}): number | undefined {
    const value = this.present(member, 'number', rules.required);
    if (value === undefined) return undefined;
    const number = value as number;
    if (!Number.isInteger(number))
      throw serializationError(`Expected an integer at '${this.memberPath(member)}'`);
    const path = this.memberPath(member);
    if (rules.min !== undefined && number < rules.min) {
      this.issue(path, String(number), `Member must have value greater than or equal to ${rules.min}`);
    } else if (rules.max !== undefined && number > rules.max) {
      this.issue(path, String(number), `Member must have value less than or equal to ${rules.max}`);
    }
    return number;
  }

  boolean(member: string, required = false): boolean | undefined {
    return this.present(member, 'boolean', required) as boolean | undefined;
  }

  /** awsJson timestamps are epoch seconds (fractions allowed). */
  timestamp(member: string, required = false): Date | undefined {
    const value = this.present(member, 'number', required);
    return value === undefined ? undefined : new Date(Math.round((value as number) * 1000));
  }

  stringList(
    member: string,
    rules: ListConstraints = {},
    item: StringConstraints = {},
  ): string[] | undefined {
    const list = this.list(member, rules);
    if (list === undefined) return undefined;
    const reader = new JsonInput(
      Object.fromEntries(list.map((entry, index) => [String(index + 1), entry])),
      `${this.memberPath(member)}`,
      this.issues,
    );
    return list.map((_entry, index) => reader.string(String(index + 1), { ...item, required: true }) ?? '');
  }

  stringMap(member: string): Record<string, string> | undefined {
    const value = this.present(member, 'object', false);
    if (value === undefined) return undefined;
    for (const [key, entry] of Object.entries(value as JsonObject)) {
      if (typeof entry !== 'string')
        throw serializationError(`Expected a string at '${this.memberPath(member)}.${key}'`);
    }
    return value as Record<string, string>;
  }

  object(member: string, required = false): JsonInput | undefined {
    const value = this.present(member, 'object', required);
    return value === undefined
      ? undefined
      : new JsonInput(value as JsonObject, this.memberPath(member), this.issues);
  }

  objectList(member: string, rules: ListConstraints = {}): JsonInput[] | undefined {
    const list = this.list(member, rules);
    if (list === undefined) return undefined;
    return list.map((entry, index) => {
      const path = `${this.memberPath(member)}.${index + 1}.member`;
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        throw serializationError(`Expected an object at '${path}'`);
      }
      return new JsonInput(entry as JsonObject, path, this.issues);
    });
  }

  private list(member: string, rules: ListConstraints): unknown[] | undefined {
    const value = this.present(member, 'array', rules.required);
    if (value === undefined) return undefined;
    const list = value as unknown[];
    const path = this.memberPath(member);
    if (rules.min !== undefined && list.length < rules.min) {
      this.issue(
        path,
        `[${list.join(', ')}]`,
        `Member must have length greater than or equal to ${rules.min}`,
      );
    } else if (rules.max !== undefined && list.length > rules.max) {
      this.issue(
        path,
        `[${list.length} items]`,
        `Member must have length less than or equal to ${rules.max}`,
      );
    }
    return list;
  }

  private present(
    member: string,
    type: 'string' | 'number' | 'boolean' | 'object' | 'array',
    required = false,
  ): unknown {
    const value = this.value[member];
    if (value === undefined || value === null) {
      if (required)
        this.issues.push({
          path: this.memberPath(member),
          value: 'null',
          constraint: 'Member must not be null',
        });
      return undefined;
    }
    const actual = Array.isArray(value) ? 'array' : typeof value;
    if (actual !== type) {
      throw serializationError(
        `Expected ${type === 'array' ? 'a list' : `a ${type}`} at '${this.memberPath(member)}' but found ${actual === 'array' ? 'a list' : `a ${actual}`}`,
      );
    }
    return value;
  }

  private memberPath(member: string): string {
    const name = /^\d+$/.test(member) ? member : member.charAt(0).toLowerCase() + member.slice(1);
    return this.path ? `${this.path}.${name}` : name;
  }

  private issue(path: string, value: string, constraint: string): void {
    this.issues.push({ path, value: `'${value}'`, constraint });
  }
}
