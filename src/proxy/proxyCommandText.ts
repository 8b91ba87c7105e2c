import { hasControlCharacters } from '../ssh/controlCharacters';
import { InvalidProxyCommandError } from './proxyErrors';
import type { ConfigPlatform } from '../ssh/config/configValues';

/** One word of a ProxyCommand as the ssh-config package represents it. */
export interface ProxyCommandWord {
  readonly val: string;
  readonly separator: string;
  readonly quoted: boolean;
}

/**
 * Whole-argument ssh tokens a caller may use (ssh expands them; open-remote-ssh replaces them
 * too): %h host name (our target alias), %n alias as typed, %p port, %r remote user.
 */
export const PROXY_COMMAND_TOKENS = ['%h', '%n', '%p', '%r'] as const;

// Words made only of these characters are written bare; anything else is double-quoted.
const BARE_WORD = /^[A-Za-z0-9_@+:,./-]+$/;

/*
 * ssh runs ProxyCommand with `$SHELL -c "exec <command>"`, Windows OpenSSH and open-remote-ssh split
 * it themselves. Inside double quotes these characters still mean something to at least one of
 * them, so they are refused rather than escaped: " $ ` ! (shells), % (ssh tokens), \ (POSIX
 * shells and open-remote-ssh; allowed on Windows except before the closing quote).
 */
function checkWord(word: string, index: number, platform: ConfigPlatform): void {
  const where = index === 0 ? 'the executable' : `argument ${index}`;
  if (word === '') {
    throw new InvalidProxyCommandError(`${where} is empty`);
  }
  if ((PROXY_COMMAND_TOKENS as readonly string[]).includes(word)) {
    if (index === 0) {
      throw new InvalidProxyCommandError('the executable cannot be an ssh token');
    }
    return;
  }
  if (hasControlCharacters(word)) {
    throw new InvalidProxyCommandError(`${where} contains a line break or control character`);
  }
  const forbidden = /["$`!%]/.exec(word) ?? (platform === 'posix' ? /\\/.exec(word) : null);
  if (forbidden !== null) {
    throw new InvalidProxyCommandError(`${where} contains the character ${JSON.stringify(forbidden[0])}`);
  }
  if (platform === 'win32' && word.endsWith('\\')) {
    throw new InvalidProxyCommandError(`${where} ends with a backslash`);
  }
}

/** Validates `argv` and returns it as ssh-config words, quoting those that need it. */
export function proxyCommandWords(argv: readonly string[], platform: ConfigPlatform): ProxyCommandWord[] {
  if (argv.length === 0) {
    throw new InvalidProxyCommandError('no executable was given');
  }
  return argv.map((word, index) => {
    checkWord(word, index, platform);
    const bare = BARE_WORD.test(word) || (PROXY_COMMAND_TOKENS as readonly string[]).includes(word);
    return { val: word, separator: index === 0 ? '' : ' ', quoted: !bare };
  });
}

/** The exact text after "ProxyCommand " in the file, which is also what `ssh -G` prints. */
export function proxyCommandText(argv: readonly string[], platform: ConfigPlatform): string {
  return proxyCommandWords(argv, platform)
    .map((word) => (word.quoted ? `"${word.val}"` : word.val))
    .join(' ');
}
