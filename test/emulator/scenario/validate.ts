/**
 * Small, typed validation combinators for the scenario file. Each validator reports every problem
 * it finds (with a JSON path) instead of stopping at the first one, so a broken scenario is fixed
 * in one edit rather than one error at a time.
 */

export interface ValidationProblem {
  readonly path: string;
  readonly message: string;
}

export class Problems {
  readonly list: ValidationProblem[] = [];

  report(path: string, message: string): undefined {
    this.list.push({ path, message });
    return undefined;
  }
}

export type Validator<T> = (value: unknown, path: string, problems: Problems) => T | undefined;

interface Field<T, Required extends boolean> {
  readonly validator: Validator<T>;
  readonly required: Required;
}

export function required<T>(validator: Validator<T>): Field<T, true> {
  return { validator, required: true };
}

export function optional<T>(validator: Validator<T>): Field<T, false> {
  return { validator, required: false };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyField = Field<any, boolean>;
type Shape = Record<string, AnyField>;
type RequiredKeys<S extends Shape> = { [K in keyof S]: S[K]['required'] extends true ? K : never }[keyof S];
type OptionalKeys<S extends Shape> = Exclude<keyof S, RequiredKeys<S>>;
type FieldType<F> = F extends Field<infer T, boolean> ? T : never;
export type Infer<S extends Shape> = { readonly [K in RequiredKeys<S>]: FieldType<S[K]> } & {
  readonly [K in OptionalKeys<S>]?: FieldType<S[K]>;
};

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

export function object<S extends Shape>(shape: S): Validator<Infer<S>> {
  return (value, path, problems) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return problems.report(path, `must be an object, got ${describeValue(value)}`);
    }
    const input = value as Record<string, unknown>;
    const result: Record<string, unknown> = {};
    let ok = true;
    for (const key of Object.keys(input)) {
      if (!(key in shape)) {
        problems.report(childPath(path, key), `unknown field (allowed: ${Object.keys(shape).join(', ')})`);
        ok = false;
      }
    }
    for (const [key, field] of Object.entries(shape)) {
      const fieldPath = childPath(path, key);
      if (input[key] === undefined) {
        if (field.required) {
          problems.report(fieldPath, 'is required');
          ok = false;
        }
        continue;
      }
      const parsed: unknown = field.validator(input[key], fieldPath, problems);
      if (parsed === undefined) ok = false;
      else result[key] = parsed;
    }
    return ok ? (result as Infer<S>) : undefined;
  };
}

export function array<T>(item: Validator<T>, limits: { min?: number } = {}): Validator<T[]> {
  return (value, path, problems) => {
    if (!Array.isArray(value)) return problems.report(path, `must be an array, got ${describeValue(value)}`);
    if (limits.min !== undefined && value.length < limits.min) {
      return problems.report(path, `must have at least ${limits.min} element(s)`);
    }
    const out: T[] = [];
    let ok = true;
    value.forEach((element, index) => {
      const parsed = item(element, childPath(path, index), problems);
      if (parsed === undefined) ok = false;
      else out.push(parsed);
    });
    return ok ? out : undefined;
  };
}

export function record<T>(item: Validator<T>): Validator<Record<string, T>> {
  return (value, path, problems) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return problems.report(path, `must be an object of key/value pairs, got ${describeValue(value)}`);
    }
    const out: Record<string, T> = {};
    let ok = true;
    for (const [key, element] of Object.entries(value as Record<string, unknown>)) {
      const parsed = item(element, childPath(path, key), problems);
      if (parsed === undefined) ok = false;
      else out[key] = parsed;
    }
    return ok ? out : undefined;
  };
}

export interface StringRules {
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: RegExp;
  /** Human wording of the pattern for the error message. */
  readonly patternHint?: string;
}

export function string(rules: StringRules = {}): Validator<string> {
  return (value, path, problems) => {
    if (typeof value !== 'string')
      return problems.report(path, `must be a string, got ${describeValue(value)}`);
    if (rules.min !== undefined && value.length < rules.min) {
      return problems.report(path, `must be at least ${rules.min} character(s) long`);
    }
    if (rules.max !== undefined && value.length > rules.max) {
      return problems.report(path, `must be at most ${rules.max} characters long`);
    }
    if (rules.pattern && !rules.pattern.test(value)) {
      return problems.report(
        path,
        `${JSON.stringify(value)} is not valid: must be ${rules.patternHint ?? `matching ${rules.pattern}`}`,
      );
    }
    return value;
  };
}

export function oneOf<T extends string>(values: readonly T[]): Validator<T> {
  return (value, path, problems) => {
    if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
    return problems.report(path, `must be one of ${values.join(', ')}; got ${describeValue(value)}`);
  };
}

export function integer(limits: { min?: number; max?: number } = {}): Validator<number> {
  return (value, path, problems) => {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      return problems.report(path, `must be an integer, got ${describeValue(value)}`);
    }
    if (limits.min !== undefined && value < limits.min)
      return problems.report(path, `must be >= ${limits.min}`);
    if (limits.max !== undefined && value > limits.max)
      return problems.report(path, `must be <= ${limits.max}`);
    return value;
  };
}

export function boolean(): Validator<boolean> {
  return (value, path, problems) =>
    typeof value === 'boolean'
      ? value
      : problems.report(path, `must be true or false, got ${describeValue(value)}`);
}

/** A string or an object form, tried in order (used for deny rules). */
export function either<A, B>(first: Validator<A>, second: Validator<B>, hint: string): Validator<A | B> {
  return (value, path, problems) => {
    const scratch = new Problems();
    const a = first(value, path, scratch);
    if (a !== undefined) return a;
    const scratch2 = new Problems();
    const b = second(value, path, scratch2);
    if (b !== undefined) return b;
    return problems.report(path, `must be ${hint}; got ${describeValue(value)}`);
  };
}

/** Wraps a validator with an extra check that runs on the parsed value. */
export function refine<T>(validator: Validator<T>, check: (value: T) => string | undefined): Validator<T> {
  return (value, path, problems) => {
    const parsed = validator(value, path, problems);
    if (parsed === undefined) return undefined;
    const message = check(parsed);
    return message === undefined ? parsed : problems.report(path, message);
  };
}
