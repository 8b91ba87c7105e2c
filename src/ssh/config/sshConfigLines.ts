/** One meaningful line of an ssh_config file, tokenised the way OpenSSH does it. */
export interface SshConfigLine {
  /** 1-based. */
  readonly number: number;
  readonly text: string;
  /** Lowercased keyword. */
  readonly keyword: string;
  readonly args: readonly string[];
}

/** Splits arguments like OpenSSH's argv_split: quotes group, backslash escapes, # starts a comment. */
export function splitArguments(text: string): string[] {
  const args: string[] = [];
  let current = '';
  let inWord = false;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote === undefined && /\s/.test(char)) {
      if (inWord) {
        args.push(current);
      }
      current = '';
      inWord = false;
    } else if (quote === undefined && char === '#' && !inWord) {
      break;
    } else if (
      char === '\\' &&
      /["'\\ ]/.test(text[i + 1] ?? '') &&
      !(quote !== undefined && text[i + 1] === ' ')
    ) {
      current += text[++i];
      inWord = true;
    } else if ((char === '"' || char === "'") && (quote === undefined || quote === char)) {
      quote = quote === undefined ? char : undefined;
      inWord = true;
    } else {
      current += char;
      inWord = true;
    }
  }
  if (inWord) {
    args.push(current);
  }
  return args;
}

/** The directive lines of a config (comments and blank lines dropped). */
export function configLines(content: string): SshConfigLine[] {
  const lines: SshConfigLine[] = [];
  content
    .replace(/^\ufeff/, '')
    .split('\n')
    .forEach((raw, index) => {
      const text = raw.replace(/\r$/, '').trim();
      const match = /^([^\s=]+)\s*=?\s*(.*)$/.exec(text);
      if (text === '' || text.startsWith('#') || match === null) {
        return;
      }
      lines.push({
        number: index + 1,
        text,
        keyword: match[1].toLowerCase(),
        args: splitArguments(match[2]),
      });
    });
  return lines;
}

/** OpenSSH wildcard match: * and ?, case-insensitive when asked. */
export function wildcardMatch(value: string, pattern: string, ignoreCase: boolean): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, ignoreCase ? 'is' : 's').test(value);
}

/** Host-line semantics: some positive pattern matches and no negated one does. */
export function matchesHostPatterns(host: string, patterns: readonly string[]): boolean {
  let matched = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    if (wildcardMatch(host, negated ? pattern.slice(1) : pattern, true)) {
      if (negated) {
        return false;
      }
      matched = true;
    }
  }
  return matched;
}
