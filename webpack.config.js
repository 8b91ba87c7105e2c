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
    resolve: { extensions: ['.ts', '.js'], mainFields: ['main', 'module'] },
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
    optimization: { minimize: production },
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
      // The ProxyCommand runs this file on its own (copied to global storage): one file, no chunks.
      entry: { 'sm-ssh': './src/cli/sm-ssh.ts' },
      output: {
        path: path.resolve(__dirname, 'dist'),
        filename: '[name].js',
        libraryTarget: 'commonjs2',
      },
      plugins: [
        new webpack.optimize.LimitChunkCountPlugin({ maxChunks: 1 }),
        new webpack.BannerPlugin({ banner: '#!/usr/bin/env node', raw: true, entryOnly: true }),
      ],
    },
  ];
};
