import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { codeSpan, escapeMarkdown, readinessBadge } from '../../../src/views/format';

interface MarkdownRenderer {
  renderInline(source: string): string;
}
// markdown-it (CommonMark), a devDependency; VS Code renders hovers with a CommonMark renderer too.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const markdownIt = require('markdown-it') as (options: { html: boolean }) => MarkdownRenderer;
const markdown = markdownIt({ html: false });

function unescapeHtml(html: string): string {
  return html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** The text a reader sees inside the rendered code span, or undefined when it is not one code span. */
function renderedCode(source: string): string | undefined {
  const match = /^<code>([\s\S]*)<\/code>$/.exec(markdown.renderInline(source));
  return match ? unescapeHtml(match[1]) : undefined;
}

describe('tooltip Markdown', () => {
  it('shows ARNs and ids in code spans verbatim, without backslashes', () => {
    const arn = 'arn:aws:sagemaker:us-east-1:123456789012:training-job/bert-finetune';
    assert.equal(renderedCode(codeSpan(arn)), arn);
    assert.equal(renderedCode(codeSpan('d-emulatordemo1')), 'd-emulatordemo1');
    assert.equal(renderedCode(codeSpan('mi-0123456789abcdef0')), 'mi-0123456789abcdef0');
  });

  it('keeps any text verbatim in a code span, backticks and edge spaces included', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', '-', '`', ' ', '\\', '*', '_', '<', '[', ']', '(', '&') }),
        (text) => {
          fc.pre(text.trim() !== '');
          assert.equal(renderedCode(codeSpan(text)), text);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('says SSH readiness in a few characters (it leads the description)', () => {
    assert.equal(readinessBadge({ online: 2, nodes: [1, 2] }), 'SSH 2/2');
    assert.equal(readinessBadge({ online: 1, nodes: [1, 2] }), 'SSH 1/2');
    assert.equal(readinessBadge({ online: 0, nodes: [1] }), 'SSH offline');
    assert.equal(readinessBadge({ online: 0, nodes: [] }), '');
  });

  it('escapes names outside code spans so they render as plain text', () => {
    for (const name of ['my_job*1', '[x](http://evil)', 'a-b.c']) {
      assert.equal(unescapeHtml(markdown.renderInline(escapeMarkdown(name))), name);
    }
  });
});
