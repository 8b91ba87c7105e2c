import * as path from 'node:path';
import type { SshFileSystem } from '../../util/fs/fileSystem';
import { configLines, matchesHostPatterns, wildcardMatch } from './sshConfigLines';
import type { SshConfigLine } from './sshConfigLines';

/** Whether a config line applies to the host: certainly, certainly not, or it depends. */
type Applies = 'yes' | 'no' | 'maybe';

export interface DirectiveSource {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  /** False when a Match criterion we cannot evaluate (exec, user, canonical…) guards it. */
  readonly certain: boolean;
}

export interface LocateOptions {
  readonly fs: SshFileSystem;
  readonly homeDir: string;
  /** The host as given to ssh (our alias). */
  readonly alias: string;
  /** The HostName our block sets (what `Match host` compares against). */
  readonly hostName: string;
  /** Our own config file: reaching its Include in a certainly-active scope ends the search. */
  readonly managedConfig: string;
  readonly localUser: string;
}

const MAX_INCLUDE_DEPTH = 16;

function both(a: Applies, b: Applies): Applies {
  if (a === 'no' || b === 'no') {
    return 'no';
  }
  return a === 'maybe' || b === 'maybe' ? 'maybe' : 'yes';
}

function patternList(value: string, list: string): boolean {
  return matchesHostPatterns(value, list.split(','));
}

function criterion(name: string, value: string | undefined, options: LocateOptions): Applies {
  switch (name) {
    case 'all':
      return 'yes';
    case 'host':
      return value !== undefined && patternList(options.hostName, value) ? 'yes' : 'no';
    case 'originalhost':
      return value !== undefined && patternList(options.alias, value) ? 'yes' : 'no';
    case 'localuser':
      return value !== undefined && patternList(options.localUser, value) ? 'yes' : 'no';
    default:
      return 'maybe';
  }
}

function invert(value: Applies): Applies {
  return value === 'maybe' ? 'maybe' : value === 'yes' ? 'no' : 'yes';
}

function matchApplies(args: readonly string[], options: LocateOptions): Applies {
  let result: Applies = 'yes';
  for (let i = 0; i < args.length; i++) {
    const negated = args[i].startsWith('!');
    const name = (negated ? args[i].slice(1) : args[i]).toLowerCase();
    const takesValue = !['all', 'canonical', 'final'].includes(name);
    const value = takesValue ? args[++i] : undefined;
    const applies = criterion(name, value, options);
    result = both(result, negated ? invert(applies) : applies);
  }
  return result;
}

async function expandInclude(fs: SshFileSystem, pattern: string, homeDir: string): Promise<string[]> {
  const expanded = pattern.startsWith('~/') ? path.join(homeDir, pattern.slice(2)) : pattern;
  const absolute = path.isAbsolute(expanded) ? expanded : path.join(homeDir, '.ssh', expanded);
  if (!/[*?[]/.test(absolute)) {
    return [absolute];
  }
  const dir = path.dirname(absolute);
  if (/[*?[]/.test(dir)) {
    return [];
  }
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  return names
    .filter((name) => wildcardMatch(name, path.basename(absolute), false))
    .sort()
    .map((name) => path.join(dir, name));
}

type SearchResult = { found: DirectiveSource } | { stop: true } | undefined;

class DirectiveSearch {
  constructor(
    private readonly options: LocateOptions,
    private readonly keywords: ReadonlySet<string>,
  ) {}

  async file(file: string, ceiling: Applies, depth: number): Promise<SearchResult> {
    if (depth > MAX_INCLUDE_DEPTH) {
      return undefined;
    }
    const content = await this.options.fs.readFile(file).catch(() => undefined);
    if (content === undefined) {
      return undefined;
    }
    let active = ceiling;
    for (const line of configLines(content.toString('utf8'))) {
      if (line.keyword === 'host') {
        active = both(ceiling, matchesHostPatterns(this.options.alias, line.args) ? 'yes' : 'no');
      } else if (line.keyword === 'match') {
        active = both(ceiling, matchApplies(line.args, this.options));
      } else if (active !== 'no') {
        const result = await this.line(file, line, active, depth);
        if (result !== undefined) {
          return result;
        }
      }
    }
    return undefined;
  }

  private async line(
    file: string,
    line: SshConfigLine,
    active: Applies,
    depth: number,
  ): Promise<SearchResult> {
    if (line.keyword === 'include') {
      for (const pattern of line.args) {
        for (const included of await expandInclude(this.options.fs, pattern, this.options.homeDir)) {
          if (path.resolve(included) === path.resolve(this.options.managedConfig)) {
            if (active === 'yes') {
              return { stop: true };
            }
            continue;
          }
          const result = await this.file(included, active, depth + 1);
          if (result !== undefined) {
            return result;
          }
        }
      }
      return undefined;
    }
    if (this.keywords.has(line.keyword)) {
      return { found: { file, line: line.number, text: line.text, certain: active === 'yes' } };
    }
    return undefined;
  }
}

/**
 * Finds the first line, in the order ssh reads the config, that sets one of `keywords` for the
 * alias before our Include is reached: the line that wins over our setting. Undefined when no
 * such line exists in the files (the value may then come from the command line or defaults).
 */
export async function locateOverridingDirective(
  rootConfig: string,
  keywords: readonly string[],
  options: LocateOptions,
): Promise<DirectiveSource | undefined> {
  const search = new DirectiveSearch(options, new Set(keywords.map((k) => k.toLowerCase())));
  const result = await search.file(rootConfig, 'yes', 0);
  return result !== undefined && 'found' in result ? result.found : undefined;
}
