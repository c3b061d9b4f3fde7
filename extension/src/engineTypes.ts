/**
 * The warm engine's types, named once, as its public API (WarmEngine's run
 * and probeGpu) gives them: the job's steps depend on that API only.
 */
import type { WarmEngine } from './warmEngine';

/** What an engine process is started with (a job that needs other values gets a new one). */
export type EngineConfig = Parameters<WarmEngine['run']>[0];
export type EngineJob = Parameters<WarmEngine['run']>[1];
export type EngineEvents = NonNullable<EngineJob['events']>;
/** How a run on the engine ended: done, cancelled, an error with its code, or a crashed process. */
export type EngineOutcome = Awaited<ReturnType<WarmEngine['run']>>;
/** Which GPU the engine process has for WebGPU, or why none. */
export type EngineGpu = Awaited<ReturnType<WarmEngine['probeGpu']>>;
/** The engine's calls a job makes: run it, and ask which GPU it has. */
export type EngineClient = Pick<WarmEngine, 'run' | 'probeGpu'>;
