import * as assert from 'node:assert/strict';
import { SearchCommand } from '@aws-sdk/client-sagemaker';
import {
  clientsFor,
  expectAwsError,
  jsonCall,
  rawRequest,
  signedRequest,
  useEmulator,
} from '../../support/emulator';

describe('emulator: wire protocols, routing and malformed requests', () => {
  const emulator = useEmulator({ sagemaker: { trainingJobs: [{ name: 'job', status: 'Completed' }] } });

  it('answers JSON 1.1 calls with x-amzn-RequestId and application/x-amz-json-1.1', async () => {
    const response = await jsonCall(emulator(), 'SageMaker.Search', { Resource: 'TrainingJob' });
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'application/x-amz-json-1.1');
    assert.match(response.headers['x-amzn-requestid'] as string, /^[0-9a-f-]{36}$/);
    const body = JSON.parse(response.body) as { Results: { TrainingJob: { CreationTime: unknown } }[] };
    assert.equal(typeof body.Results[0]!.TrainingJob.CreationTime, 'number', 'timestamps are epoch seconds');
  });

  it('answers unknown JSON operations with UnknownOperationException (400), in the AWS error shape', async () => {
    const response = await jsonCall(emulator(), 'SageMaker.CreateTrainingJobFoo', {});
    assert.equal(response.status, 400);
    assert.equal(response.headers['x-amzn-errortype'], 'UnknownOperationException');
    assert.ok(response.headers['x-amzn-requestid']);
    const body = JSON.parse(response.body) as Record<string, string>;
    assert.equal(body.__type, 'UnknownOperationException');
    assert.ok(body.message);
    const wrongPrefix = await jsonCall(emulator(), 'AmazonSSM.Search', {}).then((r) => r);
    assert.equal(JSON.parse(wrongPrefix.body).__type, 'UnknownOperationException', 'SSM has no Search');
    const ssmOnSageMaker = await signedRequest(emulator(), {
      service: 'sagemaker',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonSSM.DescribeInstanceInformation',
      },
      body: '{}',
    });
    assert.equal(JSON.parse(ssmOnSageMaker.body).__type, 'UnknownOperationException');
  });

  it('answers malformed JSON and wrong member types with SerializationException, never a crash', async () => {
    const send = (body: string, contentType = 'application/x-amz-json-1.1') =>
      signedRequest(emulator(), {
        service: 'sagemaker',
        headers: { 'content-type': contentType, 'x-amz-target': 'SageMaker.ListApps' },
        body,
      });
    for (const body of ['{not json', '[1,2]', '"text"', '{"MaxResults":"ten"}', '{"MaxResults":1.5}']) {
      const response = await send(body);
      assert.equal(response.status, 400, body);
      assert.equal(JSON.parse(response.body).__type, 'SerializationException', body);
    }
    const wrongType = await send('{}', 'text/plain');
    assert.equal(JSON.parse(wrongType.body).__type, 'SerializationException');
    const empty = await send('');
    assert.equal(empty.status, 200, 'an empty body is an empty input');
    const describe = await signedRequest(emulator(), {
      service: 'sagemaker',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'SageMaker.DescribeTrainingJob',
      },
      body: '{}',
    });
    const error = JSON.parse(describe.body) as { __type: string; message: string };
    assert.equal(error.__type, 'ValidationException');
    assert.equal(
      error.message,
      "1 validation error detected: Value null at 'trainingJobName' failed to satisfy constraint: Member must not be null",
    );
    const after = await clientsFor(emulator()).sagemaker.send(new SearchCommand({ Resource: 'TrainingJob' }));
    assert.equal(after.Results!.length, 1, 'the emulator still serves');
  });

  it('routes unsigned requests by X-Amz-Target, Action= or else S3, and asks for authentication', async () => {
    const json = await rawRequest(emulator(), {
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonSSM.DescribeInstanceInformation',
      },
      body: '{}',
    });
    assert.equal(json.status, 400);
    assert.equal(JSON.parse(json.body).__type, 'MissingAuthenticationTokenException');
    const s3 = await rawRequest(emulator(), { method: 'GET', path: '/some-bucket?list-type=2' });
    assert.equal(s3.status, 403);
    assert.match(
      s3.body,
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>AccessDenied<\/Code><Message>Access Denied<\/Message><RequestId>[0-9A-F]{16}<\/RequestId><HostId>.+<\/HostId><\/Error>$/,
    );
    const head = await rawRequest(emulator(), { method: 'HEAD', path: '/some-bucket/key' });
    assert.equal(head.status, 403);
    assert.equal(head.body, '', 'HEAD errors have no body');
    assert.ok(head.headers['x-amz-request-id']);
  });

  it('answers a malformed Authorization header and unknown services with errors in the right family', async () => {
    const malformed = await rawRequest(emulator(), {
      headers: {
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/20250101/us-east-1/sagemaker/aws4_request',
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'SageMaker.Search',
      },
      body: '{}',
    });
    assert.equal(JSON.parse(malformed.body).__type, 'IncompleteSignatureException');
    const ec2 = await signedRequest(emulator(), {
      service: 'ec2',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=DescribeInstances',
    });
    assert.equal(ec2.status, 400);
    assert.match(
      ec2.body,
      /<Code>UnknownOperationException<\/Code><Message>The emulator does not implement the ec2 service/,
    );
    const unknownS3 = await signedRequest(emulator(), {
      service: 's3',
      method: 'POST',
      path: '/bucket?uploads',
      body: '',
    });
    assert.equal(unknownS3.status, 501);
    assert.match(unknownS3.body, /<Code>NotImplemented<\/Code>/);
  });

  it('records every call, including failed and unidentified ones', async () => {
    const before = emulator().calls.lastSeq;
    await expectAwsError(
      clientsFor(emulator()).sagemaker.send(new SearchCommand({ Resource: 'TrainingJob', MaxResults: 0 })),
      'ValidationException',
    );
    await rawRequest(emulator(), { headers: { 'x-amz-target': 'SageMaker.Search' }, body: '{}' });
    const calls = emulator().calls.filter({ since: before });
    assert.equal(calls.length, 2);
    assert.deepEqual(
      calls.map((call) => [call.service, call.operation, call.status, call.errorCode, call.identity]),
      [
        ['sagemaker', 'Search', 400, 'ValidationException', 'arn:aws:iam::123456789012:user/developer'],
        ['sagemaker', 'Search', 400, 'MissingAuthenticationTokenException', undefined],
      ],
    );
    assert.ok(calls.every((call) => call.requestId && call.time && call.durationMs >= 0));
  });
});
