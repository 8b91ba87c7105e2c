import { strict as assert } from 'node:assert';
import type { AwsConnection } from '../../../src/aws/awsAccess';
import { prefetchConnect } from '../../../src/connect/prefetchConnect';

function fakeConnection(): { connection: AwsConnection; ssmRequests: () => number } {
  let requests = 0;
  const connection = {
    clients: {
      ssm: () => {
        requests += 1;
        return Promise.resolve({});
      },
    },
  } as unknown as AwsConnection;
  return { connection, ssmRequests: () => requests };
}

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('connect prefetch', () => {
  it('loads the SSM client once per connection, after the delay, however often the views ask', async () => {
    const { connection, ssmRequests } = fakeConnection();
    prefetchConnect(connection, 30);
    prefetchConnect(connection, 30);
    assert.equal(ssmRequests(), 0, 'nothing before the delay');
    await settle(80);
    prefetchConnect(connection, 0);
    await settle(20);
    assert.equal(ssmRequests(), 1);
  });

  it('prefetches again for a new connection (another profile or region)', async () => {
    const first = fakeConnection();
    const second = fakeConnection();
    prefetchConnect(first.connection, 0);
    prefetchConnect(second.connection, 0);
    await settle(20);
    assert.deepEqual([first.ssmRequests(), second.ssmRequests()], [1, 1]);
  });
});
