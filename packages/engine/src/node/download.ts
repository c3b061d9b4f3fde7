import { CancelledError, NeuralStyleError } from '../core/errors';
import { shown } from '../core/text';

/*
 * Downloads with limits, for weights from a URL: https only (http only to
 * this machine, for tests), a bounded number of redirects each checked the
 * same way, a size cap per file, and time limits per request and per silence.
 */

export const DOWNLOAD_LIMITS = {
  redirects: 5,
  /** A request that sends nothing for this long is aborted. */
  idleMs: 30_000,
  /** The longest one file may take. */
  fileMs: 10 * 60_000,
} as const;

export interface DownloadProgress { file: string; receivedBytes: number; totalBytes: number }

const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * A URL as a message shows it: without its user name and password (a
 * message is logged and shown; credentials must not be), cut to a sane length.
 */
export function shownUrl(text: string | URL): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return shown(String(text).replace(/\/\/[^/@]*@/, '//'));
  }
  url.username = '';
  url.password = '';
  return shown(url.href);
}

/** Why `url` may not be fetched, or null: https anywhere, http only to a loopback address, never with credentials. */
export function urlRefusal(url: URL): string | null {
  if (url.username || url.password) {
    return 'a user name or password in the URL is not supported (it would be sent on to every redirect)';
  }
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.test(url.hostname)) return null;
  if (url.protocol === 'http:') return 'plain http is allowed only to this machine (127.0.0.1, localhost); use https';
  return `${url.protocol} URLs are not supported; use https`;
}

function checkedUrl(text: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new NeuralStyleError(`Invalid ${what} URL ${shownUrl(text)}. Give an https URL.`, 'EWEIGHTS');
  }
  const refusal = urlRefusal(url);
  if (refusal) throw new NeuralStyleError(`Refusing to download ${shownUrl(url)}: ${refusal}.`, 'EWEIGHTS');
  return url;
}

/** One GET, following at most DOWNLOAD_LIMITS.redirects redirects, each to an allowed URL. */
async function get(start: URL, signal: AbortSignal): Promise<Response> {
  let url = start;
  for (let hop = 0; ; hop++) {
    let response: Response;
    try {
      response = await fetch(url, { redirect: 'manual', signal });
    } catch (e) {
      const reason = signal.aborted ? 'it took too long' : String((e as Error).cause ?? (e as Error).message);
      throw new NeuralStyleError(`Cannot download ${shownUrl(url)}: ${reason}.`, 'EWEIGHTS');
    }
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return response;
    if (hop === DOWNLOAD_LIMITS.redirects) {
      throw new NeuralStyleError(`Cannot download ${shownUrl(start)}: more than ${DOWNLOAD_LIMITS.redirects} `
        + 'redirects.', 'EWEIGHTS');
    }
    await response.body?.cancel();
    url = checkedUrl(new URL(location, url).href, 'redirect');
  }
}

export interface DownloadOptions {
  /** A 404 is null rather than an error. */
  optional?: boolean;
  onProgress?: (p: DownloadProgress) => void;
  /** Aborting it stops the download: it rejects with a CancelledError. */
  signal?: AbortSignal;
}

/**
 * The body of `urlText`, at most `maxBytes`; null for a 404 when `optional`.
 * Fails with a message naming the URL on anything else.
 */
export async function downloadBytes(urlText: string, maxBytes: number,
  options: DownloadOptions = {}): Promise<Uint8Array | null> {
  const url = checkedUrl(urlText, 'weights');
  const abort = new AbortController();
  const cancel = () => abort.abort();
  options.signal?.addEventListener('abort', cancel, { once: true });
  const total = setTimeout(cancel, DOWNLOAD_LIMITS.fileMs);
  let idle = setTimeout(cancel, DOWNLOAD_LIMITS.idleMs);
  try {
    if (options.signal?.aborted) throw new CancelledError();
    return await receive(url, await get(url, abort.signal), maxBytes, options, {
      signal: abort.signal,
      heard: () => {
        clearTimeout(idle);
        idle = setTimeout(cancel, DOWNLOAD_LIMITS.idleMs);
      },
    });
  } catch (e) {
    // Our own abort reads as "it took too long" below: a cancel is a cancel.
    throw options.signal?.aborted ? new CancelledError() : e;
  } finally {
    options.signal?.removeEventListener('abort', cancel);
    clearTimeout(total);
    clearTimeout(idle);
    abort.abort();
  }
}

/**
 * A response's body, checked against `maxBytes` as it arrives; `heard` restarts the silence timer, `signal` is the
 * time limits' abort.
 */
async function receive(url: URL, response: Response, maxBytes: number, options: DownloadOptions,
  timer: { signal: AbortSignal; heard: () => void }): Promise<Uint8Array | null> {
  const fail = (why: string) => new NeuralStyleError(`Cannot download ${shownUrl(url)}: ${why}.`, 'EWEIGHTS');
  if (response.status === 404 && options.optional) return null;
  if (!response.ok || !response.body) throw fail(`HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw fail(`it is ${declared} bytes, more than the limit of ${maxBytes}`);
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      timer.heard();
      received += chunk.byteLength;
      if (received > maxBytes) throw fail(`it is more than the limit of ${maxBytes} bytes`);
      chunks.push(chunk);
      options.onProgress?.({ file: shownUrl(url), receivedBytes: received, totalBytes: declared });
    }
  } catch (e) {
    if (e instanceof NeuralStyleError) throw e;
    throw fail(timer.signal.aborted ? 'it took too long' : String((e as Error).message));
  }
  const out = new Uint8Array(received);
  let offset = 0;
  for (const c of chunks) { out.set(c, offset); offset += c.byteLength; }
  return out;
}
