/**
 * A Node script in its own process, run by VS Code's own runtime: Electron's
 * executable made to behave as plain Node (ELECTRON_RUN_AS_NODE). No shell:
 * the script's path goes to the process as one argument, so a user folder with
 * spaces, quotes, `&`, `%` or non-ASCII letters needs no quoting on any
 * platform. Its output is read as UTF-8, so a character split between two
 * chunks (an é in a path) stays whole.
 */
import { ChildProcess, fork } from 'child_process';

export function forkNode(script: string): ChildProcess {
  const child = fork(script, [], {
    execPath: process.execPath,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
  });
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  return child;
}
