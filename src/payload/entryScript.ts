import { promises as fs } from 'node:fs';

export const SETUP_IMPORT = 'import sagemaker_ssh_helper';
export const SETUP_CALL = 'sagemaker_ssh_helper.setup_and_start_ssh()';

export interface SetupCallInsertion {
  /** False when the script already calls setup_and_start_ssh(). */
  readonly changed: boolean;
  /** The whole new text (the original when unchanged). */
  readonly text: string;
  /** Where the insertion goes, in UTF-16 code units of the original text. */
  readonly offset: number;
  /** What is inserted at `offset` ('' when unchanged). */
  readonly inserted: string;
}

const ALREADY_CALLED = /^[ \t]*(?:[\w.]+\.)?setup_and_start_ssh\s*\(/m;
const FUTURE_IMPORT = /^from[ \t]+__future__[ \t]+import\b/;
const STRING_START = /^(?:[rRuUbBfF]{0,2})("""|'''|"|')/;

interface Line {
  readonly start: number;
  readonly end: number; // after the line break
  readonly body: string; // without the line break
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline + 1;
    const body = text.slice(start, newline < 0 ? end : newline).replace(/\r$/, '');
    lines.push({ start, end, body });
    start = end;
  }
  return lines;
}

function isBlankOrComment(body: string): boolean {
  const trimmed = body.trim();
  return trimmed === '' || trimmed.startsWith('#');
}

/** Index of the line after a string literal starting on lines[index], or -1 if it is not one. */
function skipDocstring(lines: readonly Line[], index: number): number {
  const body = lines[index].body.trimStart();
  const match = STRING_START.exec(body);
  if (!match) {
    return -1;
  }
  const quote = match[1];
  if (quote.length === 1) {
    return index + 1;
  }
  const afterOpening = body.slice(match[0].length);
  if (afterOpening.includes(quote)) {
    return index + 1;
  }
  for (let i = index + 1; i < lines.length; i++) {
    if (lines[i].body.includes(quote)) {
      return i + 1;
    }
  }
  return lines.length;
}

/** Index of the line after a `from __future__ import` statement (parenthesised or continued). */
function skipFutureImport(lines: readonly Line[], index: number): number {
  let i = index;
  const first = lines[i].body;
  if (first.includes('(') && !first.includes(')')) {
    while (i < lines.length && !lines[i].body.includes(')')) {
      i++;
    }
    return Math.min(i + 1, lines.length);
  }
  while (i < lines.length && lines[i].body.trimEnd().endsWith('\\')) {
    i++;
  }
  return Math.min(i + 1, lines.length);
}

/** A UTF-8 byte-order mark, decoded (one character) or read as latin1 bytes (three). */
function bomLength(text: string): number {
  if (text.startsWith('\uFEFF')) {
    return 1;
  }
  return text.startsWith('\u00EF\u00BB\u00BF') ? 3 : 0;
}

/** Index of the first line after the script's header: shebang, comments, docstring, __future__. */
function headerEnd(lines: readonly Line[]): number {
  let insertAt = 0;
  let i = 0;
  if (lines.length > 0 && lines[0].body.startsWith('#!')) {
    insertAt = i = 1;
  }
  // The leading comment block (encoding line, license header) stays on top.
  while (i < lines.length && lines[i].body.trim().startsWith('#')) {
    insertAt = ++i;
  }
  while (i < lines.length && isBlankOrComment(lines[i].body)) {
    i++;
  }
  if (i < lines.length) {
    const afterDocstring = skipDocstring(lines, i);
    if (afterDocstring >= 0) {
      insertAt = i = afterDocstring;
    }
  }
  for (;;) {
    let j = i;
    while (j < lines.length && isBlankOrComment(lines[j].body)) {
      j++;
    }
    if (j < lines.length && FUTURE_IMPORT.test(lines[j].body)) {
      insertAt = i = skipFutureImport(lines, j);
      continue;
    }
    return insertAt;
  }
}

/**
 * Puts `import sagemaker_ssh_helper` and `sagemaker_ssh_helper.setup_and_start_ssh()` at the top of
 * a training entry script: after its shebang, encoding line, leading comments, module docstring and
 * `from __future__` imports (which must stay first). Everything else is kept byte for byte,
 * including the line-break style. Does nothing if the script already calls setup_and_start_ssh().
 */
export function insertSetupCall(text: string): SetupCallInsertion {
  if (ALREADY_CALLED.test(text)) {
    return { changed: false, text, offset: 0, inserted: '' };
  }
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = splitLines(text);
  const bom = bomLength(text);
  if (bom > 0) {
    lines[0] = { ...lines[0], body: lines[0].body.slice(bom) };
  }
  const index = headerEnd(lines);
  const offset = index === 0 ? bom : lines[index - 1].end;
  const needsBreakBefore = offset > bom && !text.slice(0, offset).endsWith('\n');
  const inserted = `${needsBreakBefore ? newline : ''}${SETUP_IMPORT}${newline}${SETUP_CALL}${newline}`;
  return {
    changed: true,
    text: text.slice(0, offset) + inserted + text.slice(offset),
    offset,
    inserted,
  };
}

/**
 * Inserts the call into an entry script on disk (see insertSetupCall). The file is handled as
 * bytes (latin1 maps each byte to one character), so any encoding survives unchanged.
 */
export async function addSetupCallToFile(file: string): Promise<SetupCallInsertion> {
  const original = (await fs.readFile(file)).toString('latin1');
  const insertion = insertSetupCall(original);
  if (insertion.changed) {
    await fs.writeFile(file, Buffer.from(insertion.text, 'latin1'));
  }
  return insertion;
}
