import { runSmSsh } from './runSmSsh';

// The SDK's Node-version notice would show up in every ssh connection's output; the extension's
// runtime (VS Code's Electron) is new enough anyway. Users can still turn it back on.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * Entry of the `sm-ssh` command (plain Node, or VS Code's runtime with ELECTRON_RUN_AS_NODE=1).
 * In proxy mode stdout carries only tunnel bytes; everything else goes to stderr.
 */
void runSmSsh(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
}).then((code) => {
  process.exitCode = code;
  // Sockets or timers left by the AWS SDK must not keep a finished tunnel alive.
  setImmediate(() => process.exit(code));
});
