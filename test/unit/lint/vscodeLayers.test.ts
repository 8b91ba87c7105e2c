import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const repoRoot = path.resolve(__dirname, '../../../..');

/** The vscode-import errors ESLint (with the repo's own config) reports for a file at `filePath`. */
async function vscodeImportErrors(filePath: string, source: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: repoRoot });
  const [result] = await eslint.lintText(source, { filePath: path.join(repoRoot, filePath) });
  return result!.messages
    .filter((message) => message.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((message) => message.message);
}

const importsVscode = "import * as vscode from 'vscode';\n\nexport const title = vscode.env.appName;\n";
const importsVscodeType = "import type { Uri } from 'vscode';\n\nexport type Where = Uri;\n";

describe('layers: only the VS Code shell imports vscode (eslint.config.mjs)', function () {
  this.timeout(60_000);

  for (const filePath of ['src/ssm/layerProbe.ts', 'src/connect/layerProbe.ts', 'src/cli/layerProbe.ts']) {
    it(`refuses vscode in ${filePath}, value and type imports alike`, async () => {
      const [valueErrors, typeErrors] = [
        await vscodeImportErrors(filePath, importsVscode),
        await vscodeImportErrors(filePath, importsVscodeType),
      ];
      assert.equal(valueErrors.length, 1);
      assert.match(valueErrors[0]!, /Only src\/views, src\/commands, src\/vscode and src\/extension\.ts/);
      assert.equal(typeErrors.length, 1);
    });
  }

  for (const filePath of [
    'src/views/layerProbe.ts',
    'src/commands/layerProbe.ts',
    'src/vscode/layerProbe.ts',
    'src/extension.ts',
    'test/integration/suite/layerProbe.ts',
  ]) {
    it(`allows vscode in ${filePath}`, async () => {
      assert.deepEqual(await vscodeImportErrors(filePath, importsVscode), []);
    });
  }
});
