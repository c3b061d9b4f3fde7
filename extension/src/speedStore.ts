/**
 * This machine's speed per backend, as its runs measured it (the engine's
 * `done.speed`), kept across sessions in the extension's global state so
 * that the next run's estimate is this machine's, not a guess. What comes
 * back from disk is validated: a bad or foreign entry is dropped, not used.
 * No `vscode` here (a Memento is anything with get and update).
 */
import { machineSpeed, type ToEngine } from '@neural-style/engine/protocol';
import { array, object, parse, string } from '@neural-style/engine/schema';

export type MachineSpeeds = NonNullable<ToEngine<'start'>['speeds']>;
export type MachineSpeed = MachineSpeeds[number]['speed'];

export interface SpeedMemento {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

export const SPEEDS_KEY = 'neuralStyle.machineSpeeds';
const speeds = array(object({ backend: string, speed: machineSpeed }));

/** A speed the estimate can use: every cost finite and not negative, the GMAC's positive. */
const usable = ({ msPerWork, msPerIteration, warmupIterations }: MachineSpeed) =>
  msPerWork > 0 && msPerIteration >= 0 && warmupIterations >= 0;

export class SpeedStore {
  constructor(private readonly memento: SpeedMemento, private readonly onInvalid: (why: string) => void = () => {}) {}

  /** The kept speeds, one per backend; none when what was kept is not a list of them. */
  all(): MachineSpeeds {
    const value = this.memento.get(SPEEDS_KEY);
    if (value === undefined) return [];
    try {
      return parse(speeds, value, 'the kept machine speeds').filter((s) => usable(s.speed));
    } catch (e) {
      this.onInvalid((e as Error).message);
      return [];
    }
  }

  /** Keeps what a run on `backend` measured, in place of that backend's last. */
  keep(backend: string, speed: MachineSpeed): PromiseLike<void> | undefined {
    if (!usable(speed)) return undefined;
    const others = this.all().filter((s) => s.backend !== backend);
    return this.memento.update(SPEEDS_KEY, [...others, { backend, speed }]);
  }
}
