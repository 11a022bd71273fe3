// Fetches a pinned wheel from the Python package index without Python: the
// index by name (PEP 691 JSON, PEP 503 HTML as the fallback), the settings a
// user gave pip (environment, pip's config files, the certificate bundle),
// the proxy npm or the shell names, and the sha256 the index lists, checked
// before a byte of the wheel is used.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';

export const DEFAULT_INDEX = 'https://pypi.org/simple/';
const JSON_TYPE = 'application/vnd.pypi.simple.v1+json';

// ---------------------------------------------------------------- pip's settings

/** Parses one pip config file: { section: { key: value } }, keys normalised as pip does (index_url -> index-url). */
export function parseIni(text) {
  const sections = {};
  let section;
  let key;
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s*([#;]|$)/.test(raw)) continue;
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(raw);
    if (header) {
      section = sections[header[1].trim()] ??= {};
      key = undefined;
    } else if (/^\s/.test(raw) && section && key) {
      section[key] = `${section[key]}\n${raw.trim()}`; // a continuation line
    } else {
      const pair = /^([^=:]+)[=:](.*)$/.exec(raw);
      if (!pair || !section) continue;
      key = pair[1].trim().toLowerCase().replace(/_/g, '-').replace(/^--/, '');
      section[key] = pair[2].trim();
    }
  }
  return sections;
}

/** pip's config files, lowest priority first (pip's own order: global, user, site, then PIP_CONFIG_FILE). */
export function pipConfigFiles(env = process.env) {
  const explicit = env.PIP_CONFIG_FILE;
  if (explicit === '/dev/null') return [];
  const home = env.HOME || homedir();
  const xdgDirs = (env.XDG_CONFIG_DIRS || '/etc/xdg').split(':').filter(Boolean);
  const files = [...xdgDirs.map((d) => join(d, 'pip', 'pip.conf')), '/etc/pip.conf'];
  // pip reads the user files only when PIP_CONFIG_FILE names no existing file.
  if (!(explicit && existsSync(explicit))) {
    files.push(join(home, '.pip', 'pip.conf'), join(env.XDG_CONFIG_HOME || join(home, '.config'), 'pip', 'pip.conf'));
  }
  if (env.VIRTUAL_ENV) files.push(join(env.VIRTUAL_ENV, 'pip.conf'));
  if (explicit) files.push(explicit);
  return files;
}

const split = (value) => (value ?? '').split(/\s+/).filter(Boolean);

/**
 * What pip would use: index URLs (index-url first, then extra-index-url),
 * find-links locations, the CA bundle, the timeout in seconds. Later files
 * override earlier ones, [install] overrides [global], PIP_* variables
 * override every file.
 */
export function pipSettings(env = process.env, files = pipConfigFiles(env)) {
  const merged = {};
  for (const file of files) {
    let text;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // pip skips missing files too
    }
    const sections = parseIni(text);
    Object.assign(merged, sections.global, sections.install);
  }
  const fromEnv = (name, key) => (env[name] !== undefined && env[name] !== '' ? env[name] : merged[key]);
  const timeoutText = fromEnv('PIP_TIMEOUT', 'timeout') ?? env.PIP_DEFAULT_TIMEOUT ?? merged['default-timeout'];
  const timeout = timeoutText === undefined ? 15 : Number(timeoutText);
  if (!(timeout > 0)) throw new Error(`pip's timeout (PIP_TIMEOUT, PIP_DEFAULT_TIMEOUT or "timeout" in pip.conf) must be a positive number of seconds, but it is "${timeoutText}"`);
  const indexUrl = fromEnv('PIP_INDEX_URL', 'index-url') || DEFAULT_INDEX;
  const noIndex = /^(1|true|yes|on)$/i.test(fromEnv('PIP_NO_INDEX', 'no-index') ?? '');
  return {
    indexes: noIndex ? [] : [indexUrl, ...split(fromEnv('PIP_EXTRA_INDEX_URL', 'extra-index-url'))],
    findLinks: split(fromEnv('PIP_FIND_LINKS', 'find-links')),
    cert: fromEnv('PIP_CERT', 'cert'),
    timeout,
  };
}

// ---------------------------------------------------------------- proxies

