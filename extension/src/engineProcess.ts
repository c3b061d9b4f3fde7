/**
 * The engine processes of this window: packages/engine's worker.js, run by the
 * engine's own client (@neural-style/engine/engine-client) with VS Code's Node,
 * telling its failures in the user's language. warmEngine.ts runs jobs on
 * them. Every process started here is tracked so `killAllEngines` leaves none
 * behind. No `vscode` here, so the unit tests run it too.
 */
import * as l10n from '@vscode/l10n';
import { EngineClient, EngineWords, explainExit, ProcessExit } from '@neural-style/engine/engine-client';
import type { FromEngine } from '@neural-style/engine/protocol';
import { vscodeNode } from './nodeProcess';

// How a job on an engine process ends: named here too, where the job manager and the webview runner look for it.
export type { EngineOutcome } from '@neural-style/engine/engine-client';

export type EngineLog = (level: FromEngine<'log'>['level'], message: string) => void;

const WORDS: EngineWords = {
  couldNotRun: (error) => l10n.t('The engine process could not run: {0}', error),
  stopped: (how) => l10n.t('The engine process stopped unexpectedly ({0}).', how),
  signal: (name) => l10n.t('signal {0}', name),
  exitCode: (code) => l10n.t('exit code {0}', code),
  lastOutput: (tail) => l10n.t('Last output: {0}', tail),
  otherVersion: (version, needed) =>
    l10n.t('The engine speaks protocol version {0}; this extension needs {1}.', version, needed),
  badMessage: (why) => l10n.t('The engine sent a message this extension does not understand: {0}', why),
};

/** Why an engine process stopped, in a sentence of the user's language. */
export const explainEngineExit = (exit: ProcessExit): string => explainExit(exit, WORDS);

const live = new Set<EngineClient>();

/** Pids of the engine processes still running (tests assert none are left). */
export function liveEnginePids(): number[] {
  return [...live].map((engine) => engine.pid).filter((pid): pid is number => pid !== undefined);
}

/** Ends every engine process now (deactivate). */
export function killAllEngines(): void {
  for (const engine of live) {
    engine.send({ type: 'shutdown' });
    engine.kill();
  }
}

/** Starts an engine process; what it prints and how it ends go to `log`. */
export function startEngine(workerPath: string, log: EngineLog): EngineClient {
  const engine = new EngineClient(workerPath, {
    ...vscodeNode(), words: WORDS,
    onStdout: (text) => log('info', text.trimEnd()),
    onStderr: (text) => log('warn', text.trimEnd()),
  });
  live.add(engine);
  engine.onBadMessage((why) => log('error', why));
  void engine.exited.then((exit) => {
    live.delete(engine);
    if (exit.startError !== undefined) log('error', `engine process: ${exit.startError}`);
    log('info', `engine process ${engine.pid} exited (${exit.signal ?? `code ${exit.code}`})`);
  });
  return engine;
}
