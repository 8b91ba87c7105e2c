import { AwsError, defaultStatusFor } from './errors';
import { Problems } from './scenario/validate';
import type { FaultSpec } from './scenario/types';
import { ScenarioError } from './scenario/load';
import { scenarioValidator } from './scenario/schema';

/** An installed fault rule and how many calls it has matched so far. */
export interface FaultRule extends FaultSpec {
  readonly id: number;
  readonly matched: number;
}

export interface FaultDecision {
  readonly latencyMs: number;
  readonly error?: AwsError;
  /** True when any rule matched this call. */
  readonly faulted: boolean;
}

interface MutableRule {
  readonly id: number;
  readonly spec: FaultSpec;
  matched: number;
}

/**
 * Injected failures and latency, per service and operation (`*` matches any). Each rule counts the
 * calls it matches: `nth: 3` fails the third, `first: 2` the first two, `every: true` (the default)
 * all of them. Latency of all matching rules adds up, on top of `globalLatencyMs`.
 */
export class FaultInjector {
  globalLatencyMs = 0;
  private rules: MutableRule[] = [];
  private nextId = 1;

  /** Adds rules after validating them like the scenario's `faults` section; returns their ids. */
  add(...specs: FaultSpec[]): number[] {
    const problems = new Problems();
    const faultValidator = scenarioValidator(new Date());
    const parsed = faultValidator({ faults: specs }, '$', problems) as { faults?: FaultSpec[] } | undefined;
    if (!parsed?.faults || problems.list.length > 0) throw new ScenarioError('<fault rules>', problems.list);
    return parsed.faults.map((spec) => {
      const rule = { id: this.nextId++, spec, matched: 0 };
      this.rules.push(rule);
      return rule.id;
    });
  }

  remove(id: number): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((rule) => rule.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map((rule) => ({ ...rule.spec, id: rule.id, matched: rule.matched }));
  }

  /** Counts this call against every matching rule and says what to inject. */
  evaluate(service: string, operation: string): FaultDecision {
    let latencyMs = this.globalLatencyMs;
    let error: AwsError | undefined;
    let faulted = false;
    for (const rule of this.rules) {
      if (!matches(rule.spec, service, operation)) continue;
      rule.matched++;
      if (!fires(rule.spec, rule.matched)) continue;
      faulted = true;
      latencyMs += rule.spec.latencyMs ?? 0;
      if (!error && rule.spec.error) error = toAwsError(rule.spec);
    }
    return { latencyMs, error, faulted };
  }
}

function matches(spec: FaultSpec, service: string, operation: string): boolean {
  return (
    (spec.service === '*' || spec.service === service) &&
    (spec.operation === '*' || spec.operation === operation)
  );
}

function fires(spec: FaultSpec, count: number): boolean {
  if (spec.nth !== undefined) return count === spec.nth;
  if (spec.first !== undefined) return count <= spec.first;
  return true;
}

function toAwsError(spec: FaultSpec): AwsError {
  const error = spec.error!;
  return new AwsError(
    error.code,
    error.message ?? `Injected fault: ${error.code}`,
    error.status ?? defaultStatusFor(error.code),
  );
}
