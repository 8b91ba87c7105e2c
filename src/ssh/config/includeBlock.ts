import SSHConfig, { LineType } from 'ssh-config';

/*
 * Our footprint in the user's SSH config: one marked block holding one Include line.
 *
 * All editing works on the file's bytes (as a latin1 string, one char per byte), so every byte
 * outside the block is kept: line endings, BOM, a missing final newline, invalid UTF-8. The block
 * uses the file's own line ending. A new block goes at the very top (after a BOM): ssh takes the
 * first value it finds, no Host/Match line can precede it, and ssh restores the top-level scope
 * after an Include, so no "Match all" is needed (open-remote-ssh would also not follow an Include
 * nested in a Match). An existing block is updated where it is, unless it sits inside a Host/Match
 * section (where it would only apply to that section); then it moves to the top. Duplicate blocks
 * collapse into one; unbalanced markers are an error because we cannot tell what is ours.
 */

export const BLOCK_BEGIN = '# --- BEGIN SageMaker SSH (managed; do not edit inside this block) ---';
export const BLOCK_END = '# --- END SageMaker SSH ---';
const BEGIN_PREFIX = '# --- BEGIN SageMaker SSH';
const END_PREFIX = '# --- END SageMaker SSH';
const BOM = '\u00ef\u00bb\u00bf';

/** A block's byte range [start, end) and the 1-based lines of its markers. */
export interface BlockRange {
  readonly start: number;
  readonly end: number;
  readonly beginLine: number;
  readonly endLine: number;
}

export type MarkerProblem =
  | { readonly kind: 'begin-without-end'; readonly line: number }
  | { readonly kind: 'end-without-begin'; readonly line: number };

interface RawLine {
  readonly start: number;
  /** Offset just past the line terminator. */
  readonly end: number;
  readonly text: string;
  readonly number: number;
}

function rawLines(bytes: string): RawLine[] {
  const lines: RawLine[] = [];
  let start = 0;
  while (start < bytes.length) {
    const newline = bytes.indexOf('\n', start);
    const end = newline < 0 ? bytes.length : newline + 1;
    const text = bytes.slice(start, newline < 0 ? bytes.length : newline).replace(/\r$/, '');
    lines.push({ start, end, text, number: lines.length + 1 });
    start = end;
  }
  return lines;
}

function markerKind(text: string): 'begin' | 'end' | undefined {
  const trimmed = text.replace(/^\u00ef\u00bb\u00bf/, '').trim();
  if (trimmed.startsWith(BEGIN_PREFIX)) {
    return 'begin';
  }
  return trimmed.startsWith(END_PREFIX) ? 'end' : undefined;
}

/** Our blocks in `bytes`, or the first marker problem. */
export function findBlocks(bytes: string): { blocks: BlockRange[] } | { problem: MarkerProblem } {
  const blocks: BlockRange[] = [];
  let open: RawLine | undefined;
  for (const line of rawLines(bytes)) {
    const kind = markerKind(line.text);
    if (kind === 'begin') {
      if (open !== undefined) {
        return { problem: { kind: 'begin-without-end', line: open.number } };
      }
      open = line;
    } else if (kind === 'end') {
      if (open === undefined) {
        return { problem: { kind: 'end-without-begin', line: line.number } };
      }
      // A BOM belongs to the file, not to a block that starts on line 1.
      const start = open.start === 0 && bytes.startsWith(BOM) ? BOM.length : open.start;
      blocks.push({ start, end: line.end, beginLine: open.number, endLine: line.number });
      open = undefined;
    }
  }
  return open === undefined ? { blocks } : { problem: { kind: 'begin-without-end', line: open.number } };
}

/** The file's line ending, judged from its first line break outside our blocks. */
function lineEnding(outside: string): '\n' | '\r\n' {
  const newline = outside.indexOf('\n');
  return newline > 0 && outside[newline - 1] === '\r' ? '\r\n' : '\n';
}

function withoutBlocks(bytes: string, blocks: readonly BlockRange[]): string {
  let result = '';
  let position = 0;
  for (const block of blocks) {
    result += bytes.slice(position, block.start);
    position = block.end;
  }
  return result + bytes.slice(position);
}

/** True if a Host or Match line comes before `offset`, i.e. the offset is inside a section. */
function insideSection(outside: string, offset: number): boolean {
  return rawLines(outside.slice(0, offset)).some((line) =>
    /^\s*(host|match)(\s|=)/i.test(line.text.replace(/^\u00ef\u00bb\u00bf/, '')),
  );
}

/** `Include "<path>"` rendered by the ssh-config package, as bytes. */
export function includeLine(includePath: string): string {
  const config = new SSHConfig();
  config.push({
    type: LineType.DIRECTIVE,
    param: 'Include',
    separator: ' ',
    value: includePath,
    quoted: true,
    before: '',
    after: '',
  });
  return Buffer.from(SSHConfig.stringify(config), 'utf8').toString('latin1');
}

function renderBlock(includePath: string, eol: string): string {
  return [BLOCK_BEGIN, includeLine(includePath), BLOCK_END, ''].join(eol);
}

/**
 * The user's config bytes with exactly one up-to-date block (see the comment at the top).
 * Throws the marker problem if the existing markers are unbalanced.
 */
export function upsertBlock(
  bytes: string,
  includePath: string,
): { bytes: string } | { problem: MarkerProblem } {
  const found = findBlocks(bytes);
  if ('problem' in found) {
    return found;
  }
  const outside = withoutBlocks(bytes, found.blocks);
  const top = outside.startsWith(BOM) ? BOM.length : 0;
  const first = found.blocks[0];
  const position = first === undefined || insideSection(outside, first.start) ? top : first.start;
  const block = renderBlock(includePath, lineEnding(outside));
  return { bytes: outside.slice(0, position) + block + outside.slice(position) };
}

/** The user's config bytes with all our blocks removed. */
export function removeBlocks(bytes: string): { bytes: string } | { problem: MarkerProblem } {
  const found = findBlocks(bytes);
  return 'problem' in found ? found : { bytes: withoutBlocks(bytes, found.blocks) };
}
