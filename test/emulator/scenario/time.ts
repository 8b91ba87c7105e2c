import { describeValue, type Validator } from './validate';

const RELATIVE = /^([+-])(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
const ISO = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const UNIT_MS = [86_400_000, 3_600_000, 60_000, 1_000];

/**
 * Parses a scenario time: an ISO-8601 date/time ("2025-06-01T12:00:00Z"), "now", or an offset
 * from `anchor` such as "-2h", "-15m", "-3d", "+1d", "-1d2h30m". Returns undefined if invalid.
 */
export function parseScenarioTime(text: string, anchor: Date): Date | undefined {
  if (text === 'now') return new Date(anchor.getTime());
  const relative = RELATIVE.exec(text);
  if (relative && relative.slice(2).some((part) => part !== undefined)) {
    const sign = relative[1] === '-' ? -1 : 1;
    const offset = relative
      .slice(2)
      .reduce((sum, part, index) => sum + (part === undefined ? 0 : Number(part) * UNIT_MS[index]!), 0);
    return new Date(anchor.getTime() + sign * offset);
  }
  if (ISO.test(text)) {
    const parsed = new Date(text);
    return Number.isNaN(parsed.getTime()) ? undefined : parsed;
  }
  return undefined;
}

/** Formats an offset in ms as the relative syntax, e.g. -93784000 → "-1d2h3m4s". */
export function formatRelative(offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+';
  let rest = Math.round(Math.abs(offsetMs) / 1000) * 1000;
  let out = '';
  ['d', 'h', 'm', 's'].forEach((unit, index) => {
    const count = Math.floor(rest / UNIT_MS[index]!);
    rest -= count * UNIT_MS[index]!;
    if (count > 0) out += `${count}${unit}`;
  });
  return sign + (out || '0s');
}

export function time(anchor: Date): Validator<Date> {
  return (value, path, problems) => {
    const parsed = typeof value === 'string' ? parseScenarioTime(value, anchor) : undefined;
    if (parsed) return parsed;
    return problems.report(
      path,
      `must be an ISO-8601 time ("2025-06-01T12:00:00Z"), "now", or an offset like "-2h", "-15m", "-3d"; got ${describeValue(value)}`,
    );
  };
}
