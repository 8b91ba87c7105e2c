import * as assert from 'node:assert/strict';
import { contextKey, resolveAwsContext } from '../../../src/aws/awsContext';
import type { SharedConfig } from '../../../src/aws/sharedConfig';

const config: SharedConfig = {
  configFile: {
    default: { region: 'us-west-2', endpoint_url: 'http://default.example' },
    dev: { region: 'eu-west-1', services: 'local' },
    plain: { region: 'ap-south-1' },
    ignoring: {
      region: 'eu-north-1',
      endpoint_url: 'http://x.example',
      ignore_configured_endpoint_urls: 'true',
    },
    'services.local': {
      'sagemaker.endpoint_url': 'http://sm.example',
      'ssm.endpoint_url': 'http://ssm.example',
    },
  },
  credentialsFile: { 'keys-only': { aws_access_key_id: 'A', aws_secret_access_key: 'B' } },
};

describe('resolveAwsContext', () => {
  describe('profile', () => {
    it('prefers the setting over AWS_PROFILE', () => {
      const ctx = resolveAwsContext({ profile: 'dev' }, { AWS_PROFILE: 'plain' }, config);
      assert.deepEqual(ctx.profile, { value: 'dev', source: 'setting', origin: 'sagemakerSsh.profile' });
    });
    it('falls back to AWS_PROFILE, then to the default chain', () => {
      assert.equal(resolveAwsContext({}, { AWS_PROFILE: 'plain' }, config).profile.origin, 'AWS_PROFILE');
      const none = resolveAwsContext({ profile: '  ' }, {}, config).profile;
      assert.equal(none.value, undefined);
      assert.equal(none.source, 'none');
    });
    it('flags a chosen profile that exists in neither file', () => {
      assert.equal(resolveAwsContext({ profile: 'ghost' }, {}, config).profileMissing, true);
      assert.equal(resolveAwsContext({ profile: 'keys-only' }, {}, config).profileMissing, false);
      assert.equal(resolveAwsContext({}, {}, config).profileMissing, false);
    });
  });

  describe('region', () => {
    it('prefers the setting, then AWS_REGION, then AWS_DEFAULT_REGION, then the profile', () => {
      const env = { AWS_REGION: 'ca-central-1', AWS_DEFAULT_REGION: 'sa-east-1' };
      assert.equal(
        resolveAwsContext({ profile: 'dev', region: 'us-east-2' }, env, config).region.value,
        'us-east-2',
      );
      assert.equal(resolveAwsContext({ profile: 'dev' }, env, config).region.origin, 'AWS_REGION');
      assert.equal(
        resolveAwsContext({ profile: 'dev' }, { AWS_DEFAULT_REGION: 'sa-east-1' }, config).region.origin,
        'AWS_DEFAULT_REGION',
      );
      const fromProfile = resolveAwsContext({ profile: 'dev' }, {}, config).region;
      assert.deepEqual(fromProfile, {
        value: 'eu-west-1',
        source: 'profile',
        origin: '[profile dev] region',
      });
    });
    it('uses the default profile region when no profile is named', () => {
      assert.equal(resolveAwsContext({}, {}, config).region.origin, '[default] region');
    });
    it('reports no region rather than guessing', () => {
      const region = resolveAwsContext({ profile: 'keys-only' }, {}, config).region;
      assert.equal(region.value, undefined);
      assert.equal(region.source, 'none');
    });
  });

  describe('endpoints', () => {
    it('uses AWS_ENDPOINT_URL_<SERVICE> before AWS_ENDPOINT_URL', () => {
      const env = { AWS_ENDPOINT_URL: 'http://all.example', AWS_ENDPOINT_URL_SSM: 'http://only-ssm.example' };
      const ctx = resolveAwsContext({ profile: 'dev' }, env, config);
      assert.equal(ctx.endpoints.ssm.value, 'http://only-ssm.example');
      assert.equal(ctx.endpoints.ssm.origin, 'AWS_ENDPOINT_URL_SSM');
      assert.equal(ctx.endpoints.sagemaker.value, 'http://all.example');
      assert.equal(ctx.endpoints.sts.origin, 'AWS_ENDPOINT_URL');
    });
    it('uses the profile services section, then the profile endpoint_url', () => {
      const dev = resolveAwsContext({ profile: 'dev' }, {}, config);
      assert.equal(dev.endpoints.sagemaker.value, 'http://sm.example');
      assert.equal(dev.endpoints.sagemaker.origin, '[services local] sagemaker endpoint_url');
      assert.equal(dev.endpoints.s3.value, undefined);
      const def = resolveAwsContext({}, {}, config);
      assert.equal(def.endpoints.s3.value, 'http://default.example');
      assert.equal(def.endpoints.s3.origin, '[default] endpoint_url');
    });
    it('honours AWS_IGNORE_CONFIGURED_ENDPOINT_URLS and ignore_configured_endpoint_urls', () => {
      const env = { AWS_ENDPOINT_URL: 'http://all.example', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'TRUE' };
      assert.equal(resolveAwsContext({}, env, config).endpoints.ssm.value, undefined);
      assert.equal(resolveAwsContext({ profile: 'ignoring' }, {}, config).endpoints.ssm.value, undefined);
    });
  });

  it('changes its cache key when profile, region or an endpoint changes', () => {
    const a = contextKey(resolveAwsContext({ profile: 'dev' }, {}, config));
    assert.equal(a, contextKey(resolveAwsContext({ profile: 'dev' }, {}, config)));
    assert.notEqual(a, contextKey(resolveAwsContext({ profile: 'dev', region: 'us-east-1' }, {}, config)));
    assert.notEqual(a, contextKey(resolveAwsContext({ profile: 'plain' }, {}, config)));
    assert.notEqual(
      a,
      contextKey(resolveAwsContext({ profile: 'dev' }, { AWS_ENDPOINT_URL_STS: 'http://s' }, config)),
    );
  });
});
