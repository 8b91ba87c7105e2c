import * as assert from 'node:assert/strict';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { clientsFor, rawRequest, signedRequest, useEmulator } from '../../support/emulator';

describe('emulator: STS', () => {
  const emulator = useEmulator({
    account: '210987654321',
    identities: [
      {
        name: 'user',
        accessKeyId: 'AKIASTSUSER000000001',
        secretAccessKey: 's',
        arn: 'arn:aws:iam::210987654321:user/alice',
        userId: 'AIDAALICE',
      },
      {
        name: 'role',
        accessKeyId: 'ASIASTSROLE000000001',
        secretAccessKey: 's',
        arn: 'arn:aws:sts::111122223333:assumed-role/Admin/bob',
        userId: 'AROAADMIN:bob',
      },
    ],
  });

  it('GetCallerIdentity returns the calling identity (account taken from its ARN)', async () => {
    const user = await clientsFor(emulator(), 'user').sts.send(new GetCallerIdentityCommand({}));
    assert.deepEqual(
      { Account: user.Account, Arn: user.Arn, UserId: user.UserId },
      {
        Account: '210987654321',
        Arn: 'arn:aws:iam::210987654321:user/alice',
        UserId: 'AIDAALICE',
      },
    );
    assert.ok(user.$metadata.requestId);
    const role = await clientsFor(emulator(), 'role').sts.send(new GetCallerIdentityCommand({}));
    assert.equal(role.Account, '111122223333');
    assert.equal(role.UserId, 'AROAADMIN:bob');
  });

  it('answers in awsQuery XML with a RequestId, also for GET query-string requests', async () => {
    const response = await signedRequest(emulator(), {
      service: 'sts',
      method: 'GET',
      path: '/?Action=GetCallerIdentity&Version=2011-06-15',
      identity: 'user',
    });
    assert.equal(response.status, 200);
    assert.match(response.headers['content-type']!, /text\/xml/);
    assert.match(
      response.body,
      /^<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><GetCallerIdentityResult><Arn>arn:aws:iam::210987654321:user\/alice<\/Arn><UserId>AIDAALICE<\/UserId><Account>210987654321<\/Account><\/GetCallerIdentityResult><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/GetCallerIdentityResponse>$/,
    );
  });

  it('answers unknown actions with InvalidAction in the query error shape', async () => {
    const response = await signedRequest(emulator(), {
      service: 'sts',
      identity: 'user',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: 'Action=AssumeRoot&Version=2011-06-15',
    });
    assert.equal(response.status, 400);
    assert.match(
      response.body,
      /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code><Message>Could not find operation AssumeRoot for version 2011-06-15<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/,
    );
    assert.ok(response.headers['x-amzn-requestid']);
  });

  it('routes unsigned form posts to STS and asks for authentication', async () => {
    const response = await rawRequest(emulator(), {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    assert.equal(response.status, 403);
    assert.match(response.body, /<Code>MissingAuthenticationToken<\/Code>/);
  });
});
