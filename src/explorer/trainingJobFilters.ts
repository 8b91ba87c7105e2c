/** The Training Jobs view's filters, persisted per workspace. */
export interface TrainingJobFilters {
  readonly status?: string;
  readonly nameContains?: string;
  readonly createdWithinDays?: number;
  /** Only jobs with an SSH registration whose SSHOwner is the caller's user id. */
  readonly onlyMine?: boolean;
  /** Only jobs with at least one SSH node online. */
  readonly onlySshReady?: boolean;
}

export const noFilters: TrainingJobFilters = {};

export function hasFilters(filters: TrainingJobFilters): boolean {
  return describeFilters(filters) !== '';
}

/** Short text for the view description, e.g. "InProgress · name: bert · 7 d · mine". */
export function describeFilters(filters: TrainingJobFilters): string {
  const parts: string[] = [];
  if (filters.status) {
    parts.push(filters.status);
  }
  if (filters.nameContains) {
    parts.push(`name: ${filters.nameContains}`);
  }
  if (filters.createdWithinDays) {
    parts.push(`${filters.createdWithinDays} d`);
  }
  if (filters.onlyMine) {
    parts.push('mine');
  }
  if (filters.onlySshReady) {
    parts.push('SSH-ready');
  }
  return parts.join(' · ');
}

/** Accepts what was persisted by any version, dropping anything malformed. */
export function sanitizeFilters(value: unknown): TrainingJobFilters {
  if (typeof value !== 'object' || value === null) {
    return noFilters;
  }
  const raw = value as Record<string, unknown>;
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const days =
    typeof raw.createdWithinDays === 'number' && raw.createdWithinDays > 0
      ? raw.createdWithinDays
      : undefined;
  return {
    status: text(raw.status),
    nameContains: text(raw.nameContains),
    createdWithinDays: days,
    onlyMine: raw.onlyMine === true || undefined,
    onlySshReady: raw.onlySshReady === true || undefined,
  };
}
