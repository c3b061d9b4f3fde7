/**
 * The one table of the formats a result can be written in: sharp's format
 * name and its file extensions, the first being the one a new file gets. The
 * engine picks the format from the output's extension; the extension's
 * outputFormat setting lists the names. No Node, no DOM.
 */
export const OUTPUT_FORMATS = {
  png: ['.png'],
  jpeg: ['.jpg', '.jpeg'],
  webp: ['.webp'],
  avif: ['.avif'],
  tiff: ['.tif', '.tiff'],
} as const;

export type OutputFormat = keyof typeof OUTPUT_FORMATS;

export const OUTPUT_FORMAT_NAMES = Object.keys(OUTPUT_FORMATS) as OutputFormat[];

/** Every extension we write, in the table's order (for error messages). */
export const OUTPUT_EXTENSIONS: readonly string[] = Object.values(OUTPUT_FORMATS).flat();

/** The format an extension such as ".JPG" asks for; undefined when we write none for it. */
export function formatOfExtension(extension: string): OutputFormat | undefined {
  const ext = extension.toLowerCase();
  return OUTPUT_FORMAT_NAMES.find((name) => (OUTPUT_FORMATS[name] as readonly string[]).includes(ext));
}

/** The extension a new file of `format` gets. */
export function extensionOf(format: OutputFormat): string {
  return OUTPUT_FORMATS[format][0];
}
