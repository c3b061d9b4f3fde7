/**
 * The CLI's mask flags, as a job's fields. `--mask <style>=<mask>`: a region of the photo per style (all of them, or
 * the masks alone in the styles' order); `--style-mask <style>=<mask>`: the part of a painting its style is taken from
 * (any styles; with one style the mask alone). A style is named as given on the command line. What the files must be
 * is the job check's.
 */
import { NeuralStyleError } from './core/errors';
import { shown } from './core/text';

interface Paired { style: string; mask: string }

/** Each value as `<style>=<mask>` naming a style of the command, else null. */
function paired(values: readonly string[], styles: readonly string[]): (Paired | null)[] {
  return values.map((value) => {
    const style = styles.find((s) => value.startsWith(`${s}=`));
    return style === undefined ? null : { style, mask: value.slice(style.length + 1) };
  });
}

const namesNoStyle = (flag: string, value: string, styles: readonly string[], alone: string) =>
  new NeuralStyleError(`${flag} ${shown(value)} names no style of this command (${styles.map((s) => shown(s))
    .join(', ')}): give every mask as <style>=<mask>${alone}.`);

/** The mask `style` is given, where it is given once; `required`: a style without one is refused. */
function maskOf(flag: string, pairs: readonly (Paired | null)[], style: string, required: boolean): string | null {
  const mine = pairs.filter((p) => p?.style === style);
  if (mine.length > 1 || (required && mine.length === 0)) {
    throw new NeuralStyleError(`The style ${shown(style)} has ${mine.length} masks; give it one: `
      + `${flag} ${shown(style)}=<mask>.`);
  }
  return mine[0]?.mask ?? null;
}

/** The --mask values in the styles' order. How many there must be is the job check's. */
export function regionMasksOf(values: string[] | undefined, styles: readonly string[]): string[] | undefined {
  if (!values) return undefined;
  const pairs = paired(values, styles);
  if (pairs.every((p) => p === null)) return values;
  const unpaired = values.find((_, i) => pairs[i] === null);
  if (unpaired !== undefined) throw namesNoStyle('--mask', unpaired, styles, ', or all of them alone in the styles\' order');
  return styles.map((style) => maskOf('--mask', pairs, style, true)!);
}

/** The --style-mask values as one entry a style, in the styles' order: its mask, or null. */
export function styleMasksOf(values: string[] | undefined, styles: readonly string[]): (string | null)[] | undefined {
  if (!values) return undefined;
  const pairs = paired(values, styles);
  if (styles.length === 1 && values.length === 1 && pairs[0] === null) return values;
  const unpaired = values.find((_, i) => pairs[i] === null);
  if (unpaired !== undefined) throw namesNoStyle('--style-mask', unpaired, styles, ' (alone only with one style)');
  return styles.map((style) => maskOf('--style-mask', pairs, style, false));
}
