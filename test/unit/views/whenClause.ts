/**
 * A small evaluator for VS Code `when` clauses, enough for package.json menus: `==`, `!=`, `=~ /re/`,
 * `!`, `&&`, `||`, parentheses, `true`/`false` and bare context keys, with VS Code's precedence
 * (`!` binds tightest, then `&&`, then `||`). Anything else throws, so a clause the tests cannot read
 * fails loudly instead of being skipped.
 */
export type WhenContext = Readonly<Record<string, string | boolean | undefined>>;

type Token =
  | { readonly kind: 'op'; readonly text: '(' | ')' | '!' | '&&' | '||' | '==' | '!=' | '=~' }
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'regex'; readonly regex: RegExp };

function readRegex(source: string, start: number): { regex: RegExp; end: number } {
  let i = start + 1;
  while (i < source.length && source[i] !== '/') {
    i += source[i] === '\\' ? 2 : 1;
  }
  if (i >= source.length) {
    throw new Error(`unterminated regular expression in: ${source}`);
  }
  const flags = /^[a-z]*/.exec(source.slice(i + 1))![0];
  return { regex: new RegExp(source.slice(start + 1, i), flags), end: i + 1 + flags.length };
}

function isOp(token: Token | undefined, text: string): boolean {
  return token?.kind === 'op' && token.text === text;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    const space = /^\s+/.exec(rest);
    const op = /^(&&|\|\||==|!=|=~|[()!])/.exec(rest);
    if (space) {
      i += space[0].length;
    } else if (rest.startsWith('/') && isOp(tokens.at(-1), '=~')) {
      const { regex, end } = readRegex(source, i);
      tokens.push({ kind: 'regex', regex });
      i = end;
    } else if (op) {
      tokens.push({ kind: 'op', text: op[0] as '(' });
      i += op[0].length;
    } else {
      const word = /^('[^']*'|[^\s()!&|=<>]+)/.exec(rest);
      if (!word) {
        throw new Error(`cannot read "${rest}" in: ${source}`);
      }
      tokens.push({ kind: 'word', text: word[0].replace(/^'(.*)'$/, '$1') });
      i += word[0].length;
    }
  }
  return tokens;
}

type Node = (context: WhenContext) => boolean;

class Parser {
  private position = 0;
  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  parse(): Node {
    const node = this.or();
    if (this.position !== this.tokens.length) {
      this.fail('unexpected token');
    }
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private take(text: string): boolean {
    if (isOp(this.peek(), text)) {
      this.position++;
      return true;
    }
    return false;
  }

  private fail(what: string): never {
    throw new Error(`${what} at token ${this.position} in: ${this.source}`);
  }

  private or(): Node {
    const parts = [this.and()];
    while (this.take('||')) parts.push(this.and());
    return (c) => parts.some((p) => p(c));
  }

  private and(): Node {
    const parts = [this.unary()];
    while (this.take('&&')) parts.push(this.unary());
    return (c) => parts.every((p) => p(c));
  }

  private unary(): Node {
    if (this.take('!')) {
      const inner = this.unary();
      return (c) => !inner(c);
    }
    if (this.take('(')) {
      const inner = this.or();
      if (!this.take(')')) this.fail('missing )');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Node {
    const key = this.tokens[this.position++];
    if (key?.kind !== 'word') this.fail('expected a context key');
    if (key.text === 'true' || key.text === 'false') {
      const value = key.text === 'true';
      return () => value;
    }
    if (this.take('=~')) {
      const regex = this.tokens[this.position++];
      if (regex?.kind !== 'regex') this.fail('expected /regex/ after =~');
      return (c) => typeof c[key.text] === 'string' && regex.regex.test(c[key.text] as string);
    }
    for (const op of ['==', '!='] as const) {
      if (this.take(op)) {
        const value = this.tokens[this.position++];
        if (value?.kind !== 'word') this.fail(`expected a value after ${op}`);
        const equal = (c: WhenContext): boolean => String(c[key.text]) === value.text;
        return op === '==' ? equal : (c) => !equal(c);
      }
    }
    return (c) => !!c[key.text];
  }
}

/** Parses a clause once; the result evaluates it against a context. Throws on what it cannot read. */
export function parseWhen(source: string): Node {
  return new Parser(source, tokenize(source)).parse();
}
