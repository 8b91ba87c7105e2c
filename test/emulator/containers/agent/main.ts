// Stand-in agent: the demo's fallback without shared/peers (demoEnvironment.mjs); tested by runtime, network.
import { AgentDaemon } from './daemon';
import { register } from './register';

/**
 * Stand-in for `amazon-ssm-agent` in simulated containers (on their PATH as
 * /usr/local/bin/amazon-ssm-agent):
 *
 *   amazon-ssm-agent -register -id <ActivationId> -code <ActivationCode> -region <region> [-y] [-clear]
 *   amazon-ssm-agent              run the agent (foreground) until SIGTERM
 *   amazon-ssm-agent -version
 */
const USAGE =
  'Usage: amazon-ssm-agent [-register -id <activation id> -code <activation code> -region <region> [-y] [-clear]] [-version]';

function flagValue(args: readonly string[], name: string): string | undefined {
  const index = args.findIndex((arg) => arg === `-${name}` || arg === `--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

function has(args: readonly string[], name: string): boolean {
  return args.includes(`-${name}`) || args.includes(`--${name}`);
}

async function main(args: readonly string[]): Promise<number> {
  if (has(args, 'version')) {
    const { AGENT_VERSION } = await import('./daemon');
    process.stdout.write(`SSM Agent version: ${AGENT_VERSION}\n`);
    return 0;
  }
  if (has(args, 'register')) {
    const activationId = flagValue(args, 'id');
    const activationCode = flagValue(args, 'code');
    const region = flagValue(args, 'region') ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!activationId || !activationCode || !region) {
      process.stderr.write(`-register needs -id, -code and -region (or AWS_REGION).\n${USAGE}\n`);
      return 2;
    }
    return register({ activationId, activationCode, region, yes: has(args, 'y'), clear: has(args, 'clear') });
  }
  if (args.length > 0) {
    process.stderr.write(`Unknown arguments: ${args.join(' ')}\n${USAGE}\n`);
    return 2;
  }
  await AgentDaemon.fromRegistration().run();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`amazon-ssm-agent: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
