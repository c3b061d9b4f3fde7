/** Which errors are refusals the user can act on, not bugs: the log says them as info, without a stack. Pure. */
import { NeuralStyleError } from '@neural-style/engine/options';
import { SettingsError } from './settings';

/** The errors raised on purpose (a photo that is no result, a setting to fix), with a message for the user. */
export function isExpectedRefusal(e: unknown): boolean {
  return e instanceof NeuralStyleError || e instanceof SettingsError;
}
