import * as path from 'node:path';
import { runWithCompileCache } from './compileCache';

/**
 * `dist/sm-ssh.js`: a few lines that run the real CLI bundle (`sm-ssh-main.js`, next to this file)
 * with V8's code cache, so each ProxyCommand starts without compiling the bundle again.
 */
runWithCompileCache(path.join(__dirname, 'sm-ssh-main.js'));
