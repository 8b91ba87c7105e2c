// @ts-check
'use strict';
const path = require('path');
const webpack = require('webpack');

/**
 * One config per bundle. The extension entry stays small: AWS SDK clients are loaded with dynamic
 * import() so webpack splits them into chunks that load only when a view or command needs them.
 * @param {unknown} _env
 * @param {{ mode?: 'production' | 'development' }} argv
 * @returns {import('webpack').Configuration[]}
 */
module.exports = (_env, argv) => {
  const production = argv.mode !== 'development';
  /** @type {import('webpack').Configuration} */
  const common = {
    target: 'node20',
    mode: production ? 'production' : 'development',
    devtool: production ? 'source-map' : 'eval-source-map',
    // ES module builds first: webpack can then drop what the SDK packages export but we never use
    // (the CLI bundle shrinks by a quarter, and each ProxyCommand starts ~20 ms sooner).
    resolve: { extensions: ['.ts', '.js'], mainFields: ['module', 'main'] },
    module: {
      rules: [
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          use: [
            {
              loader: 'ts-loader',
              options: { transpileOnly: true, compilerOptions: { sourceMap: true, module: 'es2020' } },
            },
          ],
        },
      ],
    },
    optimization: {
      minimize: production,
      // Error class names reach the log and error reports (`error.name` is `new.target.name`): keep
      // them readable, e.g. "ProfileNotFoundError" rather than "qe". Only those: keeping every class
      // name makes the CLI bundle, which each ProxyCommand loads, 4-5% larger.
      minimizeOptions: { javascript: { compress: { passes: 2 }, keep_classnames: /Error$/ } },
    },
    // ssh2's optional native parts (its crypto addon, cpu-features): without them it uses node's
    // crypto and picks AES-GCM itself (src/transfer/sshLink.ts names the ciphers).
    plugins: [
      new webpack.IgnorePlugin({
        resourceRegExp: /^(cpu-features|\.\/crypto\/build\/Release\/sshcrypto\.node)$/,
      }),
    ],
    // Optional native speed-ups of ws; it works without them.
    externals: { bufferutil: 'commonjs bufferutil', 'utf-8-validate': 'commonjs utf-8-validate' },
    // Real __dirname, so the CLI finds the payload next to it (media/remote above dist/).
    node: { __dirname: false, __filename: false },
    performance: { hints: false },
    stats: 'errors-warnings',
    infrastructureLogging: { level: 'warn' },
  };
  return [
    {
      ...common,
      name: 'extension',
      entry: { extension: './src/extension.ts' },
      externals: { ...common.externals, vscode: 'commonjs vscode' },
      output: {
        path: path.resolve(__dirname, 'dist'),
        filename: '[name].js',
        chunkFilename: 'chunks/[name].js',
        libraryTarget: 'commonjs2',
        clean: { keep: /^sm-ssh/ },
      },
    },
    {
      ...common,
      name: 'cli',
      // The CLI itself, run by dist/sm-ssh.js (also copied to global storage): one file, no chunks.
      entry: { 'sm-ssh-main': './src/cli/smSsh.ts' },
      output: {
        path: path.resolve(__dirname, 'dist'),
        filename: '[name].js',
        libraryTarget: 'commonjs2',
      },
      plugins: [...common.plugins, new webpack.optimize.LimitChunkCountPlugin({ maxChunks: 1 })],
    },
    {
      ...common,
      name: 'cli-loader',
      // `sm-ssh` and the ProxyCommand: a small file that runs sm-ssh-main.js with V8's code cache.
      entry: { 'sm-ssh': './src/cli/smSshLoader.ts' },
      // createRequire() must stay Node's own: it gives the main bundle its real `require`.
      module: { ...common.module, parser: { javascript: { createRequire: false } } },
      output: {
        path: path.resolve(__dirname, 'dist'),
        filename: '[name].js',
        libraryTarget: 'commonjs2',
      },
      plugins: [new webpack.BannerPlugin({ banner: '#!/usr/bin/env node', raw: true, entryOnly: true })],
    },
  ];
};
