/**
 * The page's words: the host's l10n bundle, read from the script tag before
 * any other module of the page runs (main.ts imports this first). Without a
 * bundle `l10n.t` returns the English text as written.
 */
import * as l10n from '@vscode/l10n';
import { decodeBundle } from '../shared/l10nBundle';

const bundle = decodeBundle((document.currentScript as HTMLScriptElement | null)?.dataset.l10n);
if (bundle) l10n.config({ contents: bundle });
