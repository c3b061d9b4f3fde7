/**
 * A panel's regions brush, on the host: the masks its page painted are
 * checked and written beside the photo (regionMasks.ts), asking first before
 * a file of a mask's name that the panel did not write is replaced; then the
 * panel's next runs paint in them. Clearing them only forgets them: the files
 * stay, for the CLI or a result that names them.
 */
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { FromWebview } from '../shared/protocol';
import type { JobRecord } from './jobRecord';
import type { PanelActions } from './panelMessages';
import { checkPostedMasks, writeMasks } from './regionMasks';

/** Asks whether the files `foreign` (not masks the panel wrote) may be replaced by the new masks. */
async function mayReplace(foreign: string[]): Promise<boolean> {
  const replace = vscode.l10n.t('Replace');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Neural Style: the regions are saved as {0}, and a file of that name is there that the panel did not write. Replace it?', foreign.join(', ')),
    { modal: true }, replace);
  return choice === replace;
}

/** Saves the posted masks as the record's regions; the page hears the files, or why they were not saved. */
export async function saveRegions(record: JobRecord, message: FromWebview<'saveRegions'>,
  { log, photoSize }: Pick<PanelActions, 'log' | 'photoSize'>): Promise<void> {
  const { job, styleChoices = [] } = record.state;
  try {
    const photo = { name: job.contentName, ...await photoSize(job.contentPath) };
    const pngs = checkPostedMasks(message, styleChoices.length ? 2 : 1, photo);
    const inputs = [job.stylePath, ...styleChoices.map((c) => c.path)];
    const files = await writeMasks(job.contentPath, pngs, inputs, mayReplace, fs.existsSync);
    if (!files) {
      record.post({ type: 'regions', error: vscode.l10n.t('Not saved: the files stay as they were.') });
      return;
    }
    log.info(`regions of ${job.contentPath}: wrote ${files.join(', ')}`);
    record.post({ type: 'regions', masks: files.map((path) => ({ path, src: '' })) });
  } catch (e) {
    log.warn(`regions of ${job.contentPath}: ${(e as Error).message}`);
    record.post({ type: 'regions', error: (e as Error).message });
  }
}

/** The record's next runs paint the whole photo again (no masks). */
export function clearRegions(record: JobRecord): void {
  record.post({ type: 'regions' });
}