function noProxy(url, env) {
  const list = (env.NO_PROXY ?? env.no_proxy ?? env.npm_config_noproxy ?? '').split(/[\s,]+/).filter(Boolean);
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return list.some((entry) => {
    if (entry === '*') return true;
    const bare = entry.replace(/:\d+$/, '').replace(/^\*?\./, '').toLowerCase();
    return host === bare || host.endsWith(`.${bare}`);
  });
}

/** The proxy for `url` (a URL) or undefined; the variables curl, pip and npm read. */
export function proxyFor(url, env = process.env) {
  if (noProxy(url, env)) return undefined;
  const names =
    url.protocol === 'https:'
      ? ['HTTPS_PROXY', 'https_proxy', 'npm_config_https_proxy', 'npm_config_proxy', 'ALL_PROXY', 'all_proxy']
      : ['HTTP_PROXY', 'http_proxy', 'npm_config_proxy', 'ALL_PROXY', 'all_proxy'];
  const name = names.find((n) => env[n] && env[n] !== 'null');
  if (!name) return undefined;
  try {
    const proxy = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(env[name]) ? env[name] : `http://${env[name]}`);
    if (proxy.protocol !== 'http:') throw new Error('only http:// proxies are supported');
    return { url: proxy, variable: name };
  } catch (err) {
    throw new Error(`${name} is "${env[name]}", which weft cannot use as a proxy: ${err.message}`, { cause: err });
  }
}

// ---------------------------------------------------------------- HTTP

/** The CA bundle: pip's cert when set (it replaces the defaults, as in pip); else Node's (with NODE_EXTRA_CA_CERTS). */
function caOf(settings) {
  if (!settings.cert) return undefined;
  try {
    return readFileSync(settings.cert);
  } catch (err) {
    throw new Error(`pip's certificate bundle (PIP_CERT or "cert" in pip.conf) is ${settings.cert}, which cannot be read: ${err.message}`, { cause: err });
  }
}

function authHeader(url) {
  if (!url.username) return {};
  return { authorization: `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}` };
}

