import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { startEmulator, type Emulator } from './emulator';
import { ContainerIsolationError, ContainerStartError } from './containers/errors';
import { generateScenario, type GenerateOptions } from './generate';
import { ScenarioError } from './scenario/load';
import { shellWord } from '../../src/util/shellQuote';

const USAGE = `Usage:
  node out/test/emulator/cli.js [--scenario <file>] [--port <n>] [--identity <name>]
      Serve the emulator on 127.0.0.1 (port 0 = any free port) until SIGINT/SIGTERM.
      Default scenario: test/emulator/scenarios/demo.json.
  node out/test/emulator/cli.js --generate jobs=<n>,instances=<n>[,apps=<n>] [--seed <n>] [--out <file>]
      Write a generated scale scenario (to stdout without --out).`;

class UsageError extends Error {}

interface ServeArguments {
  readonly mode: 'serve';
  readonly scenario: string;
  readonly port: number;
  readonly identity?: string;
}

interface GenerateArguments {
  readonly mode: 'generate';
  readonly options: GenerateOptions;
  readonly out?: string;
}

/** The shipped demo scenario, found from the compiled (out/test/emulator) or source location. */
export function defaultScenarioPath(): string {
  const candidates = [
    path.resolve(__dirname, 'scenarios', 'demo.json'),
    path.resolve(__dirname, '..', '..', '..', 'test', 'emulator', 'scenarios', 'demo.json'),
  ];
  return candidates.find((candidate) => existsSync(candidate)) ?? candidates[0]!;
}

function parseArguments(argv: readonly string[]): ServeArguments | GenerateArguments {
  const flags = new Map<string, string>();
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index]!;
    if (flag === '--help' || flag === '-h') throw new UsageError('');
    if (!flag.startsWith('--')) throw new UsageError(`Unexpected argument ${flag}`);
    const value = argv[index + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    flags.set(flag.slice(2), value);
    index++;
  }
  const known = ['scenario', 'port', 'identity', 'generate', 'seed', 'out'];
  const unknown = [...flags.keys()].find((flag) => !known.includes(flag));
  if (unknown) throw new UsageError(`Unknown option --${unknown}`);
  if (flags.has('generate')) {
    return {
      mode: 'generate',
      options: generateOptions(flags.get('generate')!, flags.get('seed')),
      out: flags.get('out'),
    };
  }
  return {
    mode: 'serve',
    scenario: flags.get('scenario') ?? defaultScenarioPath(),
    port: integer(flags.get('port') ?? '0', '--port', 0, 65535),
    identity: flags.get('identity'),
  };
}

function generateOptions(spec: string, seed: string | undefined): GenerateOptions {
  const options: Record<string, number> = {};
  for (const part of spec.split(',')) {
    const [name, value] = part.split('=');
    if (!name || value === undefined || !['jobs', 'instances', 'apps'].includes(name)) {
      throw new UsageError(`--generate takes jobs=<n>,instances=<n>[,apps=<n>]; got "${part}"`);
    }
    options[name] = integer(value, name, 0, 1_000_000);
  }
  return { ...options, seed: seed === undefined ? undefined : integer(seed, '--seed', 0, 2 ** 32 - 1) };
}

function integer(text: string, what: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${what} must be an integer from ${min} to ${max}; got "${text}"`);
  }
  return value;
}

async function serve(args: ServeArguments): Promise<void> {
  const emulator = await startEmulator({ scenario: args.scenario, port: args.port });
  // Before the first line: whoever reads these lines may signal us right away.
  stopOnSignals(emulator);
  const env = emulator.env(args.identity);
  const lines = [
    `AWS emulator listening on ${emulator.endpoint} (scenario: ${args.scenario})`,
    ...Object.entries(env).map(([name, value]) => `export ${name}=${shellWord(value)}`),
    ...emulator.containers
      .nodes()
      .map(
        (node) =>
          `# container ${node.container.id}: ${node.instanceId ?? '(entry script)'}, its port 22 (sshd) at 127.0.0.1:${node.container.sshdPort}, login ${node.user}`,
      ),
    `# admin API: ${emulator.endpoint}/_emulator/state  (Ctrl-C to stop)`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

function stopOnSignals(emulator: Emulator): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`Received ${signal}; stopping the emulator.\n`);
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function generate(args: GenerateArguments): void {
  const text = JSON.stringify(generateScenario(args.options), null, 2) + '\n';
  if (args.out) {
    writeFileSync(args.out, text);
    process.stdout.write(`Wrote ${args.out}\n`);
  } else {
    process.stdout.write(text);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    const args = parseArguments(argv);
    if (args.mode === 'generate') generate(args);
    else await serve(args);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write((error.message ? error.message + '\n\n' : '') + USAGE + '\n');
      return 2;
    }
    if (
      error instanceof ScenarioError ||
      error instanceof ContainerIsolationError ||
      error instanceof ContainerStartError
    ) {
      process.stderr.write(error.message + '\n');
      return 1;
    }
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      process.stderr.write(
        `${(error as Error).message}: the port is already in use; pass --port 0 for a free one.\n`,
      );
      return 1;
    }
    throw error;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code !== 0) process.exit(code);
    },
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
