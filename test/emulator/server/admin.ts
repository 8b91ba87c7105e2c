import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallLog } from '../callLog';
import { AwsError } from '../errors';
import type { FaultInjector } from '../faults';
import { ScenarioError } from '../scenario/load';
import type { FaultSpec, PingStatus } from '../scenario/types';
import { PING_STATUSES } from '../scenario/types';
import { LogsAdminError, appendFromAdmin } from '../services/logs/admin';
import type { LogStore } from '../services/logs/store';
import type { InstanceRegistrationInfo } from '../services/ssm/registration';
import type { EmulatorState } from '../state';

/** The part of the emulator the admin API steers. */
export interface AdminTarget {
  readonly endpoint: string;
  readonly state: EmulatorState;
  readonly faults: FaultInjector;
  readonly calls: CallLog;
  readonly logs: LogStore;
  env(identity?: string): Record<string, string>;
  createActivation(spec: { iamRole: string; registrationLimit?: number; tags?: Record<string, string> }): {
    activationId: string;
    activationCode: string;
  };
  registerInstance(
    activationId: string,
    activationCode: string,
    info?: InstanceRegistrationInfo,
  ): { id: string };
  setPingStatus(instanceId: string, status: PingStatus): void;
}

export const ADMIN_PREFIX = '/_emulator/';

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Route = (target: AdminTarget, body: unknown, query: URLSearchParams, match: RegExpExecArray) => unknown;

const ROUTES: readonly { method: string; path: RegExp; handle: Route }[] = [
  {
    method: 'GET',
    path: /^health$/,
    handle: (target) => ({
      ok: true,
      endpoint: target.endpoint,
      region: target.state.region,
      account: target.state.account,
      partition: target.state.partition,
    }),
  },
  { method: 'GET', path: /^state$/, handle: (target) => target.state.summary() },
  {
    method: 'GET',
    path: /^env$/,
    handle: (target, _body, query) => target.env(query.get('identity') ?? undefined),
  },
  {
    method: 'GET',
    path: /^calls$/,
    handle: (target, _body, query) => ({
      calls: target.calls.filter({
        service: query.get('service') ?? undefined,
        operation: query.get('operation') ?? undefined,
        since: query.has('since') ? Number(query.get('since')) : undefined,
        errorsOnly: query.get('errorsOnly') === 'true',
      }),
      lastSeq: target.calls.lastSeq,
    }),
  },
  { method: 'POST', path: /^calls\/reset$/, handle: (target) => ({ cleared: target.calls.clear() }) },
  {
    method: 'GET',
    path: /^faults$/,
    handle: (target) => ({ faults: target.faults.list(), globalLatencyMs: target.faults.globalLatencyMs }),
  },
  {
    method: 'POST',
    path: /^faults$/,
    handle: (target, body) => ({ ids: target.faults.add(...faultList(body)) }),
  },
  { method: 'DELETE', path: /^faults$/, handle: (target) => (target.faults.clear(), { cleared: true }) },
  { method: 'POST', path: /^faults\/clear$/, handle: (target) => (target.faults.clear(), { cleared: true }) },
  {
    method: 'DELETE',
    path: /^faults\/(\d+)$/,
    handle: (target, _body, _query, match) => {
      if (!target.faults.remove(Number(match[1]))) throw new AdminError(404, `No fault rule ${match[1]}`);
      return { removed: Number(match[1]) };
    },
  },
  {
    method: 'POST',
    path: /^latency$/,
    handle: (target, body) => {
      const ms = (body as { ms?: unknown } | undefined)?.ms;
      if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0)
        throw new AdminError(400, 'Body must be {"ms": <integer >= 0>}');
      target.faults.globalLatencyMs = ms;
      return { globalLatencyMs: ms };
    },
  },
  {
    method: 'POST',
    path: /^activations$/,
    handle: (target, body) => {
      const spec = body as { iamRole?: unknown; registrationLimit?: unknown; tags?: unknown };
      if (typeof spec?.iamRole !== 'string') throw new AdminError(400, 'Body must include "iamRole"');
      return target.createActivation({
        iamRole: spec.iamRole,
        registrationLimit: typeof spec.registrationLimit === 'number' ? spec.registrationLimit : undefined,
        tags: isStringMap(spec.tags) ? spec.tags : undefined,
      });
    },
  },
  {
    method: 'POST',
    path: /^instances\/register$/,
    handle: (target, body) => {
      const spec = body as {
        activationId?: unknown;
        activationCode?: unknown;
        info?: InstanceRegistrationInfo;
      };
      if (typeof spec?.activationId !== 'string' || typeof spec.activationCode !== 'string') {
        throw new AdminError(400, 'Body must include "activationId" and "activationCode"');
      }
      return { instanceId: target.registerInstance(spec.activationId, spec.activationCode, spec.info).id };
    },
  },
  {
    method: 'POST',
    path: /^instances\/(mi-[0-9a-f]{17})\/ping$/,
    handle: (target, body, _query, match) => {
      const status = (body as { status?: unknown } | undefined)?.status;
      if (!PING_STATUSES.includes(status as PingStatus)) {
        throw new AdminError(400, `Body must be {"status": one of ${PING_STATUSES.join(', ')}}`);
      }
      target.setPingStatus(match[1]!, status as PingStatus);
      return { instanceId: match[1], pingStatus: status };
    },
  },
  {
    method: 'POST',
    path: /^logs\/events$/,
    handle: (target, body) => {
      try {
        return appendFromAdmin(target.state, target.logs, body);
      } catch (error) {
        throw error instanceof LogsAdminError ? new AdminError(400, error.message) : error;
      }
    },
  },
];

function faultList(body: unknown): FaultSpec[] {
  if (Array.isArray(body)) return body as FaultSpec[];
  if (body && typeof body === 'object' && Array.isArray((body as { faults?: unknown }).faults)) {
    return (body as { faults: FaultSpec[] }).faults;
  }
  if (body && typeof body === 'object') return [body as FaultSpec];
  throw new AdminError(400, 'Body must be a fault rule, an array of rules, or {"faults": [...]}');
}

function isStringMap(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((entry) => typeof entry === 'string')
  );
}

/**
 * The admin API under /_emulator/ (JSON in, JSON out) for processes that did not start the
 * emulator: the demo, benchmarks, the VS Code host. Documented in test/emulator/README.md.
 */
export function handleAdmin(
  target: AdminTarget,
  request: IncomingMessage,
  body: Buffer,
  response: ServerResponse,
): void {
  const url = new URL(request.url ?? '/', 'http://emulator');
  const path = url.pathname.slice(ADMIN_PREFIX.length).replace(/\/$/, '');
  try {
    target.state.advance();
    const route = ROUTES.find(
      (candidate) => candidate.path.test(path) && candidate.method === request.method,
    );
    if (!route) {
      const known = ROUTES.some((candidate) => candidate.path.test(path));
      throw new AdminError(known ? 405 : 404, `No admin route ${request.method} ${url.pathname}`);
    }
    const parsed = body.length === 0 ? undefined : parseJson(body);
    reply(response, 200, route.handle(target, parsed, url.searchParams, route.path.exec(path)!));
  } catch (error) {
    const status =
      error instanceof AdminError
        ? error.status
        : error instanceof ScenarioError || error instanceof AwsError
          ? 400
          : 500;
    reply(response, status, {
      error: (error as Error).message,
      code: error instanceof AwsError ? error.code : undefined,
    });
  }
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new AdminError(400, 'The request body is not valid JSON');
  }
}

function reply(response: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload, null, 2);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}