/** An HTTP CONNECT tunnel to `target` through `proxy`, wrapped in TLS. */
function tunnel(proxy, target, ca, timeoutMs) {
  return new Promise((resolve, reject) => {
    const port = target.port || 443;
    const req = http.request({
      host: proxy.url.hostname,
      port: proxy.url.port || 80,
      method: 'CONNECT',
      path: `${target.hostname}:${port}`,
      headers: { host: `${target.hostname}:${port}`, ...(proxy.url.username ? { 'proxy-authorization': authHeader(proxy.url).authorization } : {}) },
      timeout: timeoutMs,
    });
    req.on('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        reject(new Error(`the proxy ${proxy.url.host} (${proxy.variable}) answered CONNECT with ${res.statusCode}`));
        return;
      }
      resolve(tls.connect({ socket, servername: target.hostname, ca }));
    });
    req.on('timeout', () => req.destroy(new Error(`the proxy ${proxy.url.host} (${proxy.variable}) did not answer within ${timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end();
  });
}

/** GET `url`; resolves with the response (status 200), following redirects. */
export async function get(url, { settings, env = process.env, accept = undefined, redirects = 5 }) {
  const target = new URL(url);
  const ca = caOf(settings);
  const timeoutMs = settings.timeout * 1000;
  const proxy = proxyFor(target, env);
  const headers = { 'user-agent': 'weft (node)', ...(accept ? { accept } : {}), ...authHeader(target) };
  const options = { method: 'GET', headers, timeout: timeoutMs };
  let request;
  if (target.protocol === 'https:') {
    const socket = proxy ? await tunnel(proxy, target, ca, timeoutMs) : undefined;
    request = https.request(target, { ...options, ca, ...(socket ? { createConnection: () => socket, agent: false } : {}) });
  } else if (target.protocol === 'http:') {
    // Through an http proxy a plain request names the absolute URL.
    request = proxy
      ? http.request({ ...options, host: proxy.url.hostname, port: proxy.url.port || 80, path: target.href, headers: { ...headers, host: target.host } })
      : http.request(target, options);
  } else {
    throw new Error(`cannot fetch ${url}: only http(s) URLs are supported`);
  }
  const response = await new Promise((resolve, reject) => {
    request.on('response', resolve);
    request.on('timeout', () => request.destroy(new Error(`no answer from ${target.host} within ${settings.timeout} s (pip's timeout)`)));
    request.on('error', reject);
    request.end();
  });
  const status = response.statusCode;
  if (status >= 300 && status < 400 && response.headers.location && redirects > 0) {
    response.resume();
    return get(new URL(response.headers.location, target).href, { settings, env, accept, redirects: redirects - 1 });
  }
  if (status !== 200) {
    response.resume();
    throw Object.assign(new Error(`GET ${redactUrl(target)} answered ${status}`), { status });
  }
  return response;
}

async function text(response) {
  const chunks = [];
  for await (const chunk of response) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** A URL without its password, for messages. */
export const redactUrl = (url) => {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.href;
};

// ---------------------------------------------------------------- the index

/** PEP 503's normalised project name. */
export const normalizeName = (name) => name.toLowerCase().replace(/[-_.]+/g, '-');

/** The files of a PEP 691 JSON page: { filename, url, sha256 }. */
export function parseJsonIndex(body, pageUrl) {
  const page = JSON.parse(body);
  return (page.files ?? []).filter((f) => !f.yanked).map((f) => ({ filename: f.filename, url: new URL(f.url, pageUrl).href, sha256: f.hashes?.sha256 }));
}

const decodeEntities = (s) => s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");

/** The files of a PEP 503 HTML page (or a find-links page): anchors, with the sha256 from the URL's fragment. */
export function parseHtmlIndex(body, pageUrl) {
  const base = /<base\s[^>]*href\s*=\s*["']([^"']+)["']/i.exec(body);
  const baseUrl = base ? new URL(decodeEntities(base[1]), pageUrl).href : pageUrl;
  const files = [];
  for (const anchor of body.matchAll(/<a\s([^>]*)>([^<]*)<\/a>/gi)) {
    const href = /href\s*=\s*["']([^"']+)["']/i.exec(anchor[1]);
    if (!href || /data-yanked/i.test(anchor[1])) continue;
    const url = new URL(decodeEntities(href[1]), baseUrl);
    const sha256 = /(?:^|&)sha256=([0-9a-f]{64})/i.exec(url.hash.slice(1))?.[1];
    const filename = decodeURIComponent(url.pathname.split('/').pop() || anchor[2].trim());
    url.hash = '';
    files.push({ filename, url: url.href, sha256 });
  }
  return files;
}

/** The files an index lists for `project`: JSON when the index speaks it, HTML otherwise. */
export async function indexFiles(index, project, options) {
  const pageUrl = new URL(`${normalizeName(project)}/`, index.endsWith('/') ? index : `${index}/`).href;
  const response = await get(pageUrl, { ...options, accept: `${JSON_TYPE}, text/html;q=0.1` });
  const type = response.headers['content-type'] ?? '';
  const body = await text(response);
  return type.includes(JSON_TYPE) || /^\s*\{/.test(body) ? parseJsonIndex(body, pageUrl) : parseHtmlIndex(body, pageUrl);
}

// ---------------------------------------------------------------- choosing the wheel

function glibcVersion() {
  const v = process.report?.getReport?.().header?.glibcVersionRuntime;
  return v ? v.split('.').map(Number) : [2, 17];
}

/**
 * The wheel of `project` at `version` for linux x86_64 whose manylinux tag
 * this glibc satisfies, or undefined. Prefers the newest tag.
 */
export function pickWheel(files, project, version, glibc = glibcVersion()) {
  const legacy = { manylinux1: [2, 5], manylinux2010: [2, 12], manylinux2014: [2, 17] };
  const candidates = [];
  for (const file of files) {
    const parts = file.filename.split('-');
    if (!file.filename.endsWith('.whl') || normalizeName(parts[0]) !== normalizeName(project) || parts[1] !== version) continue;
    for (const tag of file.filename.slice(0, -4).split('-').pop().split('.')) {
      const m = /^manylinux_(\d+)_(\d+)_x86_64$/.exec(tag);
      const needs = m ? [Number(m[1]), Number(m[2])] : legacy[tag.replace(/_x86_64$/, '')];
      if (!needs || !tag.endsWith('x86_64')) continue;
      if (needs[0] < glibc[0] || (needs[0] === glibc[0] && needs[1] <= glibc[1])) candidates.push({ ...file, needs });
    }
  }
  candidates.sort((a, b) => b.needs[0] - a.needs[0] || b.needs[1] - a.needs[1]);
  return candidates[0];
}

/** Wheels in a find-links location (a directory, a file:// URL, or an http(s) page). */
async function findLinksFiles(location, options) {
  const dir = location.startsWith('file:') ? fileURLToPath(location) : /^[a-z]+:\/\//i.test(location) ? undefined : location;
  if (dir === undefined) return parseHtmlIndex(await text(await get(location, options)), location);
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return []; // pip ignores a missing find-links directory too
  }
  return names.map((filename) => ({ filename, path: join(dir, filename) }));
}

/**
 * Where the pinned wheel is: find-links first (local, no network), then each
 * index in order. Returns { filename, url | path, sha256?, source }.
 */
export async function locateWheel(project, version, { settings, env = process.env }) {
  const tried = [];
  const options = { settings, env };
  for (const location of settings.findLinks) {
    const wheel = pickWheel(await findLinksFiles(location, options), project, version);
    if (wheel) return { ...wheel, source: location };
    tried.push(location);
  }
  for (const index of settings.indexes) {
    try {
      const wheel = pickWheel(await indexFiles(index, project, options), project, version);
      if (wheel) return { ...wheel, source: redactUrl(index) };
      tried.push(`${redactUrl(index)} (no ${project} ${version} wheel for manylinux x86_64)`);
    } catch (err) {
      tried.push(`${redactUrl(index)} (${err.message})`);
    }
  }
  throw new Error(`no ${project}==${version} wheel for linux x86_64 found; tried: ${tried.join('; ') || 'nothing (no index, no find-links)'}`);
}

// ---------------------------------------------------------------- download

const mb = (bytes) => `${Math.round(bytes / 1e6)} MB`;

/**
 * Streams the wheel to `dest`, hashing as it goes; refuses (and deletes) it
 * when its sha256 differs from the index's. `label` names it in the
 * progress line ("oneMKL 2026.2.0"). A find-links file is hashed in place.
 *
 * @param {{ filename: string, url?: string, path?: string, sha256?: string, source: string }} wheel
 * @param {string} dest
 * @param {{ settings: object, env?: Record<string, string | undefined>, label: string, stream?: { write(text: string): unknown, isTTY?: boolean } }} options
 */
export async function downloadWheel(wheel, dest, { settings, env = process.env, label, stream = process.stderr }) {
  const hash = createHash('sha256');
  if (wheel.path) {
    await pipeline(createReadStream(wheel.path), hash);
    const digest = hash.digest('hex');
    if (wheel.sha256 && digest !== wheel.sha256) throw new Error(`${wheel.path}: sha256 ${digest}, expected ${wheel.sha256}`);
    stream.write(`weft: using ${label} from ${wheel.path} (find-links)\n`);
    return { path: wheel.path, sha256: digest };
  }
  const response = await get(wheel.url, { settings, env });
  const total = Number(response.headers['content-length']) || 0;
  const tty = Boolean(stream.isTTY);
  const head = `weft: fetching ${label} (${wheel.filename}${total ? `, ${mb(total)}` : ''}) from ${wheel.source}`;
  stream.write(tty ? head : `${head}\n`);
  let received = 0;
  let shown = -1;
  const progress = new Transform({
    transform(chunk, _encoding, done) {
      hash.update(chunk);
      received += chunk.length;
      const percent = total ? Math.floor((received / total) * 100) : -1;
      if (tty && percent !== shown) {
        shown = percent;
        stream.write(`\r${head} … ${percent >= 0 ? `${percent}%` : mb(received)}`);
      }
      done(null, chunk);
    },
  });
  try {
    await pipeline(response, progress, createWriteStream(dest));
  } catch (err) {
    rmSync(dest, { force: true });
    if (tty) stream.write('\n');
    throw err;
  }
  if (tty) stream.write('\n');
  const digest = hash.digest('hex');
  if (!wheel.sha256) {
    rmSync(dest, { force: true });
    throw new Error(`${wheel.source} lists no sha256 for ${wheel.filename}: weft will not use a wheel it cannot verify`);
  }
  if (digest !== wheel.sha256) {
    rmSync(dest, { force: true });
    throw new Error(`${wheel.filename} from ${wheel.source} has sha256 ${digest}, but the index lists ${wheel.sha256}: refused (deleted)`);
  }
  stream.write(`weft: ${wheel.filename}: ${mb(received)}, sha256 verified\n`);
  return { path: dest, sha256: digest };
}
