import {
  normalizeOperation,
  type AnyOperation,
  type JsonOperationTable,
  type QueryOperationTable,
  type S3OperationTable,
  type ServiceDefinition,
} from '../operations';

export interface AddOperationsOptions {
  /** Replace operations that already exist (default: adding an existing name throws). */
  readonly replace?: boolean;
}

/** The services the emulator answers for, each an operation table that can be extended. */
export class ServiceRegistry {
  private readonly services = new Map<string, ServiceDefinition>();

  register(service: ServiceDefinition): void {
    if (this.services.has(service.name)) throw new Error(`Service ${service.name} is already registered`);
    this.services.set(service.name, { ...service, operations: new Map(service.operations) });
  }

  get(name: string): ServiceDefinition | undefined {
    return this.services.get(name);
  }

  names(): string[] {
    return [...this.services.keys()];
  }

  /** The JSON service whose X-Amz-Target prefix starts `target`. */
  serviceForTarget(target: string): string | undefined {
    for (const service of this.services.values()) {
      if (service.targetPrefix && target.startsWith(service.targetPrefix + '.')) return service.name;
    }
    return undefined;
  }

  addOperations(
    name: string,
    table: JsonOperationTable | QueryOperationTable | S3OperationTable,
    options: AddOperationsOptions = {},
  ): void {
    const service = this.services.get(name);
    if (!service) throw new Error(`Unknown service ${name}; known: ${this.names().join(', ')}`);
    for (const [operation, entry] of Object.entries(table)) {
      if (service.operations.has(operation) && !options.replace) {
        throw new Error(
          `${name} already has an operation ${operation}; pass { replace: true } to override it`,
        );
      }
      const spec = normalizeOperation(entry as AnyOperation) as AnyOperation;
      if (service.protocol === 'rest-xml' && !spec.route) {
        throw new Error(`S3 operation ${operation} needs a route ({ method, scope, subresource? })`);
      }
      service.operations.set(operation, spec);
    }
  }
}
