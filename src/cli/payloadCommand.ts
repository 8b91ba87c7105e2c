import { parseArgs } from 'node:util';
import { copyPayload } from '../payload/copyPayload';
import { PayloadConflictError } from '../payload/errors';
import { locatePayload } from '../payload/payloadLocation';
import type { CliIo } from './cliEnvironment';
import { UsageError } from './cliErrors';

/**
 * `sm-ssh payload <dir> [--overwrite]`: copies the container-side helper into a training source
 * folder as `sagemaker_ssh_helper/`, as "Add SSH Helper to Training Code…" does in VS Code.
 */
export async function runPayload(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { overwrite: { type: 'boolean' } },
    allowPositionals: true,
  });
  const [dir, ...extra] = positionals;
  if (!dir || extra.length) {
    throw new UsageError('payload needs one folder, e.g. sm-ssh payload ./src (the training source_dir)');
  }
  try {
    const result = await copyPayload(dir, {
      overwrite: values.overwrite,
      payload: locatePayload(undefined, io.env),
    });
    io.stdout.write(
      `${result.status}: ${result.directory} (${result.added.length} added, ${result.replaced.length} replaced)\n` +
        'Call sagemaker_ssh_helper.setup_and_start_ssh() at the top of your entry script.\n',
    );
    return 0;
  } catch (error) {
    if (error instanceof PayloadConflictError) {
      io.stderr.write(
        'sm-ssh: files differ from the bundled payload; re-run with --overwrite to replace them.\n',
      );
    }
    throw error;
  }
}
