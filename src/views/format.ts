/** Compact relative age: "45s", "12m", "3h", "5d". */
export function formatAge(from: Date | undefined, now: Date = new Date()): string {
  if (!from) {
    return '';
  }
  const seconds = Math.max(0, Math.round((now.getTime() - from.getTime()) / 1000));
  if (seconds < 60) {
    return `${seconds}s`;
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) {
    return `${minutes}m`;
  }
  const hours = Math.round(minutes / 60);
  if (hours < 48) {
    return `${hours}h`;
  }
  return `${Math.round(hours / 24)}d`;
}

export function formatTime(date: Date | undefined): string {
  return date
    ? date
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC')
    : '—';
}

/**
 * Escapes text for a MarkdownString so names cannot inject links or formatting. Not for code
 * spans: inside backticks a backslash is literal (use codeSpan).
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}

/**
 * A Markdown code span showing `text` verbatim. Inside a code span nothing is escaped, so the fence
 * is one backtick longer than the longest run of backticks in the text, and padded with spaces when
 * the text starts or ends with a backtick or a space (CommonMark strips one space on each side).
 * Line breaks become spaces (a code span is one line).
 */
export function codeSpan(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const body = text.replace(/[\r\n]+/g, ' ');
  const stripped = body.startsWith(' ') && body.endsWith(' ') && body.trim() !== '';
  const pad = body.startsWith('`') || body.endsWith('`') || stripped ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

export function joinParts(parts: readonly (string | undefined | false)[]): string {
  return parts.filter((p): p is string => !!p).join(' · ');
}

/**
 * SSH readiness in a few characters, first in an item's description so a long name cannot push it
 * out of sight: "SSH 2/2" (online/nodes), "SSH offline", or nothing when no container registered.
 */
export function readinessBadge(readiness: {
  readonly online: number;
  readonly nodes: readonly unknown[];
}): string {
  if (readiness.nodes.length === 0) {
    return '';
  }
  return readiness.online > 0 ? `SSH ${readiness.online}/${readiness.nodes.length}` : 'SSH offline';
}
