import type { Logger } from '../util/logger';
import type { AwsServiceName } from './services';
import { awsMetadataOf, errorCode, errorName } from '../util/errors';

/** What we know about the AWS call an error came from; attached by the logging middleware. */
export interface AwsCallInfo {
  readonly service: AwsServiceName;
  readonly operation: string;
  readonly region: string;
  readonly endpoint: string;
  readonly endpointOrigin: string;
  readonly attempts?: number;
  readonly requestId?: string;
}

const callsOfErrors = new WeakMap<object, AwsCallInfo>();

/** The call an SDK error was raised by, when it went through one of our clients. */
export function awsCallOf(error: unknown): AwsCallInfo | undefined {
  return typeof error === 'object' && error !== null ? callsOfErrors.get(error) : undefined;
}

function failureCode(error: unknown): string {
  return errorCode(error) || errorName(error) || 'Error';
}

/** Minimal structural view of a smithy middleware stack, so this module needs no SDK import. */
export interface MiddlewareStackLike {
  add(
    middleware: (
      next: (args: unknown) => Promise<{ output: unknown }>,
      context: { commandName?: string },
    ) => (args: unknown) => Promise<{ output: unknown }>,
    options: { step: 'initialize'; name: string; override?: boolean },
  ): void;
}

export interface CallTarget {
  readonly service: AwsServiceName;
  readonly region: string;
  readonly endpoint: string;
  readonly endpointOrigin: string;
}

function operationName(commandName: string | undefined): string {
  return (commandName ?? 'UnknownCommand').replace(/Command$/, '');
}

/**
 * Logs every call at debug level (service, operation, region, duration, request id) and remembers
 * for each failure which call raised it. It sits at the initialize step, so the duration includes
 * the SDK's retries. Parameters and responses are never logged: they can hold keys and tokens.
 */
export function addCallLogger(stack: MiddlewareStackLike, target: CallTarget, logger: Logger): void {
  stack.add(
    (next, context) => async (args) => {
      const operation = operationName(context.commandName);
      const started = performance.now();
      const label = `${target.service}.${operation} ${target.region}`;
      try {
        const result = await next(args);
        const meta = awsMetadataOf(result.output);
        const ms = Math.round(performance.now() - started);
        const retries = meta.attempts && meta.attempts > 1 ? ` attempts=${meta.attempts}` : '';
        logger.debug(`${label} ${ms}ms requestId=${meta.requestId ?? '-'}${retries}`);
        return result;
      } catch (error) {
        const meta = awsMetadataOf(error);
        const ms = Math.round(performance.now() - started);
        logger.debug(
          `${label} ${ms}ms failed ${failureCode(error)} status=${meta.httpStatusCode ?? '-'} ` +
            `requestId=${meta.requestId ?? '-'} attempts=${meta.attempts ?? 1}`,
        );
        if (typeof error === 'object' && error !== null) {
          callsOfErrors.set(error, {
            ...target,
            operation,
            attempts: meta.attempts,
            requestId: meta.requestId,
          });
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'sagemakerSshCallLogger', override: true },
  );
}
