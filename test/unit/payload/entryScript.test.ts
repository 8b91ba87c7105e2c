import * as assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { addSetupCallToFile, insertSetupCall } from '../../../src/payload/entryScript';
import { useTempDir } from '../../support/tempDir';
import { run } from './support';

const CALL = 'import sagemaker_ssh_helper\nsagemaker_ssh_helper.setup_and_start_ssh()\n';

function inserted(text: string): string {
  const result = insertSetupCall(text);
  assert.ok(result.changed, 'expected an insertion');
  assert.equal(result.text, text.slice(0, result.offset) + result.inserted + text.slice(result.offset));
  return result.text;
}

describe('payload: inserting setup_and_start_ssh() into an entry script', () => {
  const tmp = useTempDir();

  const cases: [string, string, string][] = [
    ['an empty file', '', CALL],
    ['plain code', 'import os\nprint(os.getcwd())\n', CALL + 'import os\nprint(os.getcwd())\n'],
    ['a shebang', '#!/usr/bin/env python3\nimport os\n', '#!/usr/bin/env python3\n' + CALL + 'import os\n'],
    [
      'a shebang, an encoding line and a license comment',
      '#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n# Copyright me\n\nimport os\n',
      '#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n# Copyright me\n' + CALL + '\nimport os\n',
    ],
    [
      'a one-line docstring',
      '"""Train a model."""\nimport os\n',
      '"""Train a model."""\n' + CALL + 'import os\n',
    ],
    [
      'a multi-line raw docstring after comments',
      "# header\n\nr'''Train.\n\nDetails.\n'''\n\nimport torch\n",
      "# header\n\nr'''Train.\n\nDetails.\n'''\n" + CALL + '\nimport torch\n',
    ],
    [
      'from __future__ imports, parenthesised and continued',
      '"""Doc."""\nfrom __future__ import annotations\nfrom __future__ import (\n    division,\n    print_function,\n)\nfrom __future__ import absolute_import, \\\n    generators\n\nimport sys\n',
      '"""Doc."""\nfrom __future__ import annotations\nfrom __future__ import (\n    division,\n    print_function,\n)\nfrom __future__ import absolute_import, \\\n    generators\n' +
        CALL +
        '\nimport sys\n',
    ],
    [
      'CRLF line breaks',
      '#!/usr/bin/env python3\r\n"""Doc."""\r\nimport os\r\n',
      '#!/usr/bin/env python3\r\n"""Doc."""\r\nimport sagemaker_ssh_helper\r\nsagemaker_ssh_helper.setup_and_start_ssh()\r\nimport os\r\n',
    ],
    ['a docstring without a final line break', '"""Doc."""', '"""Doc."""\n' + CALL],
    ['a byte-order mark', '\uFEFFimport os\n', '\uFEFF' + CALL + 'import os\n'],
    [
      'a string that is not the first statement',
      'x = 1\n"""not a docstring"""\n',
      CALL + 'x = 1\n"""not a docstring"""\n',
    ],
  ];
  for (const [name, before, after] of cases) {
    it(`handles ${name}`, () => {
      assert.equal(inserted(before), after);
    });
  }

  it('gives scripts that Python still compiles (the call never lands before __future__ imports)', async () => {
    const sources = cases.map(([, before]) => inserted(before).replace(/^\uFEFF/, ''));
    const program = `import json, sys\nfor i, source in enumerate(json.load(sys.stdin)):\n    compile(source, 'case%d' % i, 'exec')`;
    const result = await run('python3', ['-c', program], { input: JSON.stringify(sources) });
    assert.equal(result.code, 0, result.stderr);
  });

  it('multi-line docstrings end at their closing quotes', () => {
    const text = '"""First line.\n\nimport os  <- still the docstring\n"""\nimport os\n';
    assert.equal(
      inserted(text),
      '"""First line.\n\nimport os  <- still the docstring\n"""\n' + CALL + 'import os\n',
    );
  });

  it('does nothing when the script already calls setup_and_start_ssh(), in any form', () => {
    for (const text of [
      CALL,
      'import sagemaker_ssh_helper as helper\nhelper.setup_and_start_ssh()\n',
      'from sagemaker_ssh_helper import setup_and_start_ssh\n\nif True:\n    setup_and_start_ssh()\n',
    ]) {
      const result = insertSetupCall(text);
      assert.equal(result.changed, false);
      assert.equal(result.text, text);
      assert.equal(result.inserted, '');
    }
  });

  it('keeps every original byte and is idempotent (property)', () => {
    const line = fc.oneof(
      fc.constantFrom(
        '#!/usr/bin/env python3',
        '# -*- coding: latin-1 -*-',
        '"""Doc."""',
        "'''",
        '"""',
        '',
        '   ',
        'from __future__ import annotations',
        'import os',
        'x = "\\"',
        '# comment',
        'def f():',
        '    pass',
        '(',
        ')',
      ),
      fc.string({ maxLength: 20 }).filter((s) => !s.includes('setup_and_start_ssh')),
    );
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 12 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        (lines, eol, trailing) => {
          const text = lines.join(eol) + (trailing ? eol : '');
          const once = insertSetupCall(text);
          assert.ok(once.changed);
          assert.equal(
            once.text.slice(0, once.offset) + once.text.slice(once.offset + once.inserted.length),
            text,
          );
          assert.match(
            once.inserted,
            /import sagemaker_ssh_helper(\r?\n)sagemaker_ssh_helper\.setup_and_start_ssh\(\)\r?\n$/,
          );
          assert.equal(insertSetupCall(once.text).changed, false);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('edits files as bytes: other encodings survive, the result runs, and a second run changes nothing', async () => {
    const file = path.join(tmp(), 'train.py');
    const latin1 = Buffer.concat([
      Buffer.from('#!/usr/bin/env python3\n# -*- coding: latin-1 -*-\n"""Entra\xeenement."""\n', 'latin1'),
      Buffer.from(
        'from __future__ import annotations\nimport sys\nprint("caf\xe9", sys.argv[1])\n',
        'latin1',
      ),
    ]);
    await writeFile(file, latin1);
    assert.equal((await addSetupCallToFile(file)).changed, true);
    const after = await readFile(file);
    const expected = Buffer.concat([
      latin1.subarray(0, latin1.indexOf('import sys')),
      Buffer.from(CALL),
      latin1.subarray(latin1.indexOf('import sys')),
    ]);
    assert.deepEqual(after, expected);
    assert.equal((await addSetupCallToFile(file)).changed, false);
    assert.deepEqual(await readFile(file), expected);
    // The script still compiles: the call sits after the docstring and __future__ import.
    const result = await run('python3', [
      '-c',
      `compile(open(${JSON.stringify(file)}, 'rb').read(), 'train.py', 'exec')`,
    ]);
    assert.equal(result.code, 0, result.stderr);
  });
});
